import { describe, expect, it } from 'vitest';
import { alignTrends, GAP_FACTOR, hasAnyValue, isolatedIndices } from '../../web/src/charts/aligned-data.js';

const sec = (minute: number): number => Date.UTC(2026, 10, 24, 12, minute) / 1000;

describe('alignTrends', () => {
  it('puts the series beside the shared timestamps (Unix seconds)', () => {
    const data = alignTrends(
      [sec(0), sec(1), sec(2)],
      [
        [1, 2, 3],
        [10, 20, 30],
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
    const data = alignTrends([sec(0), sec(1), sec(2)], [[1, null, 3]], 60);
    expect(data[1]).toEqual([1, null, 3]);
  });

  it('inserts a null x where a bucket is missing, one bucket after the last point', () => {
    const data = alignTrends(
      [sec(0), sec(1), sec(5)],
      [
        [1, 2, 6],
        [1, 2, 6],
      ],
      60,
    );
    expect(data[0]).toEqual([sec(0), sec(1), sec(2), sec(5)]);
    expect(data[1]).toEqual([1, 2, null, 6]);
    expect(data[2]).toEqual([1, 2, null, 6]);
  });

  it(`tolerates steps up to ${GAP_FACTOR} buckets (collections drift a little)`, () => {
    expect(alignTrends([sec(0), sec(0) + 89], [[1, 2]], 60)[0]).toHaveLength(2);
    expect(alignTrends([sec(0), sec(0) + 91], [[1, 2]], 60)[1]).toEqual([1, null, 2]);
  });

  it('does not insert gaps when the bucket width is unknown (0)', () => {
    expect(alignTrends([sec(0), sec(10)], [[1, 2]], 0)[0]).toEqual([sec(0), sec(10)]);
  });

  it('turns non-finite values and values missing from a short series into nulls', () => {
    expect(alignTrends([sec(0), sec(1)], [[Number.NaN, Number.POSITIVE_INFINITY]], 60)[1]).toEqual([null, null]);
    expect(alignTrends([sec(0), sec(1)], [[1], undefined], 60).slice(1)).toEqual([
      [1, null],
      [null, null],
    ]);
  });

  it('gives an x array and one empty y array per series when there is no data', () => {
    expect(alignTrends([], [[], []], 60)).toEqual([[], [], []]);
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
