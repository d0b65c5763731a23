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
 * - Gaps stay gaps: a bucket without any sample is absent (no timestamp); a bucket whose samples
 *   all lack the field (a failed collection, a figure the cluster does not report) is present
 *   with null.
 */
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

/** A figure of a bucket from its sums and counts by field. */
export type BucketFigure = (sum: Float64Array, n: Float64Array) => number | null;

/** The mean of the field at `index`: null where the bucket has no value of it. */
export const meanOf =
  (index: number): BucketFigure =>
  (sum, n) =>
    (n[index] ?? 0) === 0 ? null : (sum[index] ?? 0) / (n[index] ?? 1);

/** Collects samples into buckets field by field, then yields columns. */
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

  /**
   * The buckets holding data, oldest first, and per entry of `values` (a mean, a ratio of two
   * fields' totals…) its figure in each of them, from the bucket's sums and counts.
   */
  columnsOf(values: readonly BucketFigure[]): TrendColumns {
    const starts: number[] = [];
    const series = values.map((): Array<number | null> => []);
    const width = this.fields.length;
    for (let b = 0; b < this.plan.count; b += 1) {
      if ((this.samples[b] ?? 0) === 0) continue;
      starts.push(this.plan.firstMs + b * this.plan.widthMs);
      const sum = this.sums.subarray(b * width, (b + 1) * width);
      const n = this.counts.subarray(b * width, (b + 1) * width);
      for (let v = 0; v < values.length; v += 1) series[v]!.push(values[v]!(sum, n));
    }
    return { starts, series };
  }
}

/** Trends as columns: the start of each bucket holding data (a position on the buckets' axis), and per series one figure per start (null: the bucket's samples lacked it). */
export interface TrendColumns {
  readonly starts: readonly number[];
  readonly series: ReadonlyArray<ReadonlyArray<number | null>>;
}

export function isoTime(ms: number): string {
  return new Date(ms).toISOString();
}

/** Every field's means from samples `{at, ...values}`, as columns in the order of `fields`; the one-call form of TrendBuckets. */
export function downsample<F extends string>(
  samples: Iterable<{ readonly at: number } & Readonly<Partial<Record<F, number | null>>>>,
  plan: BucketPlan,
  fields: readonly F[],
): TrendColumns {
  const buckets = new TrendBuckets(plan, fields);
  for (const sample of samples) buckets.add(sample.at, sample);
  return buckets.columnsOf(fields.map((_, i) => meanOf(i)));
}

/**
 * Columns of the same buckets read from different rows (the built-in trends and the custom
 * metrics) on one axis: the union of their starts, each series null where its own rows had no
 * bucket. Usually one set of starts holds the other, and its series come back as they were.
 */
export function alignColumns(parts: readonly TrendColumns[]): { starts: number[]; parts: Array<Array<Array<number | null>>> } {
  const starts = [...new Set(parts.flatMap((p) => p.starts))].sort((a, b) => a - b);
  const aligned = parts.map((part) => {
    if (part.starts.length === starts.length) return part.series.map((values) => [...values]);
    const index = new Map(part.starts.map((start, i) => [start, i]));
    return part.series.map((values) => starts.map((start) => {
      const i = index.get(start);
      return i === undefined ? null : (values[i] ?? null);
    }));
  });
  return { starts, parts: aligned };
}
