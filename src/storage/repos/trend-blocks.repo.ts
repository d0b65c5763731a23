/** Queries on trend_blocks: the hours of raw trend fields packed by cluster (storage/trend-block.ts). */
import { type Kysely, sql } from 'kysely';
import type { Database } from '../database.js';

export interface StoredTrendBlock {
  readonly hour_start: number;
  readonly data: Uint8Array;
}

/** One cluster's blocks of the hours starting in `[fromHour, toHour)`, oldest first. */
export function trendBlocksBetween(db: Kysely<Database>, clusterId: number, fromHour: number, toHour: number): Promise<StoredTrendBlock[]> {
  return db
    .selectFrom('trend_blocks')
    .select(['hour_start', 'data'])
    .where('cluster_id', '=', clusterId)
    .where('hour_start', '>=', fromHour)
    .where('hour_start', '<', toHour)
    .orderBy('hour_start')
    .execute();
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
