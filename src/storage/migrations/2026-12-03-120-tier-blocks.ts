/**
 * tier_blocks: per cluster, tier and closed day, the tier's buckets of that day in one binary
 * value (storage/trend-block.ts; each bucket a sample, its columns the tier row's). A month's
 * trends then read 30 values instead of 720 rows of a hundred and forty columns. Built in the
 * background from the tier rows already stored (collector/tier-blocks.ts), so the table starts
 * empty.
 */
import type { Kysely, Migration } from 'kysely';
import type { StorageDialect } from '../dialect/dialect.js';

export function tierBlocks(dialect: StorageDialect): Migration {
  return {
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('tier_blocks')
        .addColumn('cluster_id', 'integer', (c) => c.notNull().references('clusters.id').onDelete('cascade'))
        .addColumn('tier', 'text', (c) => c.notNull())
        .addColumn('day_start', 'bigint', (c) => c.notNull())
        .addColumn('buckets', 'integer', (c) => c.notNull())
        .addColumn('data', dialect.binaryType, (c) => c.notNull())
        .addPrimaryKeyConstraint('tier_blocks_pk', ['cluster_id', 'tier', 'day_start'])
        .execute();
    },
  };
}
