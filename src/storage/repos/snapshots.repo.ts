/**
 * Queries on metrics_snapshots: one insert per cluster per collection (a repeat of the same
 * instant is ignored, so a retried write never duplicates), the latest row (of one cluster or
 * of many at once), a time range (whole rows, or chosen columns streamed), export pages.
 */
import { type Insertable, type Kysely, type Selectable, sql } from 'kysely';
import type { Database } from '../database.js';
import type { MetricsSnapshotsTable } from '../tables/snapshots.table.js';

export type SnapshotRow = Selectable<MetricsSnapshotsTable>;
export type NewSnapshotRow = Insertable<MetricsSnapshotsTable>;

/** True when the row was written; false when this cluster already has a row at that instant. */
export async function insertSnapshotRow(db: Kysely<Database>, row: NewSnapshotRow): Promise<boolean> {
  const result = await db
    .insertInto('metrics_snapshots')
    .values(row)
    .onConflict((oc) => oc.columns(['cluster_id', 'collected_at']).doNothing())
    .executeTakeFirst();
  return (result.numInsertedOrUpdatedRows ?? 0n) > 0n;
}

export function latestSnapshotRow(db: Kysely<Database>, clusterId: number): Promise<SnapshotRow | undefined> {
  return db.selectFrom('metrics_snapshots').selectAll().where('cluster_id', '=', clusterId).orderBy('collected_at', 'desc').limit(1).executeTakeFirst();
}

/** One cluster's rows with `from <= collected_at < to`, before a select. */
function rowsInRange(db: Kysely<Database>, clusterId: number, from: number, to: number) {
  return db.selectFrom('metrics_snapshots').where('cluster_id', '=', clusterId).where('collected_at', '>=', from).where('collected_at', '<', to);
}

/** Rows of one cluster with `from <= collected_at < to`, oldest first. */
export function snapshotRowsBetween(db: Kysely<Database>, clusterId: number, from: number, to: number): Promise<SnapshotRow[]> {
  return rowsInRange(db, clusterId, from, to).selectAll().orderBy('collected_at').execute();
}

/** The collection time of a cluster's first snapshot at or after `at`, or null when there is none. */
export async function firstSnapshotAtOrAfter(db: Kysely<Database>, clusterId: number, at: number): Promise<number | null> {
  const row = await db
    .selectFrom('metrics_snapshots')
    .select('collected_at')
    .where('cluster_id', '=', clusterId)
    .where('collected_at', '>=', at)
    .orderBy('collected_at')
    .limit(1)
    .executeTakeFirst();
  return row?.collected_at ?? null;
}

/**
 * Deletes up to `limit` of a cluster's rows older than `before` and says how many went: the
 * caller repeats until fewer than `limit` went, so one large delete never holds the database for long.
 */
export async function deleteClusterSnapshotRowsBefore(db: Kysely<Database>, clusterId: number, before: number, limit: number): Promise<number> {
  const result = await db
    .deleteFrom('metrics_snapshots')
    .where('id', 'in', (qb) => qb.selectFrom('metrics_snapshots').select('id').where('cluster_id', '=', clusterId).where('collected_at', '<', before).limit(limit))
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}

/** Any column of a snapshot row but its id. */
export type SnapshotColumn = Exclude<keyof SnapshotRow, 'id'>;

/** Rows a page of `snapshotColumnPages` holds: a few milliseconds of reading, then the event loop is free again. */
export const SNAPSHOT_PAGE_ROWS = 2_000;

/**
 * `collected_at` and the given columns of one cluster's rows with `from <= collected_at < to`,
 * oldest first, a page at a time (keyset on collected_at): a long window is never read in one
 * go that holds the process, nor row by row through an async iterator that costs more than the
 * read.
 */
export async function* snapshotColumnPages<C extends SnapshotColumn>(
  db: Kysely<Database>,
  clusterId: number,
  from: number,
  to: number,
  columns: readonly C[],
): AsyncGenerator<Array<Pick<SnapshotRow, C | 'collected_at'>>> {
  for (let after = from - 1; ; ) {
    const page = (await rowsInRange(db, clusterId, after + 1, to)
      .select(['collected_at', ...columns] as SnapshotColumn[])
      .orderBy('collected_at')
      .limit(SNAPSHOT_PAGE_ROWS)
      .execute()) as unknown as Array<Pick<SnapshotRow, C | 'collected_at'>>;
    if (page.length > 0) yield page;
    const last = page.at(-1);
    if (page.length < SNAPSHOT_PAGE_ROWS || last === undefined) return;
    after = last.collected_at;
  }
}

/**
 * The latest row of each of the given clusters, in one query: for each cluster the index on
 * (cluster_id, collected_at) finds its newest row directly, so the cost grows with the number
 * of clusters, not of rows.
 */
