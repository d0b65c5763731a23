/**
 * The down-sampled tiers, metrics_5m and metrics_1h: one row per cluster per bucket, keyed by
 * the bucket's start; their field columns come from the catalogue (storage/field-columns.ts).
 * `tier_backfill` says, per cluster, up to when snapshots written before the tiers existed
 * have been added to them. And two indexes of metrics_snapshots go: one repeated the unique
 * constraint's (cluster_id, collected_at), the other (collected_at) served a retention that
 * now deletes cluster by cluster.
 */
import type { Kysely, Migration } from 'kysely';
import type { StorageDialect } from '../dialect/dialect.js';

const TIER_TABLES = ['metrics_5m', 'metrics_1h'] as const;

export function tiers(dialect: StorageDialect): Migration {
  return { up: (db) => up(db, dialect) };
}

async function up(db: Kysely<any>, dialect: StorageDialect): Promise<void> {
  for (const table of TIER_TABLES) {
    // Kept in (cluster, time) order: a cluster's week of buckets is read from a few pages,
    // not one page per bucket among the other clusters' rows written in between.
    await dialect
      .clusterByPrimaryKey(
        db.schema
          .createTable(table)
          .addColumn('cluster_id', 'integer', (c) => c.notNull().references('clusters.id').onDelete('cascade'))
          .addColumn('bucket_start', 'bigint', (c) => c.notNull())
          .addColumn('samples', 'bigint', (c) => c.notNull())
          .addColumn('reachable_samples', 'bigint', (c) => c.notNull())
          .addPrimaryKeyConstraint(`${table}_pk`, ['cluster_id', 'bucket_start']),
      )
      .execute();
  }
  await db.schema
    .createTable('tier_backfill')
    .addColumn('cluster_id', 'integer', (c) => c.primaryKey().references('clusters.id').onDelete('cascade'))
    // Snapshots collected before this instant predate the tiers; those before `done_until` are in them.
    .addColumn('before', 'bigint', (c) => c.notNull())
    .addColumn('done_until', 'bigint', (c) => c.notNull())
    .execute();
  // Each cluster's snapshots so far are to be added to the tiers, oldest first, in the background.
  for (const { id } of await db.selectFrom('clusters').select('id').execute()) {
    const first = await db.selectFrom('metrics_snapshots').select('collected_at').where('cluster_id', '=', id).orderBy('collected_at').limit(1).executeTakeFirst();
    const last = await db.selectFrom('metrics_snapshots').select('collected_at').where('cluster_id', '=', id).orderBy('collected_at', 'desc').limit(1).executeTakeFirst();
    if (first && last) await db.insertInto('tier_backfill').values({ cluster_id: id, before: Number(last.collected_at) + 1, done_until: Number(first.collected_at) }).execute();
  }
  await db.schema.dropIndex('metrics_snapshots_cluster_time').execute();
  await db.schema.dropIndex('metrics_snapshots_collected_at').execute();
}
