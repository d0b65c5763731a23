/** Blocks summed into a window's buckets give what adding the samples one by one gives, in every column form. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type BlockSample, encodeTrendBlock } from './trend-block.js';
import { bucketGrid, RawBucketSums, sumTierBlocks, sumTrendBlocks } from './trend-block-sums.js';

const HOUR = 3_600_000;
const T0 = Date.UTC(2026, 11, 1, 8);
const FIELDS = ['empty', 'steady', 'count', 'rate', 'sparse'];

/** Two hours of samples every 30 s, some collections failed (every value null). */
function hours(): Array<{ hour: number; samples: BlockSample[] }> {
  return [0, 1].map((h) => ({
    hour: T0 + h * HOUR,
    samples: Array.from({ length: 120 }, (_, i) => {
      const k = h * 120 + i;
      const failed = k % 17 === 0;
      return {
        collectedAt: T0 + h * HOUR + i * 30_000 + (k % 5),
        reachable: !failed,
        values: failed ? [null, null, null, null, null] : [null, 3, k - 60, k / 3 + 0.1, k % 4 === 0 ? null : -k * 1.5],
      };
    }),
  }));
}

/** The buckets as adding each sample gives them: start → [samples, reachable, then sum, n, max per field (max null while none)]. */
function expected(input: ReturnType<typeof hours>, from: number, to: number, width: number): Array<[number, Array<number | null>]> {
  const buckets = new Map<number, Array<number | null>>();
  for (const { samples } of input) {
    for (const s of samples) {
      if (s.collectedAt < from || s.collectedAt >= to) continue;
      const start = Math.floor(s.collectedAt / width) * width;
      const b = buckets.get(start) ?? [0, 0, ...FIELDS.flatMap(() => [0, 0, null])];
      buckets.set(start, b);
      b[0] = b[0]! + 1;
      b[1] = b[1]! + (s.reachable ? 1 : 0);
      s.values.forEach((v, f) => {
        if (v === null) return;
        b[2 + 3 * f] = b[2 + 3 * f]! + v;
        b[3 + 3 * f] = b[3 + 3 * f]! + 1;
        b[4 + 3 * f] = b[4 + 3 * f] === null ? v : Math.max(b[4 + 3 * f]!, v);
      });
    }
  }
  return [...buckets].sort((a, b) => a[0] - b[0]);
}

const actual = (sums: RawBucketSums): Array<[number, Array<number | null>]> =>
  sums.buckets().map(([start, s]) => [start, Array.from(s, (v, k) => (k >= 4 && (k - 4) % 3 === 0 && s[k - 1] === 0 ? null : v))]);

function expectClose(got: Array<[number, Array<number | null>]>, want: Array<[number, Array<number | null>]>): void {
  expect(got.map(([start]) => start)).toEqual(want.map(([start]) => start));
  got.forEach(([, values], i) => values.forEach((v, k) => (v === null ? expect(want[i]![1][k]).toBeNull() : expect(v).toBeCloseTo(want[i]![1][k]!, 9))));
}

describe('trend block sums', () => {
  const input = hours();
  const stored = input.map(({ hour, samples }) => ({ hour_start: hour, data: encodeTrendBlock(hour, FIELDS, samples) }));

  it('add every sample of the window to its bucket, none outside it, nulls left out', () => {
    fc.assert(
      fc.property(fc.integer({ min: -10 * 60_000, max: 2 * HOUR }), fc.integer({ min: 1, max: 2 * HOUR + 10 * 60_000 }), fc.constantFrom(30_000, 60_000, 90_000, 420_000, HOUR), (start, span, width) => {
        const from = T0 + start;
        const to = from + span;
        const { sums, covered } = sumTrendBlocks(FIELDS, stored, from, to, width);
        expect([...covered]).toEqual([T0, T0 + HOUR]);
        expectClose(actual(sums), expected(input, from, to, width));
      }),
      { numRuns: 150 },
    );
  });

  it('leave out a block that lacks a field, so its hour is read from raw rows', () => {
    const without = { hour_start: T0 + HOUR, data: encodeTrendBlock(T0 + HOUR, FIELDS.slice(0, 4), input[1]!.samples.map((s) => ({ ...s, values: s.values.slice(0, 4) }))) };
    const { sums, covered } = sumTrendBlocks(FIELDS, [stored[0]!, without], T0, T0 + 2 * HOUR, 600_000);
    expect([...covered]).toEqual([T0]);
    expectClose(actual(sums), expected([input[0]!], T0, T0 + 2 * HOUR, 600_000));
  });

  it('add the groups raw rows give to the same buckets, and refuse one off the grid', () => {
    const sums = new RawBucketSums(['qps'], bucketGrid(T0, T0 + HOUR, 600_000));
    sums.addGroup({ bucket_start: T0 + 600_000, samples: 2, reachable_samples: 1, sum_qps: 5, n_qps: 2, max_qps: 4 });
    sums.addGroup({ bucket_start: T0 + 600_000, samples: 1, reachable_samples: 1, sum_qps: null, n_qps: 0, max_qps: null });
    expect(actual(sums)).toEqual([[T0 + 600_000, [3, 2, 5, 2, 4]]]);
    expect(() => sums.addGroup({ bucket_start: T0 + 1, samples: 1, reachable_samples: 1 })).toThrow(RangeError);
  });
});

