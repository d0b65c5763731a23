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
import { trendBlockSums } from '../../storage/repos/trend-blocks.repo.js';
import { bucketGrid, RawBucketSums } from '../../storage/trend-block-sums.js';

const HOUR_MS = 3_600_000;

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
  const width = Math.round(widthMs);
  if (from >= to) return new RawBucketSums(fields, bucketGrid(from, to, width));
  const fromHour = Math.floor(from / HOUR_MS) * HOUR_MS;
  const packedEnd = Math.max(fromHour, Math.min(packedUntil ?? fromHour, Math.ceil(to / HOUR_MS) * HOUR_MS));
  const rawFrom = Math.max(from, packedEnd);
  const grouped = (runs: ReadonlyArray<readonly [number, number]>) => Promise.all(runs.map(([a, b]) => groupedSnapshotFigures(db, clusterId, a, b, width, fields)));
  const [blocks, unpacked] = await Promise.all([
    packedEnd > fromHour ? trendBlockSums(db, { clusterId, fromHour, toHour: packedEnd, columns: fields, from, to, widthMs: width }) : undefined,
    grouped(rawFrom < to ? [[rawFrom, to]] : []),
  ]);
  const sums = blocks?.sums ?? new RawBucketSums(fields, bucketGrid(from, to, width));
  // An hour whose block is missing, or lacks a field (built before it joined the trends), is read from raw rows.
  const missing = blocks === undefined ? [] : runsWithout(from, Math.min(to, packedEnd), blocks.covered);
  for (const groups of [...unpacked, ...(missing.length === 0 ? [] : await grouped(missing))]) {
    for (const group of groups) sums.addGroup(group);
  }
  return sums;
}
