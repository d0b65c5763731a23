/**
 * The window of an overview request: `time_range` (a preset ending now), or `from`/`to`
 * (ISO 8601 or epoch ms, src/shared/instant.ts), and whether raw snapshots still cover it. Pure; bad combinations
 * throw a validation error naming the parameter.
 */
import { validationError } from '../../errors.js';
import type { TimeRange } from '../../shared/api/overview.js';
import { MAX_INSTANT_MS } from '../../shared/instant.js';

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

/**
 * Raw snapshots are kept `retentionDays`; a window that starts before that is answered from
 * the daily roll-ups, which reach back much further (a few missing raw rows at the very edge of
 * retention are not worth a coarser answer, so the edge itself still counts as raw).
 */
export function resolutionOf(window: TimeWindow, now: number, retentionDays: number): 'raw' | 'daily' {
  return window.from < now - retentionDays * DAY_MS ? 'daily' : 'raw';
}
