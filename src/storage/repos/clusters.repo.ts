/**
 * Queries on the clusters table. Rows are stored as they come; encryption of the password and
 * the JSON of tags are the registry's business.
 */
import type { Insertable, Kysely, Selectable, Updateable } from 'kysely';
import type { Database } from '../database.js';
import type { ClustersTable } from '../tables/clusters.table.js';

export type ClusterRow = Selectable<ClustersTable>;
export type NewClusterRow = Insertable<ClustersTable>;
export type ClusterRowPatch = Updateable<ClustersTable>;

export function listClusterRows(db: Kysely<Database>): Promise<ClusterRow[]> {
  return db.selectFrom('clusters').selectAll().orderBy('id').execute();
}

export function findClusterRow(db: Kysely<Database>, id: number): Promise<ClusterRow | undefined> {
  return db.selectFrom('clusters').selectAll().where('id', '=', id).executeTakeFirst();
}

export function insertClusterRow(db: Kysely<Database>, row: NewClusterRow): Promise<ClusterRow> {
  return db.insertInto('clusters').values(row).returningAll().executeTakeFirstOrThrow();
}

export function updateClusterRow(db: Kysely<Database>, id: number, patch: ClusterRowPatch): Promise<ClusterRow | undefined> {
  return db.updateTable('clusters').set(patch).where('id', '=', id).returningAll().executeTakeFirst();
}

/** Deletes the cluster and, through the foreign keys, its snapshots. False when it did not exist. */
export async function deleteClusterRow(db: Kysely<Database>, id: number): Promise<boolean> {
  const result = await db.deleteFrom('clusters').where('id', '=', id).executeTakeFirst();
  return result.numDeletedRows > 0n;
}
