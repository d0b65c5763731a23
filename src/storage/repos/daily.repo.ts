/** Queries on daily_snapshots: an idempotent upsert per cluster and day, and reads by range. */
import type { Kysely, Selectable } from 'kysely';
import type { DailyValues } from '../../shared/daily-fields.js';
import type { Database } from '../database.js';
import type { DailySnapshotsTable } from '../tables/snapshots.table.js';

export type DailyRow = Selectable<DailySnapshotsTable>;

/** Writes the day, replacing an earlier roll-up of the same cluster and day (its custom figures too, when given). */
export async function upsertDailyRow(db: Kysely<Database>, clusterId: number, day: string, values: DailyValues & { readonly custom_figures?: string | null }, updatedAt: number): Promise<void> {
  await db
    .insertInto('daily_snapshots')
    .values({ cluster_id: clusterId, snapshot_date: day, updated_at: updatedAt, ...values })
    .onConflict((oc) => oc.columns(['cluster_id', 'snapshot_date']).doUpdateSet({ updated_at: updatedAt, ...values }))
    .execute();
}

/** One cluster's days `from` to `to` inclusive (YYYY-MM-DD compares as text), before a select. */
function daysInRange(db: Kysely<Database>, clusterId: number, from: string, to: string) {
  return db.selectFrom('daily_snapshots').where('cluster_id', '=', clusterId).where('snapshot_date', '>=', from).where('snapshot_date', '<=', to);
}

/** Days `from` to `to` inclusive, oldest first. */
export function dailyRowsBetween(db: Kysely<Database>, clusterId: number, from: string, to: string): Promise<DailyRow[]> {
  return daysInRange(db, clusterId, from, to).selectAll().orderBy('snapshot_date').execute();
}

export async function deleteDailyRowsBefore(db: Kysely<Database>, day: string): Promise<number> {
  const result = await db.deleteFrom('daily_snapshots').where('snapshot_date', '<', day).executeTakeFirst();
  return Number(result.numDeletedRows);
}

/** The days `from` to `to` inclusive that have a daily row of the cluster, oldest first. */
export async function rolledUpDays(db: Kysely<Database>, clusterId: number, from: string, to: string): Promise<string[]> {
  return (await daysInRange(db, clusterId, from, to).select('snapshot_date').orderBy('snapshot_date').execute()).map((r) => r.snapshot_date);
}

/** Any column of a daily row but its id. */
export type DailyColumnName = Exclude<keyof DailyRow, 'id'>;

/** `snapshot_date` and the given columns of days `from` to `to` inclusive, oldest first. */
export function dailyColumnsBetween<C extends DailyColumnName>(
  db: Kysely<Database>,
  clusterId: number,
  from: string,
  to: string,
  columns: readonly C[],
): Promise<Array<Pick<DailyRow, C | 'snapshot_date'>>> {
  return daysInRange(db, clusterId, from, to)
    .select(['snapshot_date', ...columns] as DailyColumnName[])
    .orderBy('snapshot_date')
    .execute() as unknown as Promise<Array<Pick<DailyRow, C | 'snapshot_date'>>>;
}
