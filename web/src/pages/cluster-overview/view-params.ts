/**
 * The overview's view as it lives in the URL, so a view can be shared and reloaded:
 * `?range=6h&refresh=1m`, or `?from=<epoch ms>&to=<epoch ms>` for a custom (absolute) window,
 * as Grafana writes it (ISO 8601 read as the API reads it, @shared/instant.ts). Pure: parsing, writing and the API query of a view.
 *
 * Default refresh: 30 s for a relative range, whose window moves with the clock (the collector
 * writes a row every interval, 30 s by default, so a faster refresh would mostly fetch the same
 * data); off for a custom range, whose window does not move. An explicit `refresh` in the URL
 * always wins.
 */
import { DEFAULT_TIME_RANGE, MAX_MAX_POINTS, TIME_RANGES, type TimeRange } from '@shared/api/overview.js';
import { parseInstant } from '@shared/instant.js';

export const REFRESH_INTERVALS = ['off', '15s', '30s', '1m', '5m'] as const;
export type RefreshInterval = (typeof REFRESH_INTERVALS)[number];

const REFRESH_MS: Record<RefreshInterval, number | null> = { off: null, '15s': 15_000, '30s': 30_000, '1m': 60_000, '5m': 300_000 };

export const RANGE_LABELS: Record<TimeRange, string> = {
  '15m': 'Last 15 minutes',
  '1h': 'Last 1 hour',
  '6h': 'Last 6 hours',
  '24h': 'Last 24 hours',
  '3d': 'Last 3 days',
  '7d': 'Last 7 days',
  '30d': 'Last 30 days',
};

export const REFRESH_LABELS: Record<RefreshInterval, string> = { off: 'Off', '15s': '15 s', '30s': '30 s', '1m': '1 min', '5m': '5 min' };

export type ViewRange = { kind: 'relative'; range: TimeRange } | { kind: 'absolute'; fromMs: number; toMs: number };

export interface OverviewView {
  range: ViewRange;
  refresh: RefreshInterval;
}

/** The shortest custom window the charts can show meaningfully (a drag of a few pixels). */
export const MIN_CUSTOM_WINDOW_MS = 60_000;

export function defaultRefresh(range: ViewRange): RefreshInterval {
  return range.kind === 'relative' ? '30s' : 'off';
}

export function refreshIntervalMs(refresh: RefreshInterval): number | null {
  return REFRESH_MS[refresh];
}

function isTimeRange(value: string | null): value is TimeRange {
  return (TIME_RANGES as readonly string[]).includes(value ?? '');
}

function isRefreshInterval(value: string | null): value is RefreshInterval {
  return (REFRESH_INTERVALS as readonly string[]).includes(value ?? '');
}

/** A `from`/`to` parameter read as the API reads it (epoch ms, ISO 8601 with an offset, or a date); null when absent or unreadable. */
function instantParam(text: string | null): number | null {
  return text === null ? null : parseInstant(text);
}

/**
 * The view a URL asks for. A valid `from`/`to` pair (from before to) wins over `range`;
 * anything unreadable falls back to the defaults rather than failing the page.
 */
export function parseView(params: URLSearchParams): OverviewView {
  const fromMs = instantParam(params.get('from'));
  const toMs = instantParam(params.get('to'));
  const rangeParam = params.get('range');
  const range: ViewRange =
    fromMs !== null && toMs !== null && fromMs < toMs
      ? { kind: 'absolute', fromMs, toMs }
      : { kind: 'relative', range: isTimeRange(rangeParam) ? rangeParam : DEFAULT_TIME_RANGE };
  const refreshParam = params.get('refresh');
  return { range, refresh: isRefreshInterval(refreshParam) ? refreshParam : defaultRefresh(range) };
}

/** The URL parameters of a range (null removes a parameter), for `useSearchParams`' update. */
export function rangeToParams(range: ViewRange): Record<string, string | null> {
  return range.kind === 'relative'
    ? { range: range.range, from: null, to: null }
    : { range: null, from: String(Math.round(range.fromMs)), to: String(Math.round(range.toMs)) };
}

/**
 * The absolute window chosen by a drag on a chart, widened around its middle to the minimum
 * width, and never ending in the future.
 */
export function zoomedRange(fromMs: number, toMs: number, nowMs: number): ViewRange {
  let from = Math.min(fromMs, toMs);
  let to = Math.max(fromMs, toMs);
  if (to - from < MIN_CUSTOM_WINDOW_MS) {
    const middle = (from + to) / 2;
    from = middle - MIN_CUSTOM_WINDOW_MS / 2;
    to = middle + MIN_CUSTOM_WINDOW_MS / 2;
  }
  if (to > nowMs) {
    from -= to - nowMs;
    to = nowMs;
  }
  return { kind: 'absolute', fromMs: Math.round(from), toMs: Math.round(to) };
}

/** Twice the window around the same middle (Grafana's "zoom out"), never ending in the future. */
export function zoomedOut(window: { fromMs: number; toMs: number }, nowMs: number): ViewRange {
  const span = window.toMs - window.fromMs;
  return zoomedRange(window.fromMs - span / 2, window.toMs + span / 2, nowMs);
}

/** The query string of `GET /api/clusters/:id/overview` for a range and a chart width in pixels. */
export function overviewQuery(range: ViewRange, maxPoints: number): string {
  const params = new URLSearchParams();
  if (range.kind === 'relative') {
    params.set('time_range', range.range);
  } else {
    params.set('from', new Date(range.fromMs).toISOString());
    params.set('to', new Date(range.toMs).toISOString());
  }
  params.set('max_points', String(Math.max(1, Math.min(MAX_MAX_POINTS, Math.round(maxPoints)))));
  return params.toString();
}

/** A `datetime-local` input's value for an instant, in the browser's time zone. */
export function toLocalInputValue(ms: number): string {
  const d = new Date(ms);
  const pad = (n: number): string => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** The instant of a `datetime-local` input's value (local time), or null. */
export function fromLocalInputValue(value: string): number | null {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/.test(value)) return null;
  const ms = new Date(value).getTime();
  return Number.isFinite(ms) ? ms : null;
}
