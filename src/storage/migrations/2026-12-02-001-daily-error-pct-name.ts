/**
 * The day's share of failed queries was stored as `error_rate`, beside `query_error_rate`
 * (errors per second); it is the daily figure of the snapshot field `query_error_pct` and now
 * has its name. A database created after the catalogue took over the daily columns never had
 * `error_rate`, so the rename runs only where it is.
 */
import type { Kysely, Migration } from 'kysely';

export const dailyErrorPctName: Migration = {
  async up(db: Kysely<any>) {
    const daily = (await db.introspection.getTables()).find((t) => t.name === 'daily_snapshots');
    const names = new Set(daily?.columns.map((c) => c.name) ?? []);
    if (names.has('error_rate') && !names.has('query_error_pct')) await db.schema.alterTable('daily_snapshots').renameColumn('error_rate', 'query_error_pct').execute();
  },
};
