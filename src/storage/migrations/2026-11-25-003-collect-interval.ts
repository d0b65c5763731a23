/** A cluster's own collection interval, for clusters that should be asked less often (null: the global one). */
import type { Kysely, Migration } from 'kysely';

export const collectInterval: Migration = {
  async up(db: Kysely<any>) {
    await db.schema.alterTable('clusters').addColumn('collect_interval', 'integer').execute();
  },
  async down(db: Kysely<any>) {
    await db.schema.alterTable('clusters').dropColumn('collect_interval').execute();
  },
};
