/** Queries on trend_blocks: the hours of raw trend fields packed by cluster (storage/trend-block.ts). */
import { type Compilable, type Kysely, sql } from 'kysely';
import type { Database } from '../database.js';
import { readPoolOf } from '../dialect/sqlite/sqlite-read-pool.js';
import { type BlockSumsResult, bucketGrid, RawBucketSums, sumTierBlocks, sumTrendBlocks } from '../trend-block-sums.js';

/** One cluster's blocks of the hours starting in `[fromHour, toHour)`, oldest first. */
const blocksBetween = (db: Kysely<Database>, clusterId: number, fromHour: number, toHour: number) =>
  db.selectFrom('trend_blocks').select(['hour_start', 'data']).where('cluster_id', '=', clusterId).where('hour_start', '>=', fromHour).where('hour_start', '<', toHour).orderBy('hour_start');

export interface BlockSumsRequest {
  readonly clusterId: number;
  /** The hours whose blocks are read: starting in `[fromHour, toHour)`. */
  readonly fromHour: number;
  readonly toHour: number;
  readonly columns: readonly string[];
  /** The samples summed: within `[from, to)`, into the buckets of `widthMs` that hold it (bucketGrid). */
  readonly from: number;
  readonly to: number;
  readonly widthMs: number;
}

/**
 * One cluster's blocks of a window summed into buckets (trend-block-sums.ts), and the hours they
 * covered (summedBlocks: in the read thread on SQLite).
 */
export function trendBlockSums(db: Kysely<Database>, request: BlockSumsRequest): Promise<BlockSumsResult> {
  const { clusterId, fromHour, toHour, columns, from, to, widthMs } = request;
  return summedBlocks(db, 'raw', blocksBetween(db, clusterId, fromHour, toHour), { columns, from, to, widthMs });
}

/**
 * A window's blocks, raw (the query reads `hour_start` and `data`) or tier (`day_start` and
 * `data`), summed into buckets where they are read: in a SQLite read thread, else in the process
 * (PostgreSQL, an in-memory SQLite database).
 */
export async function summedBlocks(
  db: Kysely<Database>,
  blocks: 'raw' | 'tier',
  query: Compilable & { execute(): Promise<Array<{ hour_start: number; data: Uint8Array } | { day_start: number; data: Uint8Array }>> },
  { columns, from, to, widthMs }: { readonly columns: readonly string[]; readonly from: number; readonly to: number; readonly widthMs: number },
): Promise<BlockSumsResult> {
  const pool = readPoolOf(db);
  if (pool === undefined) {
    const rows = await query.execute();
    return blocks === 'raw'
      ? sumTrendBlocks(columns, rows as Array<{ hour_start: number; data: Uint8Array }>, from, to, widthMs)
      : sumTierBlocks(columns, rows as Array<{ day_start: number; data: Uint8Array }>, from, to, widthMs);
  }
  const { sql: text, parameters } = query.compile();
  const summed = await pool.blockSums({ blocks, sql: text, parameters, columns, from, to, widthMs });
  return { sums: new RawBucketSums(columns, bucketGrid(from, to, widthMs), summed.sums), covered: new Set(summed.covered) };
}

/** Writes blocks, replacing any of the same cluster and hour (a block built again holds the newer layout). */
export async function writeTrendBlocks(db: Kysely<Database>, blocks: readonly { cluster_id: number; hour_start: number; samples: number; data: Uint8Array }[]): Promise<void> {
  if (blocks.length === 0) return;
  await db
    .insertInto('trend_blocks')
    // The drivers bind a Node Buffer as a blob or bytea.
    .values(blocks.map((b) => ({ ...b, data: Buffer.from(b.data.buffer, b.data.byteOffset, b.data.byteLength) })))
    .onConflict((oc) => oc.columns(['cluster_id', 'hour_start']).doUpdateSet({ samples: sql`excluded.samples`, data: sql`excluded.data` }))
    .execute();
}

/** Deletes up to `limit` of the cluster's blocks of hours starting before `before`; says how many went. */
export async function deleteClusterTrendBlocksBefore(db: Kysely<Database>, clusterId: number, before: number, limit: number): Promise<number> {
  const result = await db
    .deleteFrom('trend_blocks')
    .where('cluster_id', '=', clusterId)
    .where('hour_start', 'in', (qb) => qb.selectFrom('trend_blocks').select('hour_start').where('cluster_id', '=', clusterId).where('hour_start', '<', before).orderBy('hour_start').limit(limit))
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}
