/**
 * A cluster's own optional sources: a JSON array of source names (follower_metrics,
 * runtime_info, be_metrics; `[]` for none), or null to follow `[metrics] sources`. Text holds
 * the list the same way on SQLite and PostgreSQL, as the tags column does.
 */
import type { Kysely, Migration } from 'kysely';

export const clusterSources: Migration = {
  async up(db: Kysely<any>) {
    await db.schema.alterTable('clusters').addColumn('sources', 'text').execute();
  },
  async down(db: Kysely<any>) {
    await db.schema.alterTable('clusters').dropColumn('sources').execute();
  },
};
