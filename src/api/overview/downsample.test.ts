import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { alignColumns, downsample, meanOf, planBuckets, TrendBuckets } from './downsample.js';

const S = 1000;
const MIN = 60 * S;
const T0 = Date.UTC(2026, 10, 24, 12, 0, 0);

describe('planBuckets', () => {
  it('uses the step when the window has fewer collections than max points', () => {
    // 1 h at 30 s: 120 collections, well under 720.
    expect(planBuckets(T0 - 60 * MIN, T0, 720, 30 * S)).toEqual({ widthMs: 30 * S, firstMs: T0 - 60 * MIN, count: 120 });
  });

  it('rounds span ÷ max points up to a whole multiple of the step', () => {
    // 7 d ÷ 720 = 840 s, a multiple of 30 s; 6 h ÷ 100 = 216 s → 240 s.
    expect(planBuckets(T0 - 7 * 86_400 * S, T0, 720, 30 * S).widthMs).toBe(840 * S);
    expect(planBuckets(T0 - 6 * 60 * MIN, T0, 100, 30 * S).widthMs).toBe(240 * S);
    // A step of a second: the width is a whole number of seconds.
    expect(planBuckets(0, 10_500, 4, S).widthMs).toBe(3 * S);
  });

  it('aligns buckets to multiples of their width, so a refresh keeps them', () => {
    const a = planBuckets(T0 - 60 * MIN + 7 * S, T0 + 7 * S, 60, 30 * S);
    const b = planBuckets(T0 - 60 * MIN + 19 * S, T0 + 19 * S, 60, 30 * S);
    expect(a.widthMs).toBe(60 * S);
    expect(a.firstMs % a.widthMs).toBe(0);
    expect(b.firstMs % b.widthMs).toBe(0);
    // Both windows share every bucket but their first (which starts inside the other).
    expect(a.firstMs).toBe(b.firstMs);
  });

  it('leaves out a partial first bucket that would make one too many', () => {
    // 1 h in 60 buckets of a minute, starting 7 s into a minute: 61 aligned minutes touch it.
    const plan = planBuckets(T0 - 60 * MIN + 7 * S, T0 + 7 * S, 60, 30 * S);
    expect(plan).toEqual({ widthMs: MIN, firstMs: T0 - 59 * MIN, count: 60 });
  });

  it('never plans more than max points, and covers the window but for less than one bucket at its start', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 4e12 }),
        fc.integer({ min: 1, max: 40 * 86_400_000 }),
        fc.integer({ min: 1, max: 5000 }),
        fc.constantFrom(1000, 15_000, 30_000, 60_000, 86_400_000),
        (from, span, maxPoints, step) => {
          const plan = planBuckets(from, from + span, maxPoints, step);
          expect(plan.count).toBeGreaterThanOrEqual(1);
          expect(plan.count).toBeLessThanOrEqual(maxPoints);
          expect(plan.widthMs % step).toBe(0);
          expect(plan.widthMs).toBeGreaterThanOrEqual(Math.ceil(span / maxPoints));
          expect(plan.firstMs % plan.widthMs).toBe(0);
          expect(plan.firstMs + plan.count * plan.widthMs).toBeGreaterThanOrEqual(from + span);
          expect(plan.firstMs - from).toBeLessThan(plan.widthMs);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('refuses an empty window or a bad max', () => {
    expect(() => planBuckets(T0, T0, 10, S)).toThrow(RangeError);
    expect(() => planBuckets(T0, T0 + S, 0, S)).toThrow(RangeError);
  });
});

describe('TrendBuckets', () => {
  const plan = planBuckets(T0, T0 + 4 * MIN, 4, 30 * S); // four one-minute buckets

  it('averages the samples of a bucket, ignoring nulls', () => {
    const points = downsample(
      [
        { at: T0, qps: 10, cpu: null },
        { at: T0 + 30 * S, qps: 20, cpu: 50 },
        { at: T0 + 59 * S, qps: null, cpu: 70 },
      ],
      plan,
      ['qps', 'cpu'],
    );
    expect(points).toEqual({ starts: [T0], series: [[15], [60]] });
  });

  it('keeps gaps: no bucket where nothing was collected, null where rows lacked the figure', () => {
    const points = downsample(
      [
        { at: T0, qps: 1 },
        // minute 2: a failed collection, every figure null
        { at: T0 + 2 * MIN, qps: null },
        { at: T0 + 3 * MIN + 5 * S, qps: 4 },
      ],
      plan,
      ['qps'],
    );
    expect(points).toEqual({ starts: [T0, T0 + 2 * MIN, T0 + 3 * MIN], series: [[1, null, 4]] });
  });

  it('never turns a gap into 0, and ignores samples outside its buckets and non-finite values', () => {
    const buckets = new TrendBuckets(plan, ['qps']);
    buckets.add(T0 - 1, { qps: 100 });
    buckets.add(T0 + 4 * MIN, { qps: 100 });
    buckets.add(T0 + MIN, { qps: Number.NaN });
    expect(buckets.columnsOf([meanOf(0)])).toEqual({ starts: [T0 + MIN], series: [[null]] });
  });

  it("computes each figure from a bucket's sums and counts (a ratio of totals, not a mean of ratios)", () => {
    const buckets = new TrendBuckets(plan, ['errors', 'queries']);
    buckets.add(T0, { errors: 1, queries: 10 });
    buckets.add(T0 + 30 * S, { errors: 9, queries: 90 });
    buckets.add(T0 + MIN, { errors: 0, queries: null });
    const ratio = (sum: Float64Array, n: Float64Array) => ((n[1] ?? 0) === 0 ? null : (100 * (sum[0] ?? 0)) / (sum[1] ?? 1));
    expect(buckets.columnsOf([ratio])).toEqual({ starts: [T0, T0 + MIN], series: [[10, null]] });
  });

  it('holds at most max points whatever the samples', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 3_600_000 }), fc.option(fc.double({ noNaN: true, min: -1e9, max: 1e9 }))), { maxLength: 300 }), fc.integer({ min: 1, max: 100 }), (samples, maxPoints) => {
        const p = planBuckets(0, 3_600_000, maxPoints, 1000);
        const { starts, series } = downsample(samples.map(([at, v]) => ({ at, v })), p, ['v']);
        expect(starts.length).toBeLessThanOrEqual(maxPoints);
        expect(series[0]).toHaveLength(starts.length);
        expect([...starts].sort((a, b) => a - b)).toEqual(starts);
        for (const value of series[0]!) expect(value === null || Number.isFinite(value)).toBe(true);
      }),
      { numRuns: 200 },
    );
  });
});

describe('alignColumns', () => {
  it('puts columns of different rows on the union of their buckets, null where a part had none', () => {
    const builtIn = { starts: [0, 60, 120], series: [[1, 2, 3], [4, null, 6]] };
    const custom = { starts: [60, 180], series: [[7, 8]] };
    expect(alignColumns([builtIn, custom])).toEqual({
      starts: [0, 60, 120, 180],
      parts: [
        [
          [1, 2, 3, null],
          [4, null, 6, null],
        ],
        [[null, 7, null, 8]],
      ],
    });
  });

  it('keeps a part whose buckets are all the buckets as it was', () => {
    const builtIn = { starts: [0, 60], series: [[1, 2]] };
    expect(alignColumns([builtIn, { starts: [], series: [] }])).toEqual({ starts: [0, 60], parts: [[[1, 2]], []] });
  });
});