describe('tier block sums', () => {
  const DAY = 86_400_000;
  const DAY0 = Date.UTC(2026, 11, 1);
  const WIDTH = 300_000;
  // Two days of 5-minute buckets, as a tier row holds them: qps keeps a maximum, errors (a delta) only sum and count;
  // a bucket where every collection failed has samples but no figures, and a few buckets are missing altogether.
  const rows = [0, 1].map((d) =>
    Array.from({ length: 288 }, (_, i) => {
      const k = d * 288 + i;
      const failed = k % 13 === 0;
      return {
        bucket_start: DAY0 + d * DAY + i * WIDTH,
        samples: 10,
        reachable_samples: failed ? 0 : 10 - (k % 3),
        sum_qps: failed ? null : k * 10 + 0.5,
        n_qps: failed ? 0 : 10,
        max_qps: failed ? null : k + 7,
        sum_errors: failed ? null : k % 7,
        n_errors: failed ? 0 : 10,
      };
    }).filter((_, i) => i % 41 !== 5),
  );
  const COLUMNS = ['samples', 'reachable_samples', 'sum_qps', 'n_qps', 'max_qps', 'sum_errors', 'n_errors'] as const;
  const stored = rows.map((day, d) => ({
    day_start: DAY0 + d * DAY,
    data: encodeTrendBlock(DAY0 + d * DAY, COLUMNS, day.map((r) => ({ collectedAt: r.bucket_start, reachable: false, values: COLUMNS.map((c) => r[c]) })), DAY),
  }));

  it('add every tier bucket of the window as its tier row would be added, a kept maximum as the highest and a missing one as unknown', () => {
    fc.assert(
      fc.property(fc.integer({ min: -3, max: 2 * 288 }), fc.integer({ min: 1, max: 2 * 288 + 3 }), fc.constantFrom(1, 3, 12, 288), (start, span, buckets) => {
        const from = DAY0 + start * WIDTH;
        const to = from + span * WIDTH;
        const width = buckets * WIDTH;
        const { sums, covered } = sumTierBlocks(['qps', 'errors'], stored, from, to, width);
        expect([...covered]).toEqual([DAY0, DAY0 + DAY]);
        const want = new RawBucketSums(['qps', 'errors'], bucketGrid(from, to, width));
        for (const r of rows.flat()) {
          if (r.bucket_start < from || r.bucket_start >= to) continue;
          want.addGroup({ ...r, bucket_start: Math.floor(r.bucket_start / width) * width, max_errors: null });
        }
        const got = sums.buckets();
        const expectedBuckets = want.buckets();
        expect(got.map(([b]) => b)).toEqual(expectedBuckets.map(([b]) => b));
        got.forEach(([, values], i) => {
          const w = expectedBuckets[i]![1];
          // errors' maximum, where it has values: none kept, so unknown (NaN); everything else as the rows give it.
          [0, 1, 2, 3, 5, 6].forEach((k) => expect(values[k]).toBeCloseTo(w[k]!, 9));
          if (values[3]! > 0) expect(values[4]).toBe(w[4]);
          if (values[6]! > 0) expect(values[7]).toBeNaN();
        });
      }),
      { numRuns: 150 },
    );
  });

  it('leave out a block that lacks a field’s sum or count, so its day is read from tier rows', () => {
    const partial = { day_start: DAY0 + DAY, data: encodeTrendBlock(DAY0 + DAY, ['samples', 'reachable_samples', 'sum_qps'], rows[1]!.map((r) => ({ collectedAt: r.bucket_start, reachable: false, values: [r.samples, r.reachable_samples, r.sum_qps] })), DAY) };
    const { covered } = sumTierBlocks(['qps'], [stored[0]!, partial], DAY0, DAY0 + 2 * DAY, 3_600_000);
    expect([...covered]).toEqual([DAY0]);
  });
});
