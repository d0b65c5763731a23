/**
 * The custom metrics' values (src/shared/custom-metrics.ts) of each snapshot: one nullable text
 * column holding a JSON object, name → number or null, so defining a custom metric takes no
 * schema change. Null on rows collected while no custom metric was defined.
 */
import type { Kysely, Migration } from 'kysely';

export const customValues: Migration = {
  async up(db: Kysely<any>) {
    await db.schema.alterTable('metrics_snapshots').addColumn('custom_values', 'text').execute();
  },
  async down(db: Kysely<any>) {
    await db.schema.alterTable('metrics_snapshots').dropColumn('custom_values').execute();
  },
};
