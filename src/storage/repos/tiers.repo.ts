/**
 * Queries on the tiers (metrics_5m, metrics_1h) and on tier_backfill. Rows are written by the
 * dialect's SnapshotWriter (as snapshots arrive, or from old snapshots in the back-fill); these
 * read them and delete them past their retention.
 */
import type { Kysely, Selectable } from 'kysely';
import type { TierTable } from '../../shared/tier-fields.js';
import type { Database } from '../database.js';
import type { TierBackfillTable, TierRowTable } from '../tables/snapshots.table.js';

export type TierRow = Selectable<TierRowTable>;
export type TierBackfillRow = Selectable<TierBackfillTable>;

/** One cluster's buckets with `from <= bucket_start < to`, oldest first. */
export function tierRowsBetween(db: Kysely<Database>, table: TierTable, clusterId: number, from: number, to: number): Promise<TierRow[]> {
  return db.selectFrom(table).selectAll().where('cluster_id', '=', clusterId).where('bucket_start', '>=', from).where('bucket_start', '<', to).orderBy('bucket_start').execute();
}

/** The start of the cluster's first bucket at or after `at`, or null. */
export async function firstBucketAtOrAfter(db: Kysely<Database>, table: TierTable, clusterId: number, at: number): Promise<number | null> {
  const row = await db.selectFrom(table).select('bucket_start').where('cluster_id', '=', clusterId).where('bucket_start', '>=', at).orderBy('bucket_start').limit(1).executeTakeFirst();
  return row === undefined ? null : Number(row.bucket_start);
}

/** Deletes up to `limit` of the cluster's buckets starting before `before`; says how many went. */
export async function deleteClusterTierRowsBefore(db: Kysely<Database>, table: TierTable, clusterId: number, before: number, limit: number): Promise<number> {
  const result = await db
    .deleteFrom(table)
    .where('cluster_id', '=', clusterId)
    .where('bucket_start', 'in', (qb) => qb.selectFrom(table).select('bucket_start').where('cluster_id', '=', clusterId).where('bucket_start', '<', before).orderBy('bucket_start').limit(limit))
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}

/** Clusters whose snapshots from before the tiers are not all in them yet. */
export function pendingTierBackfills(db: Kysely<Database>): Promise<TierBackfillRow[]> {
  return db.selectFrom('tier_backfill').selectAll().orderBy('cluster_id').execute();
}

export async function pendingTierBackfill(db: Kysely<Database>, clusterId: number): Promise<TierBackfillRow | undefined> {
  return db.selectFrom('tier_backfill').selectAll().where('cluster_id', '=', clusterId).executeTakeFirst();
}

export async function finishTierBackfill(db: Kysely<Database>, clusterId: number): Promise<void> {
  await db.deleteFrom('tier_backfill').where('cluster_id', '=', clusterId).execute();
}
