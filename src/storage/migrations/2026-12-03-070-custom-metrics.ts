/**
 * custom_metrics: the custom metrics (src/shared/custom-metrics.ts) made through the API and the
 * console. Those of the config file's `[[custom_metrics]]` live in memory, read at start and on
 * reload; a row never holds one of them. `text` and `bigint` mean the same on SQLite and
 * PostgreSQL, so one migration serves both.
 */
import type { Kysely, Migration } from 'kysely';

export const customMetrics: Migration = {
  async up(db: Kysely<any>) {
    await db.schema
      .createTable('custom_metrics')
      .addColumn('name', 'text', (c) => c.primaryKey())
      // The definition as sent (JSON of CustomMetricInput's input form): validated again on every read, so a row written by another version never runs unchecked.
      .addColumn('definition', 'text', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      // The user who saved it last; null with authentication off.
      .addColumn('updated_by', 'text')
      .execute();
  },
};
