/**
 * cluster_leases: with `[cluster] coordination = "shards"`, one row per cluster saying which
 * instance collects it, until when, and under which fencing token (collector/cluster-shards.ts).
 * A row goes with its cluster.
 *
 * metrics_snapshots.slot_at: the collection slot a scheduled collection was made for (the start
 * of its cluster's interval, collector/schedule.ts), unique per cluster where set: whatever the
 * instances do (a rebalance, a paused instance waking up), a cluster gets at most one row per
 * slot. Rows written before, and one-off collections (`stellar collect`), have none.
 */
import { type Kysely, type Migration, sql } from 'kysely';

export const clusterLeases: Migration = {
  async up(db: Kysely<any>) {
    await db.schema
      .createTable('cluster_leases')
      .addColumn('cluster_id', 'integer', (c) => c.primaryKey().references('clusters.id').onDelete('cascade'))
      // '' while nobody ever held it.
      .addColumn('holder', 'text', (c) => c.notNull())
      // Incremented at every claim: a snapshot write made under an older token is refused.
      .addColumn('token', 'bigint', (c) => c.notNull())
      .addColumn('expires_at', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema.alterTable('metrics_snapshots').addColumn('slot_at', 'bigint').execute();
    await db.schema.createIndex('metrics_snapshots_cluster_slot').unique().on('metrics_snapshots').columns(['cluster_id', 'slot_at']).where(sql.ref('slot_at'), 'is not', null).execute();
  },
};
