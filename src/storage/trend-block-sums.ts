/**
 * Trend blocks (trend-block.ts) summed into buckets: per bucket its samples, the reachable ones,
 * and per field its sum, count and maximum — what `groupedSnapshotFigures` gives over the same
 * raw rows. Pure, and free of the database, so it runs where the blocks are read: in a SQLite
 * read thread (dialect/sqlite/sqlite-read-worker.ts), which then hands back a few hundred
 * buckets instead of megabytes of blobs, or in the process for PostgreSQL.
 */
import { type BlockColumn, ColumnForm, decodeTrendBlock, type DecodedBlock, INT_NULL } from './trend-block.js';

/** The buckets of a window: `count` of `widthMs`, the first starting at `first` (a multiple of the width since the epoch). */
export interface BucketGrid {
  readonly first: number;
  readonly widthMs: number;
  readonly count: number;
}

/** The buckets of width `widthMs`, aligned to multiples of it since the epoch, that hold `[from, to)`. */
export function bucketGrid(from: number, to: number, widthMs: number): BucketGrid {
  const first = Math.floor(from / widthMs) * widthMs;
  const count = to > from ? Math.floor((to - 1 - first) / widthMs) + 1 : 0;
  return { first, widthMs, count };
}

/**
 * Per bucket of a grid: samples, reachable ones, then per column its sum, count and maximum
 * (−∞ while none), in one flat array (`stride` numbers a bucket), so summing a block touches
 * nothing but typed arrays. A bucket with no sample is no bucket.
 */
export class RawBucketSums {
  readonly values: Float64Array;

  constructor(
    readonly columns: readonly string[],
    readonly grid: BucketGrid,
    values?: Float64Array,
  ) {
    if (values !== undefined) this.values = values;
    else {
      this.values = new Float64Array(grid.count * this.stride);
      for (let b = 0; b < grid.count; b += 1) for (let f = 0; f < columns.length; f += 1) this.values[b * this.stride + 4 + 3 * f] = Number.NEGATIVE_INFINITY;
    }
  }

  /** Numbers per bucket: samples, reachable, then sum, count and maximum of each column. */
  get stride(): number {
    return 2 + 3 * this.columns.length;
  }

  /** A group as `groupedSnapshotFigures` gives it: `bucket_start`, `samples`, `reachable_samples`, `sum_`, `n_`, `max_` of each column. */
  addGroup(group: Readonly<Record<string, number | null>>): void {
    const b = (Number(group.bucket_start) - this.grid.first) / this.grid.widthMs;
    if (!(Number.isInteger(b) && b >= 0 && b < this.grid.count)) throw new RangeError(`a group at ${String(group.bucket_start)} is not a bucket of the window`);
    const sums = this.values.subarray(b * this.stride, (b + 1) * this.stride);
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

  /** The buckets holding samples, oldest first: each one's start and its `stride` numbers. */
  buckets(): Array<readonly [bucket: number, sums: Float64Array]> {
    const out: Array<readonly [number, Float64Array]> = [];
    const { first, widthMs, count } = this.grid;
    for (let b = 0; b < count; b += 1) {
      if (this.values[b * this.stride]! > 0) out.push([first + b * widthMs, this.values.subarray(b * this.stride, (b + 1) * this.stride)]);
    }
    return out;
  }
}

/** Adds a run's figures (one column's values in one bucket) to the bucket's. */
function addRun(sums: Float64Array, at: number, sum: number, count: number, max: number): void {
  sums[at] = sums[at]! + sum;
  sums[at + 1] = sums[at + 1]! + count;
  if (max > sums[at + 2]!) sums[at + 2] = max;
}

/**
 * Adds one column's values to their buckets (`bucketOf` each sample's, −1 outside the window).
 * Samples are in time order, so values are added up in runs of one bucket, whose numbers are
 * touched once a run. `nullValue` is the column's null (INT_NULL in an int32 column; NaN, which
 * equals nothing, in a float64 one, where `v !== v` finds it).
 */
function addColumn(sums: Float64Array, stride: number, offset: number, bucketOf: Int32Array, values: Int32Array | Float64Array, nullValue: number): void {
  let run = -1;
  let sum = 0;
  let count = 0;
  let max = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < bucketOf.length; i += 1) {
    const b = bucketOf[i]!;
    if (b !== run) {
      if (run >= 0 && count > 0) addRun(sums, run * stride + offset, sum, count, max);
      run = b;
      sum = 0;
      count = 0;
      max = Number.NEGATIVE_INFINITY;
    }
    const v = values[i]!;
    if (b < 0 || v === nullValue || v !== v) continue;
    sum += v;
    count += 1;
    if (v > max) max = v;
  }
  if (run >= 0 && count > 0) addRun(sums, run * stride + offset, sum, count, max);
}

