/**
 * trend_blocks: per cluster and closed hour, the trend fields of its raw snapshots in one binary
 * value (storage/trend-block.ts). Built in the background from the
 * raw rows already stored (collector/trend-blocks.ts), so the table starts empty.
 */
import type { Kysely, Migration } from 'kysely';
import type { StorageDialect } from '../dialect/dialect.js';

export function trendBlocks(dialect: StorageDialect): Migration {
  return {
    async up(db: Kysely<any>) {
      // Not kept in key order as the tiers are (clusterByPrimaryKey): a block is a few kB, and
      // SQLite stores such rows best appended, found through the key's index; a day of one
      // cluster is 24 of them.
      await db.schema
        .createTable('trend_blocks')
        .addColumn('cluster_id', 'integer', (c) => c.notNull().references('clusters.id').onDelete('cascade'))
        .addColumn('hour_start', 'bigint', (c) => c.notNull())
        .addColumn('samples', 'integer', (c) => c.notNull())
        .addColumn('data', dialect.binaryType, (c) => c.notNull())
        .addPrimaryKeyConstraint('trend_blocks_pk', ['cluster_id', 'hour_start'])
        .execute();
    },
  };
}
