/**
 * The custom metrics made through the API (the custom_metrics table), as written: the definition
 * is JSON of what was sent, parsed again by whoever reads it (collector/custom-metric-book.ts).
 * Times are epoch ms.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../database.js';

export interface StoredCustomMetric {
  readonly name: string;
  readonly definition: unknown;
  readonly createdAt: number;
  readonly updatedAt: number;
  readonly updatedBy: string | null;
}

export async function apiCustomMetrics(db: Kysely<Database>): Promise<StoredCustomMetric[]> {
  const rows = await db.selectFrom('custom_metrics').selectAll().orderBy('name').execute();
  return rows.map((row) => ({ name: row.name, definition: JSON.parse(row.definition) as unknown, createdAt: Number(row.created_at), updatedAt: Number(row.updated_at), updatedBy: row.updated_by }));
}

/** Adds one; false when a row of that name exists already (another instance may have saved it meanwhile). */
export async function insertCustomMetric(db: Kysely<Database>, name: string, definition: unknown, at: number, by: string | null): Promise<boolean> {
  const result = await db
    .insertInto('custom_metrics')
    .values({ name, definition: JSON.stringify(definition), created_at: at, updated_at: at, updated_by: by })
    .onConflict((oc) => oc.column('name').doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0n) > 0;
}

/** Replaces one's definition; false when there is none of that name. */
export async function replaceCustomMetric(db: Kysely<Database>, name: string, definition: unknown, at: number, by: string | null): Promise<boolean> {
  const result = await db.updateTable('custom_metrics').set({ definition: JSON.stringify(definition), updated_at: at, updated_by: by }).where('name', '=', name).executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** Deletes one; false when there was none. Its stored values stay with the snapshots they belong to. */
export async function deleteCustomMetric(db: Kysely<Database>, name: string): Promise<boolean> {
  const result = await db.deleteFrom('custom_metrics').where('name', '=', name).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}
