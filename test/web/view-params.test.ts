import { describe, expect, it } from 'vitest';
import {
  defaultRefresh,
  fromLocalInputValue,
  MIN_CUSTOM_WINDOW_MS,
  overviewQuery,
  parseView,
  rangeToParams,
  refreshIntervalMs,
  toLocalInputValue,
  zoomedOut,
  zoomedRange,
} from '../../web/src/pages/cluster-overview/view-params.js';

const params = (query: string) => new URLSearchParams(query);
const FROM = Date.UTC(2026, 10, 24, 10, 0);
const TO = Date.UTC(2026, 10, 24, 12, 0);

describe('parseView', () => {
  it('defaults to the last hour with a 30 s refresh', () => {
    expect(parseView(params(''))).toEqual({ range: { kind: 'relative', range: '1h' }, refresh: '30s' });
  });

  it('reads a preset range and a refresh interval', () => {
    expect(parseView(params('range=6h&refresh=1m'))).toEqual({ range: { kind: 'relative', range: '6h' }, refresh: '1m' });
    expect(parseView(params('range=30d&refresh=off')).refresh).toBe('off');
  });

  it('reads a custom range in epoch ms or ISO 8601; its default refresh is off', () => {
    const expected = { range: { kind: 'absolute', fromMs: FROM, toMs: TO }, refresh: 'off' };
    expect(parseView(params(`from=${FROM}&to=${TO}`))).toEqual(expected);
    expect(parseView(params(`from=${new Date(FROM).toISOString()}&to=${new Date(TO).toISOString()}`))).toEqual(expected);
    expect(parseView(params(`from=${FROM}&to=${TO}&refresh=15s`)).refresh).toBe('15s');
  });

  it('lets a valid from/to win over range', () => {
    expect(parseView(params(`range=7d&from=${FROM}&to=${TO}`)).range.kind).toBe('absolute');
  });

  it('falls back to the defaults on anything unreadable', () => {
    expect(parseView(params('range=2h&refresh=10s'))).toEqual({ range: { kind: 'relative', range: '1h' }, refresh: '30s' });
    expect(parseView(params(`from=${TO}&to=${FROM}&range=24h`)).range).toEqual({ kind: 'relative', range: '24h' });
    expect(parseView(params(`from=soon&to=${TO}`)).range).toEqual({ kind: 'relative', range: '1h' });
    expect(parseView(params(`from=${FROM}`)).range).toEqual({ kind: 'relative', range: '1h' });
  });
});

describe('rangeToParams', () => {
  it('writes a preset and removes from/to', () => {
    expect(rangeToParams({ kind: 'relative', range: '24h' })).toEqual({ range: '24h', from: null, to: null });
  });

  it('writes a custom range in whole epoch ms and removes range; parseView reads it back', () => {
    const written = rangeToParams({ kind: 'absolute', fromMs: FROM + 0.4, toMs: TO });
    expect(written).toEqual({ range: null, from: String(FROM), to: String(TO) });
    const query = new URLSearchParams(Object.entries(written).filter((e): e is [string, string] => e[1] !== null));
    expect(parseView(query).range).toEqual({ kind: 'absolute', fromMs: FROM, toMs: TO });
  });
});

describe('refresh', () => {
  it('maps intervals to milliseconds, off to null', () => {
    expect(refreshIntervalMs('off')).toBeNull();
    expect(refreshIntervalMs('15s')).toBe(15_000);
    expect(refreshIntervalMs('5m')).toBe(300_000);
  });

  it('defaults to 30 s for a moving window and off for a fixed one', () => {
    expect(defaultRefresh({ kind: 'relative', range: '15m' })).toBe('30s');
    expect(defaultRefresh({ kind: 'absolute', fromMs: FROM, toMs: TO })).toBe('off');
  });
});

describe('overviewQuery', () => {
  it('asks for a preset with time_range', () => {
    expect(overviewQuery({ kind: 'relative', range: '6h' }, 640)).toBe('time_range=6h&max_points=640');
  });

  it('asks for a custom range with ISO from/to', () => {
    const query = new URLSearchParams(overviewQuery({ kind: 'absolute', fromMs: FROM, toMs: TO }, 500));
    expect(query.get('from')).toBe('2026-11-24T10:00:00.000Z');
    expect(query.get('to')).toBe('2026-11-24T12:00:00.000Z');
    expect(query.get('time_range')).toBeNull();
  });

  it('keeps max_points within what the API accepts', () => {
    expect(overviewQuery({ kind: 'relative', range: '1h' }, 99_999)).toContain('max_points=5000');
    expect(overviewQuery({ kind: 'relative', range: '1h' }, 0)).toContain('max_points=1');
  });
});

describe('zoom', () => {
  const now = TO + 3_600_000;

  it('turns a drag into an absolute range, in either direction', () => {
    expect(zoomedRange(TO, FROM, now)).toEqual({ kind: 'absolute', fromMs: FROM, toMs: TO });
  });

  it('widens a tiny drag to the minimum window around its middle', () => {
    const range = zoomedRange(FROM, FROM + 1000, now);
    expect(range).toEqual({ kind: 'absolute', fromMs: FROM + 500 - MIN_CUSTOM_WINDOW_MS / 2, toMs: FROM + 500 + MIN_CUSTOM_WINDOW_MS / 2 });
  });

  it('never ends in the future', () => {
    expect(zoomedRange(now - 1000, now + 5000, now)).toEqual({ kind: 'absolute', fromMs: now - MIN_CUSTOM_WINDOW_MS, toMs: now });
  });

  it('zooms out to twice the window around the same middle', () => {
    expect(zoomedOut({ fromMs: FROM, toMs: TO }, now)).toEqual({ kind: 'absolute', fromMs: FROM - 3_600_000, toMs: TO + 3_600_000 });
    // Against the present: the window shifts back instead of reaching into the future.
    expect(zoomedOut({ fromMs: now - 3_600_000, toMs: now }, now)).toEqual({ kind: 'absolute', fromMs: now - 7_200_000, toMs: now });
  });
});

describe('instants', () => {
  // The instants themselves are read by @shared/instant.ts, as the API reads them (src/shared/instant.test.ts).
  it('reads from/to as the API does: epoch ms or ISO with an offset; empty, missing or anything else falls back', () => {
    const custom = { kind: 'absolute', fromMs: FROM, toMs: TO };
    expect(parseView(params(`from=${FROM}&to=2026-11-24T12:00:00Z`)).range).toEqual(custom);
    expect(parseView(params(`from=&to=${TO}`)).range).toEqual({ kind: 'relative', range: '1h' });
    expect(parseView(params(`to=${TO}`)).range).toEqual({ kind: 'relative', range: '1h' });
    expect(parseView(params(`from=tomorrow&to=${TO}`)).range).toEqual({ kind: 'relative', range: '1h' });
    // Without an offset the time would mean something else in another zone: refused, as by the API.
    expect(parseView(params(`from=2026-11-24T10:00:00&to=${TO}`)).range).toEqual({ kind: 'relative', range: '1h' });
  });

  it('round-trips datetime-local values in local time', () => {
    const value = toLocalInputValue(FROM);
    expect(value).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/);
    expect(fromLocalInputValue(value)).toBe(FROM);
    expect(fromLocalInputValue('2026-11-24')).toBeNull();
  });
});
