/**
 * The window of an overview request: `time_range` (a preset ending now), or `from`/`to`
 * (ISO 8601 or epoch ms, src/shared/instant.ts), whether raw snapshots still cover it, and how a tier's
 * buckets and raw edges split it. Pure; bad combinations
 * throw a validation error naming the parameter.
 */
import { validationError } from '../../errors.js';
import type { TimeRange } from '../../shared/api/overview.js';
import { MAX_INSTANT_MS } from '../../shared/instant.js';
import { planBuckets } from './downsample.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
export const DAY_MS = 24 * HOUR;

export const TIME_RANGE_MS: Record<TimeRange, number> = {
  '15m': 15 * MINUTE,
  '1h': HOUR,
  '6h': 6 * HOUR,
  '24h': DAY_MS,
  '3d': 3 * DAY_MS,
  '7d': 7 * DAY_MS,
  '30d': 30 * DAY_MS,
};

export interface WindowRequest {
  readonly timeRange?: TimeRange | undefined;
  readonly from?: number | undefined;
  readonly to?: number | undefined;
}

export interface TimeWindow {
  /** Epoch ms, inclusive. */
  readonly from: number;
  /** Epoch ms, exclusive. */
  readonly to: number;
  readonly timeRange: TimeRange | 'custom';
}

/**
 * - neither `from` nor `to`: the preset (default `fallback`) ending now;
 * - `to` only: the preset ending at `to`;
 * - `from` only: from `from` to now (`custom`), or for the preset's length when `time_range` is given;
 * - both: exactly that (`custom`), and then `time_range` may not be given as well.
 */
export function resolveWindow(request: WindowRequest, now: number, fallback: TimeRange): TimeWindow {
  const { from, to, timeRange } = request;
  if (from !== undefined && to !== undefined && timeRange !== undefined) {
    throw validationError([{ field: 'time_range', message: 'cannot be combined with both from and to; give time_range (optionally with to), or from and to' }]);
  }
  let window: TimeWindow;
  if (from !== undefined && timeRange !== undefined) {
    window = { from, to: from + TIME_RANGE_MS[timeRange], timeRange };
  } else if (from !== undefined) {
    window = { from, to: to ?? now, timeRange: 'custom' };
  } else {
    const range = timeRange ?? fallback;
    const end = to ?? now;
    window = { from: end - TIME_RANGE_MS[range], to: end, timeRange: range };
  }
  if (window.from >= window.to) {
    throw validationError([{ field: from !== undefined ? 'from' : 'to', message: `must be before ${to !== undefined ? 'to' : 'now'} (${new Date(window.to).toISOString()})` }]);
  }
  if (window.from < 0 || window.to > MAX_INSTANT_MS) throw validationError([{ field: 'to', message: 'puts the window outside the years 1970 to 9999' }]);
  return window;
}

/** What an overview window is read from: raw snapshots, a tier, or the daily rows. */
export type Resolution = 'raw' | '5m' | '1h' | 'daily';

/** How long each table keeps its rows ([metrics] retention_days, retention_5m_days, retention_1h_days). */
export interface RetentionDays {
  readonly raw: number;
  readonly tier5m: number;
  readonly tier1h: number;
}

/** Width of a tier's buckets. */
export const TIER_WIDTH_MS = { '5m': 300_000, '1h': 3_600_000 } as const;

/** How far a raw window may reach past the packed hours and still read as packed: the hour being collected and the one closed but not packed yet. */
export const PACKED_LAG_MS = 2 * 3_600_000;

/**
 * The coarsest table that still gives (within a tenth) the points raw snapshots would give —
 * so the answer comes from as few rows as possible without being coarser than asked — and that
 * still holds the window's start; when none that fine holds it, the finest that does; else the
 * daily rows. A few missing rows at the very edge of a retention are not worth a coarser answer,
 * so the edge itself still counts as held. Raw rows packed into trend blocks (every closed hour
 * before `packedUntil`) are read as one blob an hour, cheaper than the 5-minute tier's twelve
 * rows an hour and as exact, so they answer what the 5-minute tier would while they hold it —
 * unless the 5-minute tier's own blocks (a day of buckets in one blob, every closed day before
 * `tier5mBlocksUntil`) reach the window's last day or the one before: a day in one blob beats
 * twenty-four.
 */
export function chooseResolution(
  window: TimeWindow,
  now: number,
  maxPoints: number,
  intervalMs: number,
  retention: RetentionDays,
  packedUntil?: number,
  tier5mBlocksUntil?: number,
): Resolution {
  const held = (days: number) => window.from >= now - days * DAY_MS;
  const points = (stepMs: number) => planBuckets(window.from, window.to, maxPoints, stepMs).count;
  const asked = points(intervalMs);
  const tierBlocked = tier5mBlocksUntil !== undefined && tier5mBlocksUntil >= Math.floor(window.to / DAY_MS) * DAY_MS - DAY_MS;
  const packed = packedUntil !== undefined && window.to - packedUntil <= PACKED_LAG_MS && held(retention.raw) && !tierBlocked;
  const tiers: readonly (readonly ['5m' | '1h', number])[] = [
    ['1h', retention.tier1h],
    ['5m', retention.tier5m],
  ];
  for (const [tier, days] of tiers) {
    if (held(days) && points(Math.max(intervalMs, TIER_WIDTH_MS[tier])) >= asked * 0.9) return tier === '5m' && packed ? 'raw' : tier;
  }
  if (held(retention.raw)) return 'raw';
  for (const [tier, days] of [...tiers].reverse()) if (held(days)) return tier;
  return 'daily';
}

/** A ragged edge of a window: read from raw snapshots, or (raw rows expired) the tier's bucket holding it, whole. */
export type WindowEdge = { readonly raw: readonly [from: number, to: number] } | { readonly tier: readonly [from: number, to: number] };

/** How a window is read from a tier: its whole buckets inside, and the ragged edges before and after them. */
export interface TierWindowParts {
  /** The tier's whole buckets within the window, [from, to); empty (from = to) when none fits. */
  readonly inside: readonly [from: number, to: number];
  readonly head: WindowEdge | undefined;
  readonly tail: WindowEdge | undefined;
}

/**
 * Splits a window into a tier's whole buckets (of `widthMs`) and its ragged edges. An edge is
 * read raw while raw rows are kept (it starts at or after `rawKeptFrom`), so the window's figures
 * are exactly its own; else the tier's edge bucket whole, the closest the tier can come.
 */
export function tierWindowParts(window: { readonly from: number; readonly to: number }, widthMs: number, rawKeptFrom: number): TierWindowParts {
  const insideFrom = Math.min(Math.ceil(window.from / widthMs) * widthMs, window.to);
  const insideTo = Math.max(insideFrom, Math.floor(window.to / widthMs) * widthMs);
  const edge = (from: number, to: number, bucketFrom: number): WindowEdge | undefined => {
    if (from >= to) return undefined;
    return from >= rawKeptFrom ? { raw: [from, to] } : { tier: [bucketFrom, bucketFrom + widthMs] };
  };
  return {
    inside: [insideFrom, insideTo],
    head: edge(window.from, insideFrom, insideFrom - widthMs),
    tail: edge(insideTo, window.to, insideTo),
  };
}
