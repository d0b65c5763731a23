/**
 * A window of one cluster's raw snapshots grouped into buckets, read from the trend blocks of
 * the hours that have one (storage/trend-block.ts) and from raw rows for the rest (the hours
 * not built yet: the last one or two, or all of them on a database still building its blocks).
 * Either way the buckets add up what `groupedSnapshotFigures` gives over the raw rows: per
 * bucket its samples, the reachable ones, and per field its sum, count and maximum.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../storage/database.js';
import { groupedSnapshotFigures } from '../../storage/repos/snapshots.repo.js';
import { trendBlocksBetween } from '../../storage/repos/trend-blocks.repo.js';
import { type BlockColumn, ColumnForm, decodeTrendBlock, type DecodedBlock, INT_NULL } from '../../storage/trend-block.js';

const HOUR_MS = 3_600_000;

type Group = Record<string, number | null>;

/** Per bucket (its start, ms): samples, reachable ones, then per column its sum, count and maximum (−∞ while none). */
export class RawBucketSums {
  private readonly sums = new Map<number, Float64Array>();

  constructor(readonly columns: readonly string[]) {}

  at(bucket: number): Float64Array {
    let sums = this.sums.get(bucket);
    if (sums === undefined) {
      sums = new Float64Array(2 + 3 * this.columns.length);
      for (let f = 0; f < this.columns.length; f += 1) sums[4 + 3 * f] = Number.NEGATIVE_INFINITY;
      this.sums.set(bucket, sums);
    }
    return sums;
  }

  /** A group as `groupedSnapshotFigures` gives it. */
  addGroup(group: Group): void {
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

  /** The buckets, oldest first. */
  buckets(): Array<readonly [bucket: number, sums: Float64Array]> {
    return [...this.sums].sort((a, b) => a[0] - b[0]);
  }
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

/** `[from, to)` cut into runs of whole hours (but at its ends) that leave out `skip`. */
function runsWithout(from: number, to: number, skip: ReadonlySet<number>): Array<[number, number]> {
  const runs: Array<[number, number]> = [];
  for (let hour = Math.floor(from / HOUR_MS) * HOUR_MS; hour < to; hour += HOUR_MS) {
    if (skip.has(hour)) continue;
    const start = Math.max(from, hour);
    const end = Math.min(to, hour + HOUR_MS);
    const last = runs.at(-1);
    if (last !== undefined && last[1] === start) last[1] = end;
    else runs.push([start, end]);
  }
  return runs;
}

/**
 * The cluster's raw rows of `[from, to)` grouped into buckets of `widthMs` (aligned to multiples
 * of it since the epoch). `packedUntil` (trend-blocks.ts) says which hours have their blocks
 * built: those are read as blocks and the later ones as raw rows, both at once, so the window
 * costs one round trip to the database, not one after the other. An hour before it whose block
 * is missing or lacks a field is read from raw rows afterwards.
 */
export async function rawWindowGroups(
  db: Kysely<Database>,
  clusterId: number,
  from: number,
  to: number,
  widthMs: number,
  fields: readonly string[],
  packedUntil: number | undefined,
): Promise<RawBucketSums> {
  const sums = new RawBucketSums(fields);
  if (from >= to) return sums;
  const width = Math.round(widthMs);
  const fromHour = Math.floor(from / HOUR_MS) * HOUR_MS;
  const packedEnd = Math.max(fromHour, Math.min(packedUntil ?? fromHour, Math.ceil(to / HOUR_MS) * HOUR_MS));
  const rawFrom = Math.max(from, packedEnd);
  const grouped = (runs: ReadonlyArray<readonly [number, number]>) => Promise.all(runs.map(([a, b]) => groupedSnapshotFigures(db, clusterId, a, b, width, fields)));
  const [stored, unpacked] = await Promise.all([packedEnd > fromHour ? trendBlocksBetween(db, clusterId, fromHour, packedEnd) : [], grouped(rawFrom < to ? [[rawFrom, to]] : [])]);
  const covered = new Set<number>();
  for (const { hour_start, data } of stored) {
    const block = decodeTrendBlock(data);
    const columns = fields.map((f) => block.column(f));
    // A block from before a field joined the trends lacks it: that hour is read from raw rows.
    if (columns.some((c) => c === undefined)) continue;
    const hour = Number(hour_start);
    addBlock(sums, hour, block, columns as BlockColumn[], from, to, width);
    covered.add(hour);
  }
  const missing = packedEnd > fromHour ? runsWithout(from, Math.min(to, packedEnd), covered) : [];
  for (const groups of [...unpacked, ...(missing.length === 0 ? [] : await grouped(missing))]) {
    for (const group of groups) sums.addGroup(group);
  }
  return sums;
}
