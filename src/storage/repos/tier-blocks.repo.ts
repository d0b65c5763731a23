/** Queries on tier_blocks: a closed day of a tier's buckets packed by cluster (storage/trend-block.ts, tier-block sums in trend-block-sums.ts). */
import { type Kysely, sql } from 'kysely';
import type { TierName } from '../../shared/tier-fields.js';
import type { Database } from '../database.js';
import type { BlockSumsResult } from '../trend-block-sums.js';
import { summedBlocks } from './trend-blocks.repo.js';

export interface TierBlockSumsRequest {
  readonly clusterId: number;
  readonly tier: TierName;
  /** The days whose blocks are read: starting in `[fromDay, toDay)` (UTC midnights, ms). */
  readonly fromDay: number;
  readonly toDay: number;
  readonly columns: readonly string[];
  /** The buckets summed: those starting within `[from, to)`, into the buckets of `widthMs` (a multiple of the tier's) that hold them. */
  readonly from: number;
  readonly to: number;
  readonly widthMs: number;
}

/**
 * One cluster's tier blocks of a window summed into buckets, and the days they covered (the
 * others are read from tier rows); summed where they are read (summedBlocks).
 */
export function tierBlockSums(db: Kysely<Database>, request: TierBlockSumsRequest): Promise<BlockSumsResult> {
  const { clusterId, tier, fromDay, toDay, columns, from, to, widthMs } = request;
  const query = db
    .selectFrom('tier_blocks')
    .select(['day_start', 'data'])
    .where('cluster_id', '=', clusterId)
    .where('tier', '=', tier)
    .where('day_start', '>=', fromDay)
    .where('day_start', '<', toDay)
    .orderBy('day_start');
  return summedBlocks(db, 'tier', query, { columns, from, to, widthMs });
}

/** Writes blocks, replacing any of the same cluster, tier and day (a block built again holds the newer layout). */
export async function writeTierBlocks(db: Kysely<Database>, blocks: readonly { cluster_id: number; tier: TierName; day_start: number; buckets: number; data: Uint8Array }[]): Promise<void> {
  if (blocks.length === 0) return;
  await db
    .insertInto('tier_blocks')
    // The drivers bind a Node Buffer as a blob or bytea.
    .values(blocks.map((b) => ({ ...b, data: Buffer.from(b.data.buffer, b.data.byteOffset, b.data.byteLength) })))
    .onConflict((oc) => oc.columns(['cluster_id', 'tier', 'day_start']).doUpdateSet({ buckets: sql`excluded.buckets`, data: sql`excluded.data` }))
    .execute();
}

/** Deletes up to `limit` of the cluster's blocks of a tier whose whole day lies before `before`; says how many went. */
export async function deleteClusterTierBlocksBefore(db: Kysely<Database>, clusterId: number, tier: TierName, before: number, limit: number): Promise<number> {
  const lastDay = before - 86_400_000;
  const result = await db
    .deleteFrom('tier_blocks')
    .where('cluster_id', '=', clusterId)
    .where('tier', '=', tier)
    .where('day_start', 'in', (qb) => qb.selectFrom('tier_blocks').select('day_start').where('cluster_id', '=', clusterId).where('tier', '=', tier).where('day_start', '<=', lastDay).orderBy('day_start').limit(limit))
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}
