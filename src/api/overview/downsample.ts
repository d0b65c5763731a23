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

/** Collects samples into buckets field by field, then yields each field's points. */
export class TrendBuckets<F extends string> {
  private readonly samples: Uint32Array;
  private readonly sums = new Map<F, Float64Array>();
  private readonly counts = new Map<F, Uint32Array>();

  constructor(
    readonly plan: BucketPlan,
    readonly fields: readonly F[],
  ) {
    this.samples = new Uint32Array(plan.count);
    for (const field of fields) {
      this.sums.set(field, new Float64Array(plan.count));
      this.counts.set(field, new Uint32Array(plan.count));
    }
  }

  /** A sample at `at` (epoch ms, or a day's position); ignored outside the buckets. */
  add(at: number, values: Readonly<Partial<Record<F, number | null>>>): void {
    const index = Math.floor((at - this.plan.firstMs) / this.plan.widthMs);
    if (!(index >= 0 && index < this.plan.count)) return;
    this.samples[index] = (this.samples[index] ?? 0) + 1;
    for (const field of this.fields) {
      const value = values[field];
      if (typeof value !== 'number' || !Number.isFinite(value)) continue;
      const sums = this.sums.get(field);
      const counts = this.counts.get(field);
      if (!sums || !counts) continue;
      sums[index] = (sums[index] ?? 0) + value;
      counts[index] = (counts[index] ?? 0) + 1;
    }
  }

  /** The field's points, oldest first; `timestamp` turns a bucket start into the string shown. */
  points(field: F, timestamp: (bucketStartMs: number) => string = isoTime): TrendPoint[] {
    const sums = this.sums.get(field);
    const counts = this.counts.get(field);
    const points: TrendPoint[] = [];
    for (let i = 0; i < this.plan.count; i += 1) {
      if ((this.samples[i] ?? 0) === 0) continue;
      const n = counts?.[i] ?? 0;
      points.push({ timestamp: timestamp(this.plan.firstMs + i * this.plan.widthMs), value: n === 0 ? null : (sums?.[i] ?? 0) / n });
    }
    return points;
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
