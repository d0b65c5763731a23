/**
 * The window of an overview request: `time_range` (a preset ending now), or `from`/`to`
 * (ISO 8601 or epoch ms), and whether raw snapshots still cover it. Pure; bad combinations
 * throw a validation error naming the parameter.
 */
import { validationError } from '../../errors.js';
import type { TimeRange } from '../../shared/overview-types.js';

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

/** The latest instant accepted (year 9999), so every window prints as an ISO string. */
export const MAX_INSTANT_MS = Date.UTC(9999, 11, 31, 23, 59, 59, 999);

// A date, or a date and time with seconds optional and an offset required: a time without an
// offset would be read in the server's zone, which the caller cannot know.
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2}))?$/i;
const EPOCH_MS = /^\d{1,15}$/;

export const INSTANT_FORMS = 'an ISO 8601 time with an offset (e.g. 2026-11-24T12:00:00Z), a date (2026-11-24, midnight UTC), or epoch milliseconds';

/** Epoch ms of an ISO 8601 instant or a string of epoch milliseconds; null when it is neither. */
export function parseInstant(text: string): number | null {
  let ms: number;
  if (EPOCH_MS.test(text)) ms = Number(text);
  else if (ISO_INSTANT.test(text)) ms = Date.parse(text.length === 10 ? `${text}T00:00:00Z` : text);
  else return null;
  if (!Number.isFinite(ms) || ms < 0 || ms > MAX_INSTANT_MS) return null;
  // Date.parse rolls 2026-02-31 over to March; a date that is not in the calendar is refused.
  if (!EPOCH_MS.test(text) && !sameCalendarDate(text, ms)) return null;
  return ms;
}

function sameCalendarDate(text: string, ms: number): boolean {
  const offset = /([+-])(\d{2}):?(\d{2})$/.exec(text);
  const shift = offset ? (offset[1] === '-' ? -1 : 1) * (Number(offset[2]) * 60 + Number(offset[3])) * MINUTE : 0;
  return new Date(ms + shift).toISOString().slice(0, 10) === text.slice(0, 10);
}

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
