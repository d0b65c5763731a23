/**
 * Queries on metrics_snapshots: one insert per cluster per collection (a repeat of the same
 * instant is ignored, so a retried write never duplicates), the latest row, a time range.
 */
import type { Insertable, Kysely, Selectable } from 'kysely';
import type { Database } from '../database.js';
import type { MetricsSnapshotsTable } from '../tables/snapshots.table.js';

export type SnapshotRow = Selectable<MetricsSnapshotsTable>;
export type NewSnapshotRow = Insertable<MetricsSnapshotsTable>;

/** True when the row was written; false when this cluster already has a row at that instant. */
export async function insertSnapshotRow(db: Kysely<Database>, row: NewSnapshotRow): Promise<boolean> {
  const result = await db
    .insertInto('metrics_snapshots')
    .values(row)
    .onConflict((oc) => oc.columns(['cluster_id', 'collected_at']).doNothing())
    .executeTakeFirst();
  return (result.numInsertedOrUpdatedRows ?? 0n) > 0n;
}

export function latestSnapshotRow(db: Kysely<Database>, clusterId: number): Promise<SnapshotRow | undefined> {
  return db.selectFrom('metrics_snapshots').selectAll().where('cluster_id', '=', clusterId).orderBy('collected_at', 'desc').limit(1).executeTakeFirst();
}

/** Rows of one cluster with `from <= collected_at < to`, oldest first. */
export function snapshotRowsBetween(db: Kysely<Database>, clusterId: number, from: number, to: number): Promise<SnapshotRow[]> {
  return db
    .selectFrom('metrics_snapshots')
    .selectAll()
    .where('cluster_id', '=', clusterId)
    .where('collected_at', '>=', from)
    .where('collected_at', '<', to)
    .orderBy('collected_at')
    .execute();
}

/**
 * Deletes up to `limit` rows older than `before` (any cluster) and says how many went: the
 * caller repeats until 0, so one large delete never holds the database for long.
 */
export async function deleteSnapshotRowsBefore(db: Kysely<Database>, before: number, limit: number): Promise<number> {
  const result = await db
    .deleteFrom('metrics_snapshots')
    .where('id', 'in', (qb) => qb.selectFrom('metrics_snapshots').select('id').where('collected_at', '<', before).limit(limit))
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}