/** Adds a block's samples within `[from, to)` to their buckets. */
function addBlock(into: RawBucketSums, hour: number, block: DecodedBlock, columns: readonly BlockColumn[], from: number, to: number): void {
  const { offsets, reachable } = block;
  const { first, widthMs } = into.grid;
  const sums = into.values;
  const stride = into.stride;
  const n = block.samples;
  // Each sample's bucket (−1: outside the window) first, then column by column.
  const bucketOf = new Int32Array(n);
  for (let i = 0; i < n; i += 1) {
    const at = hour + offsets[i]!;
    if (at < from || at >= to) {
      bucketOf[i] = -1;
      continue;
    }
    const b = Math.floor((at - first) / widthMs);
    bucketOf[i] = b;
    sums[b * stride] = sums[b * stride]! + 1;
    sums[b * stride + 1] = sums[b * stride + 1]! + reachable[i]!;
  }
  for (let f = 0; f < columns.length; f += 1) {
    const column = columns[f]!;
    const offset = 2 + 3 * f;
    if (column.form === ColumnForm.Int32) addColumn(sums, stride, offset, bucketOf, column.values, INT_NULL);
    else if (column.form === ColumnForm.Float64) addColumn(sums, stride, offset, bucketOf, column.values, Number.NaN);
    else if (column.form === ColumnForm.Constant) {
      for (let i = 0; i < n; i += 1) if (bucketOf[i]! >= 0) addRun(sums, bucketOf[i]! * stride + offset, column.value, 1, column.value);
    }
  }
}

/**
 * Adds the samples within `[from, to)` of a stored block (its hour's start, ms, and its bytes)
 * to the buckets of `into` (whose grid holds `[from, to)`). False, and nothing
 * added, when the block lacks one of the columns (built before that field joined the trends):
 * that hour must be read from raw rows.
 */
export function addTrendBlock(into: RawBucketSums, hour: number, data: Uint8Array, from: number, to: number): boolean {
  const block = decodeTrendBlock(data);
  const columns = into.columns.map((f) => block.column(f));
  if (columns.some((c) => c === undefined)) return false;
  addBlock(into, hour, block, columns as BlockColumn[], from, to);
  return true;
}

/** A window's blocks summed: the sums, and the hours they covered (the others are read from raw rows). */
export interface BlockSumsResult {
  readonly sums: RawBucketSums;
  readonly covered: ReadonlySet<number>;
}

/** Sums stored blocks, each added by `add` from its start (ms) and bytes, into the buckets of `widthMs` that hold `[from, to)`; the starts of those it could add. */
function sumBlocks(columns: readonly string[], blocks: Iterable<readonly [start: number | bigint, data: Uint8Array]>, from: number, to: number, widthMs: number, add: typeof addTrendBlock): BlockSumsResult {
  const sums = new RawBucketSums(columns, bucketGrid(from, to, widthMs));
  const covered = new Set<number>();
  for (const [start, data] of blocks) {
    if (add(sums, Number(start), data, from, to)) covered.add(Number(start));
  }
  return { sums, covered };
}