export async function latestSnapshotRows<C extends SnapshotColumn>(db: Kysely<Database>, clusterIds: readonly number[], columns: readonly C[]): Promise<Array<Pick<SnapshotRow, C | 'cluster_id' | 'collected_at'>>> {
  if (clusterIds.length === 0) return [];
  return db
    .selectFrom('metrics_snapshots')
    .select(['cluster_id', 'collected_at', ...columns] as SnapshotColumn[])
    .where('id', 'in', (qb) =>
      qb
        .selectFrom('clusters as c')
        .where('c.id', 'in', [...clusterIds])
        .select((eb) =>
          eb
            .selectFrom('metrics_snapshots as s')
            .select('s.id')
            .whereRef('s.cluster_id', '=', 'c.id')
            .orderBy('s.collected_at', 'desc')
            .limit(1)
            .as('latest_id'),
        ),
    )
    .execute() as unknown as Promise<Array<Pick<SnapshotRow, C | 'cluster_id' | 'collected_at'>>>;
}

/**
 * A page of an export: the given columns of one cluster's rows in `[from, to)` after the
 * instant `after` (the keyset cursor: collected_at is unique per cluster), oldest first.
 */
export function snapshotPage<C extends SnapshotColumn>(
  db: Kysely<Database>,
  clusterId: number,
  page: { readonly from: number; readonly to: number; readonly after: number | null; readonly limit: number; readonly columns: readonly C[] },
): Promise<Array<Pick<SnapshotRow, C | 'collected_at'>>> {
  let query = rowsInRange(db, clusterId, page.from, page.to).select(['collected_at', ...page.columns] as SnapshotColumn[]);
  if (page.after !== null) query = query.where('collected_at', '>', page.after);
  // Kysely types a select of a column list chosen at run time as every column: narrowed here.
  return query.orderBy('collected_at').limit(page.limit).execute() as unknown as Promise<Array<Pick<SnapshotRow, C | 'collected_at'>>>;
}

/**
 * One cluster's rows of `[from, to)` grouped into buckets of `widthMs` (aligned to multiples of
 * it since the epoch), in the database: per bucket its rows (`samples`), those that reached the
 * cluster, and per field `sum_<f>`, `n_<f>` (rows with a value) and `max_<f>` — the names a tier
 * row uses, so both are read alike. A window of thousands of rows comes back as at most a few
 * hundred.
 */
export function groupedSnapshotFigures(db: Kysely<Database>, clusterId: number, from: number, to: number, widthMs: number, fields: readonly string[]): Promise<Array<Record<string, number | null>>> {
  const width = Math.round(widthMs);
  return rowsInRange(db, clusterId, from, to)
    .select((eb) => [
      sql<number>`(collected_at / ${sql.lit(width)}) * ${sql.lit(width)}`.as('bucket_start'),
      eb.fn.countAll<number>().as('samples'),
      sql<number>`sum(case when collect_status in ('ok', 'partial') then 1 else 0 end)`.as('reachable_samples'),
      ...fields.flatMap((f) => [sql<number>`sum(${sql.ref(f)})`.as(`sum_${f}`), sql<number>`count(${sql.ref(f)})`.as(`n_${f}`), sql<number>`max(${sql.ref(f)})`.as(`max_${f}`)]),
    ])
    .groupBy(sql`1`)
    .orderBy(sql`1`)
    .execute();
}

/** `cluster_id`, `collected_at`, `collect_status` and the given columns of several clusters' rows in `[from, to)`, by cluster then time. */
export function clustersRowsBetween(db: Kysely<Database>, clusterIds: readonly number[], from: number, to: number, columns: readonly string[]): Promise<Array<Record<string, unknown> & { cluster_id: number; collected_at: number; collect_status: string | null }>> {
  if (clusterIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('metrics_snapshots')
    .select(['cluster_id', 'collected_at', 'collect_status', ...columns] as SnapshotColumn[])
    .where('cluster_id', 'in', [...clusterIds])
    .where('collected_at', '>=', from)
    .where('collected_at', '<', to)
    .orderBy('cluster_id')
    .orderBy('collected_at')
    .execute();
}

/** The cluster's latest row of `[from, to)`: `collected_at`, `collect_status` and the given fields. */
export function latestRowBetween(db: Kysely<Database>, clusterId: number, from: number, to: number, fields: readonly string[]): Promise<Record<string, unknown> | undefined> {
  return rowsInRange(db, clusterId, from, to)
    .select(['collected_at', 'collect_status', ...fields] as SnapshotColumn[])
    .orderBy('collected_at', 'desc')
    .limit(1)
    .executeTakeFirst();
}

/** The instant of the oldest stored snapshot of any cluster (the time index's first entry), or null when there is none. */
export async function oldestSnapshotAt(db: Kysely<Database>): Promise<number | null> {
  const row = await db.selectFrom('metrics_snapshots').select((eb) => eb.fn.min('collected_at').as('at')).executeTakeFirst();
  return row?.at ?? null;
}
