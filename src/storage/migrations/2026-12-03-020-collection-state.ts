/**
 * collection_state: per cluster, where its collection stands (the last outcome, consecutive
 * failures and the backoff they bring, the next slot), so a restart resumes the schedule and
 * every instance on the database shows the same state. Written by the collecting process in
 * batches (collector/collection-state-store.ts); starts empty: the scheduler fills it.
 */
import type { Kysely, Migration } from 'kysely';

export const collectionState: Migration = {
  async up(db: Kysely<any>) {
    await db.schema
      .createTable('collection_state')
      .addColumn('cluster_id', 'integer', (c) => c.primaryKey().references('clusters.id').onDelete('cascade'))
      .addColumn('last_status', 'text')
      .addColumn('consecutive_failures', 'integer', (c) => c.notNull())
      .addColumn('last_attempt_at', 'bigint')
      .addColumn('last_success_at', 'bigint')
      .addColumn('last_duration_ms', 'bigint')
      .addColumn('last_error', 'text')
      .addColumn('next_attempt_at', 'bigint', (c) => c.notNull())
      .addColumn('running', 'integer', (c) => c.notNull())
      .addColumn('lag_ms', 'bigint', (c) => c.notNull())
      .addColumn('interval_ms', 'bigint', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .execute();
  },
};
