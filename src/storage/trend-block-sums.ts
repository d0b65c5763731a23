/**
 * Trend blocks (trend-block.ts) summed into buckets: per bucket its samples, the reachable ones,
 * and per field its sum, count and maximum — what `groupedSnapshotFigures` gives over the same
 * raw rows. Pure, and free of the database, so it runs where the blocks are read: in a SQLite
 * read thread (dialect/sqlite/sqlite-read-worker.ts), which then hands back a few hundred
 * buckets instead of megabytes of blobs, or in the process for PostgreSQL.
 */
import { type BlockColumn, ColumnForm, decodeTrendBlock, type DecodedBlock, INT_NULL } from './trend-block.js';

/** Per bucket (its start, ms): samples, reachable ones, then per column its sum, count and maximum (−∞ while none). */
export class RawBucketSums {
  private readonly sums = new Map<number, Float64Array>();

  constructor(readonly columns: readonly string[]) {}

  /** Numbers per bucket: samples, reachable, then sum, count and maximum of each column. */
  get stride(): number {
    return 2 + 3 * this.columns.length;
  }

  at(bucket: number): Float64Array {
    let sums = this.sums.get(bucket);
    if (sums === undefined) {
      sums = new Float64Array(this.stride);
      for (let f = 0; f < this.columns.length; f += 1) sums[4 + 3 * f] = Number.NEGATIVE_INFINITY;
      this.sums.set(bucket, sums);
    }
    return sums;
  }

  /** A group as `groupedSnapshotFigures` gives it: `bucket_start`, `samples`, `reachable_samples`, `sum_`, `n_`, `max_` of each column. */
  addGroup(group: Readonly<Record<string, number | null>>): void {
    const sums = this.at(Number(group.bucket_start));
    sums[0] = sums[0]! + Number(group.samples);
    sums[1] = sums[1]! + Number(group.reachable_samples);
    this.columns.forEach((column, f) => {
      const n = Number(group[`n_${column}`] ?? 0);
      if (n === 0) return;
      sums[2 + 3 * f] = sums[2 + 3 * f]! + Number(group[`sum_${column}`]);
      sums[3 + 3 * f] = sums[3 + 3 * f]! + n;
      sums[4 + 3 * f] = Math.max(sums[4 + 3 * f]!, Number(group[`max_${column}`]));
    });
  }

  /** Adds other sums of the same columns, bucket by bucket. */
  addSums(other: RawBucketSums): void {
    for (const [bucket, theirs] of other.sums) {
      const ours = this.at(bucket);
      ours[0] = ours[0]! + theirs[0]!;
      ours[1] = ours[1]! + theirs[1]!;
      for (let k = 2; k < theirs.length; k += 3) {
        ours[k] = ours[k]! + theirs[k]!;
        ours[k + 1] = ours[k + 1]! + theirs[k + 1]!;
        if (theirs[k + 2]! > ours[k + 2]!) ours[k + 2] = theirs[k + 2]!;
      }
    }
  }

  /** The buckets, oldest first. */
  buckets(): Array<readonly [bucket: number, sums: Float64Array]> {
    return [...this.sums].sort((a, b) => a[0] - b[0]);
  }

  /** The sums as two flat arrays (bucket starts; `stride` numbers per bucket), to hand to another thread without copying. */
  packed(): PackedBucketSums {
    const buckets = this.buckets();
    const starts = new Float64Array(buckets.length);
    const values = new Float64Array(buckets.length * this.stride);
    buckets.forEach(([start, sums], i) => {
      starts[i] = start;
      values.set(sums, i * this.stride);
    });
    return { starts, values };
  }

  static unpacked(columns: readonly string[], { starts, values }: PackedBucketSums): RawBucketSums {
    const sums = new RawBucketSums(columns);
    const stride = sums.stride;
    starts.forEach((start, i) => sums.sums.set(start, values.subarray(i * stride, (i + 1) * stride)));
    return sums;
  }
}

export interface PackedBucketSums {
  readonly starts: Float64Array;
  readonly values: Float64Array;
}

/** Adds a block's samples within `[from, to)` to their buckets. */
function addBlock(into: RawBucketSums, hour: number, block: DecodedBlock, columns: readonly BlockColumn[], from: number, to: number, widthMs: number): void {
  const { offsets, reachable } = block;
  // Each sample's bucket first (samples are in time order: a lookup only when the bucket
  // changes), then column by column, one tight loop per column's form.
  const targets: Array<Float64Array | undefined> = new Array<Float64Array | undefined>(block.samples);
  let bucket = Number.NaN;
  let sums: Float64Array | undefined;
  for (let i = 0; i < block.samples; i += 1) {
    const at = hour + offsets[i]!;
    if (at < from || at >= to) continue;
    const start = Math.floor(at / widthMs) * widthMs;
    if (start !== bucket) {
      bucket = start;
      sums = into.at(start);
    }
    sums![0] = sums![0]! + 1;
    sums![1] = sums![1]! + reachable[i]!;
    targets[i] = sums;
  }
  columns.forEach((column, f) => {
    const [sum, n, max] = [2 + 3 * f, 3 + 3 * f, 4 + 3 * f];
    const add = (t: Float64Array, v: number) => {
      t[sum] = t[sum]! + v;
      t[n] = t[n]! + 1;
      if (v > t[max]!) t[max] = v;
    };
    if (column.form === ColumnForm.None) return;
    if (column.form === ColumnForm.Constant) {
      for (const t of targets) if (t !== undefined) add(t, column.value);
      return;
    }
    // The blocks' nulls: NaN in a float64 column, INT_NULL in an int32 one.
    const nullValue = column.form === ColumnForm.Int32 ? INT_NULL : Number.NaN;
    const values = column.values;
    for (let i = 0; i < block.samples; i += 1) {
      const t = targets[i];
      const v = values[i]!;
      if (t === undefined || v === nullValue || v !== v) continue;
      add(t, v);
    }
  });
}

/**
 * Adds the samples within `[from, to)` of a stored block (its hour's start, ms, and its bytes)
 * into buckets of `widthMs`, aligned to multiples of it since the epoch. False, and nothing
 * added, when the block lacks one of the columns (built before that field joined the trends):
 * that hour must be read from raw rows.
 */
export function addTrendBlock(into: RawBucketSums, hour: number, data: Uint8Array, from: number, to: number, widthMs: number): boolean {
  const block = decodeTrendBlock(data);
  const columns = into.columns.map((f) => block.column(f));
  if (columns.some((c) => c === undefined)) return false;
  addBlock(into, hour, block, columns as BlockColumn[], from, to, widthMs);
  return true;
}

/** A window's blocks summed: the sums, and the hours they covered (the others are read from raw rows). */
export interface BlockSumsResult {
  readonly sums: RawBucketSums;
  readonly covered: ReadonlySet<number>;
}

/** Sums stored blocks `{hour_start, data}` into a window's buckets. */
export function sumTrendBlocks(columns: readonly string[], blocks: Iterable<{ readonly hour_start: number | bigint; readonly data: Uint8Array }>, from: number, to: number, widthMs: number): BlockSumsResult {
  const sums = new RawBucketSums(columns);
  const covered = new Set<number>();
  for (const { hour_start, data } of blocks) {
    const hour = Number(hour_start);
    if (addTrendBlock(sums, hour, data, from, to, widthMs)) covered.add(hour);
  }
  return { sums, covered };
}
