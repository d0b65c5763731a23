/**
 * Down-sampling of trends into at most `max_points` buckets. Pure.
 *
 * - Width: ceil(span ÷ max_points), rounded up to a whole multiple of the step (the cluster's
 *   collection interval, or one day for daily rows) and never below it, so a bucket never
 *   falls between two collections and shows up empty every other time.
 * - Alignment: buckets start at multiples of their width since the epoch, so an auto-refreshing
 *   chart keeps its buckets (and their averages) from one refresh to the next. Aligned buckets
 *   can make max_points + 1 when the window starts inside one; that partial first bucket is
 *   then left out (it holds less than one bucket's width of the oldest data).
 * - Value: the average of the samples in the bucket, ignoring nulls.
 * - Gaps stay gaps: a bucket without any sample is absent; a bucket whose samples all lack the
 *   field (a failed collection, a figure the cluster does not report) is present with null.
 */
import type { TrendPoint } from '../../shared/api/overview.js';

export interface BucketPlan {
  /** Width of one bucket, ms. */
  readonly widthMs: number;
  /** Start of the first bucket, ms: a multiple of widthMs. */
  readonly firstMs: number;
  readonly count: number;
}

/** Buckets covering `[from, to)`: at most `maxPoints`, each a whole number of `stepMs` wide. */
export function planBuckets(from: number, to: number, maxPoints: number, stepMs: number): BucketPlan {
  if (!(to > from)) throw new RangeError(`empty window [${from}, ${to})`);
  if (!Number.isInteger(maxPoints) || maxPoints < 1) throw new RangeError(`max points must be a positive whole number, not ${maxPoints}`);
  if (!(stepMs > 0)) throw new RangeError(`step must be positive, not ${stepMs}`);
  const span = to - from;
  const widthMs = Math.max(stepMs, Math.ceil(Math.ceil(span / maxPoints) / stepMs) * stepMs);
  let firstMs = Math.floor(from / widthMs) * widthMs;
  const lastMs = Math.floor((to - 1) / widthMs) * widthMs;
  let count = (lastMs - firstMs) / widthMs + 1;
  // widthMs ≥ span ÷ maxPoints, so aligned buckets number at most maxPoints + 1.
  if (count > maxPoints) {
    firstMs += widthMs;
    count -= 1;
  }
  return { widthMs, firstMs, count };
}

/** What TrendBuckets takes in: a sample's time, its collections, and each field's sum and count (arrays in the order of the buckets' fields). */
export interface BucketInput {
  readonly at: number;
  readonly samples: number;
  readonly sum: ArrayLike<number>;
  readonly n: ArrayLike<number>;
}

/** Collects samples into buckets field by field, then yields points. */
export class TrendBuckets<F extends string> {
  private readonly samples: Float64Array;
  /** Bucket-major: [bucket × fields + field]. */
  private readonly sums: Float64Array;
  private readonly counts: Float64Array;

  constructor(
    readonly plan: BucketPlan,
    readonly fields: readonly F[],
  ) {
    this.samples = new Float64Array(plan.count);
    this.sums = new Float64Array(plan.count * fields.length);
    this.counts = new Float64Array(plan.count * fields.length);
  }

  /** One value of each field at `at` (epoch ms, or a day's position); ignored outside the buckets. */
  add(at: number, values: Readonly<Partial<Record<F, number | null>>>): void {
    const sum = new Float64Array(this.fields.length);
    const n = new Float64Array(this.fields.length);
    this.fields.forEach((field, i) => {
      const value = values[field];
      if (typeof value === 'number' && Number.isFinite(value)) {
        sum[i] = value;
        n[i] = 1;
      }
    });
    this.addSample({ at, samples: 1, sum, n });
  }

  /** A raw snapshot or a tier bucket (a SpanSample over the same fields): its collections and each field's sum and count. */
  addSample(sample: BucketInput): void {
    const index = Math.floor((sample.at - this.plan.firstMs) / this.plan.widthMs);
    if (!(index >= 0 && index < this.plan.count)) return;
    this.samples[index] = (this.samples[index] ?? 0) + sample.samples;
    const base = index * this.fields.length;
    for (let i = 0; i < this.fields.length; i += 1) {
      this.sums[base + i] = (this.sums[base + i] ?? 0) + (sample.sum[i] ?? 0);
      this.counts[base + i] = (this.counts[base + i] ?? 0) + (sample.n[i] ?? 0);
    }
  }

  /** The field's points (the mean of its values in each bucket), oldest first; `timestamp` turns a bucket start into the string shown. */
  points(field: F, timestamp: (bucketStartMs: number) => string = isoTime): TrendPoint[] {
    const i = this.fields.indexOf(field);
    const [points] = this.pointsOf([(sum, n) => ((n[i] ?? 0) === 0 ? null : (sum[i] ?? 0) / (n[i] ?? 1))], timestamp);
    return points ?? [];
  }

  /** Points of several values computed from a bucket's sums and counts (a mean, a ratio of two fields' totals…), each bucket's time formatted once. */
  pointsOf(values: readonly ((sum: Float64Array, n: Float64Array) => number | null)[], timestamp: (bucketStartMs: number) => string = isoTime): TrendPoint[][] {
    const out = values.map((): TrendPoint[] => []);
    const width = this.fields.length;
    for (let b = 0; b < this.plan.count; b += 1) {
      if ((this.samples[b] ?? 0) === 0) continue;
      const time = timestamp(this.plan.firstMs + b * this.plan.widthMs);
      const sum = this.sums.subarray(b * width, (b + 1) * width);
      const n = this.counts.subarray(b * width, (b + 1) * width);
      values.forEach((value, v) => out[v]!.push({ timestamp: time, value: value(sum, n) }));
    }
    return out;
  }
}

export function isoTime(ms: number): string {
  return new Date(ms).toISOString();
}

/** Every field's points from samples `{at, ...values}`; the one-call form of TrendBuckets. */
export function downsample<F extends string>(
  samples: Iterable<{ readonly at: number } & Readonly<Partial<Record<F, number | null>>>>,
  plan: BucketPlan,
  fields: readonly F[],
): Record<F, TrendPoint[]> {
  const buckets = new TrendBuckets(plan, fields);
  for (const sample of samples) buckets.add(sample.at, sample);
  return Object.fromEntries(fields.map((f) => [f, buckets.points(f)])) as Record<F, TrendPoint[]>;
}