/** Sums stored blocks `{hour_start, data}` into the buckets of `widthMs` that hold `[from, to)`. */
export function sumTrendBlocks(columns: readonly string[], blocks: Iterable<{ readonly hour_start: number | bigint; readonly data: Uint8Array }>, from: number, to: number, widthMs: number): BlockSumsResult {
  return sumBlocks(columns, Array.from(blocks, (b) => [b.hour_start, b.data] as const), from, to, widthMs, addTrendBlock);
}

/** A tier block's column of a tier row's figure (`samples`, `sum_qps`, …): its values as numbers, null as NaN. */
function tierColumnValues(block: DecodedBlock, name: string): Float64Array | undefined {
  const column = block.column(name);
  if (column === undefined) return undefined;
  const out = new Float64Array(block.samples);
  if (column.form === ColumnForm.None) out.fill(Number.NaN);
  else if (column.form === ColumnForm.Constant) out.fill(column.value);
  else if (column.form === ColumnForm.Float64) out.set(column.values);
  else for (let i = 0; i < out.length; i += 1) out[i] = column.values[i] === INT_NULL ? Number.NaN : column.values[i]!;
  return out;
}

/**
 * Adds the buckets starting within `[from, to)` of a stored tier block (a day of one tier's
 * buckets: its day's start, ms, and its bytes) to the buckets of `into`, whose width must be a
 * multiple of the tier's. A field's maximum is NaN where the tier keeps none (as a tier row
 * read alone gives it). False, and nothing added, when the block lacks a field's sum or count
 * (built before that field joined the trends): that day must be read from tier rows.
 */
export function addTierBlock(into: RawBucketSums, dayStart: number, data: Uint8Array, from: number, to: number): boolean {
  const block = decodeTrendBlock(data);
  const samples = tierColumnValues(block, 'samples');
  const reachable = tierColumnValues(block, 'reachable_samples');
  const figures = into.columns.map((f) => [tierColumnValues(block, `sum_${f}`), tierColumnValues(block, `n_${f}`), tierColumnValues(block, `max_${f}`)] as const);
  if (samples === undefined || reachable === undefined || figures.some(([sum, n]) => sum === undefined || n === undefined)) return false;
  const { first, widthMs } = into.grid;
  const sums = into.values;
  const stride = into.stride;
  for (let i = 0; i < block.samples; i += 1) {
    const at = dayStart + block.offsets[i]!;
    if (at < from || at >= to || !(samples[i]! > 0)) continue;
    const b = Math.floor((at - first) / widthMs);
    sums[b * stride] = sums[b * stride]! + samples[i]!;
    sums[b * stride + 1] = sums[b * stride + 1]! + (reachable[i]! || 0);
    for (let f = 0; f < figures.length; f += 1) {
      const [sum, n, max] = figures[f]!;
      const count = n![i]!;
      if (!(count > 0) || Number.isNaN(sum![i]!)) continue;
      const at3 = b * stride + 2 + 3 * f;
      const high = max === undefined ? Number.NaN : max[i]!;
      sums[at3] = sums[at3]! + sum![i]!;
      sums[at3 + 1] = sums[at3 + 1]! + count;
      // NaN (no maximum kept) wins over any number, as it does once a tier row without one is merged.
      sums[at3 + 2] = Number.isNaN(high) || Number.isNaN(sums[at3 + 2]!) ? Number.NaN : Math.max(sums[at3 + 2]!, high);
    }
  }
  return true;
}

/** Sums stored tier blocks `{day_start, data}` into the buckets of `widthMs` that hold `[from, to)`; the days covered. */
export function sumTierBlocks(columns: readonly string[], blocks: Iterable<{ readonly day_start: number | bigint; readonly data: Uint8Array }>, from: number, to: number, widthMs: number): BlockSumsResult {
  return sumBlocks(columns, Array.from(blocks, (b) => [b.day_start, b.data] as const), from, to, widthMs, addTierBlock);
}
