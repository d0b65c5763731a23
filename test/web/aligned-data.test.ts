import { describe, expect, it } from 'vitest';
import { alignTrends, GAP_FACTOR, hasAnyValue, isolatedIndices } from '../../web/src/charts/aligned-data.js';

const at = (minute: number): string => new Date(Date.UTC(2026, 10, 24, 12, minute)).toISOString();
const sec = (minute: number): number => Date.UTC(2026, 10, 24, 12, minute) / 1000;
const point = (minute: number, value: number | null) => ({ timestamp: at(minute), value });

describe('alignTrends', () => {
  it('puts series with the same buckets side by side, x in Unix seconds', () => {
    const data = alignTrends(
      [
        [point(0, 1), point(1, 2), point(2, 3)],
        [point(0, 10), point(1, 20), point(2, 30)],
      ],
      60,
    );
    expect(data).toEqual([
      [sec(0), sec(1), sec(2)],
      [1, 2, 3],
      [10, 20, 30],
    ]);
  });

  it('keeps a null value as a null (a gap), never a 0', () => {
    const data = alignTrends([[point(0, 1), point(1, null), point(2, 3)]], 60);
    expect(data[1]).toEqual([1, null, 3]);
  });

  it('inserts a null x where a bucket is missing, one bucket after the last point', () => {
    const data = alignTrends(
      [
        [point(0, 1), point(1, 2), point(5, 6)],
        [point(0, 1), point(1, 2), point(5, 6)],
      ],
      60,
    );
    expect(data[0]).toEqual([sec(0), sec(1), sec(2), sec(5)]);
    expect(data[1]).toEqual([1, 2, null, 6]);
    expect(data[2]).toEqual([1, 2, null, 6]);
  });

  it(`tolerates steps up to ${GAP_FACTOR} buckets (collections drift a little)`, () => {
    const jittered = [{ timestamp: new Date(sec(0) * 1000).toISOString(), value: 1 }, { timestamp: new Date((sec(0) + 89) * 1000).toISOString(), value: 2 }];
    expect(alignTrends([jittered], 60)[0]).toHaveLength(2);
    const late = [jittered[0]!, { timestamp: new Date((sec(0) + 91) * 1000).toISOString(), value: 2 }];
    expect(alignTrends([late], 60)[1]).toEqual([1, null, 2]);
  });

  it('does not insert gaps when the bucket width is unknown (0)', () => {
    expect(alignTrends([[point(0, 1), point(10, 2)]], 0)[0]).toEqual([sec(0), sec(10)]);
  });

  it('aligns series on the union of their timestamps, null where a series has no point', () => {
    const data = alignTrends([[point(0, 1), point(1, 2)], [point(1, 20), point(2, 30)]], 60);
    expect(data).toEqual([
      [sec(0), sec(1), sec(2)],
      [1, 2, null],
      [null, 20, 30],
    ]);
  });

  it('sorts points given out of order and drops unreadable timestamps', () => {
    const data = alignTrends([[point(2, 3), { timestamp: 'yesterday', value: 9 }, point(0, 1), point(1, 2)]], 60);
    expect(data).toEqual([
      [sec(0), sec(1), sec(2)],
      [1, 2, 3],
    ]);
  });

  it('turns non-finite values into nulls', () => {
    expect(alignTrends([[point(0, Number.NaN), point(1, Number.POSITIVE_INFINITY)]], 60)[1]).toEqual([null, null]);
  });

  it('gives an x array and one empty y array per series when there is no data', () => {
    expect(alignTrends([[], []], 60)).toEqual([[], [], []]);
  });

  it('handles thousands of points per series quickly', () => {
    const n = 5000;
    const series = [0, 1, 2, 3].map((s) => Array.from({ length: n }, (_, i) => ({ timestamp: new Date(Date.UTC(2026, 0, 1) + i * 30_000).toISOString(), value: i % 97 === 0 ? null : i + s })));
    const started = performance.now();
    const data = alignTrends(series, 30);
    expect(performance.now() - started).toBeLessThan(500);
    expect(data[0]).toHaveLength(n);
    expect(data[1]?.[1]).toBe(1);
  });
});

describe('hasAnyValue', () => {
  it('is false when every series is all nulls, true with one value', () => {
    expect(hasAnyValue([[1, 2], [null, null], [null, null]])).toBe(false);
    expect(hasAnyValue([[1, 2], [null, null], [null, 0]])).toBe(true);
    expect(hasAnyValue([[]])).toBe(false);
  });
});

describe('isolatedIndices', () => {
  it('finds values with no neighbour, which a line alone would not show', () => {
    expect(isolatedIndices([1, null, 2, null, 3, 4, null])).toEqual([0, 2]);
    expect(isolatedIndices([null, 5])).toEqual([1]);
    expect(isolatedIndices([1, 2, 3])).toEqual([]);
  });
});
