/**
 * The custom metrics' figures of each tier bucket and each day (shared/custom-figures.ts): one
 * nullable text column holding a JSON object, name → [sum, n, max], so custom trends are read
 * from the same table as the built-in ones and reach back as far, and defining a custom metric
 * still takes no schema change. Null where no snapshot of the span had a custom value. Buckets
 * and days written before this migration keep null: their custom values are in no tier.
 */
import type { Kysely, Migration } from 'kysely';

const TABLES = ['metrics_5m', 'metrics_1h', 'daily_snapshots'] as const;

export const customTierFigures: Migration = {
  async up(db: Kysely<any>) {
    for (const table of TABLES) await db.schema.alterTable(table).addColumn('custom_figures', 'text').execute();
  },
  async down(db: Kysely<any>) {
    for (const table of TABLES) await db.schema.alterTable(table).dropColumn('custom_figures').execute();
  },
};
