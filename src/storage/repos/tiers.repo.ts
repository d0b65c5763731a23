/**
 * Queries on the tiers (metrics_5m, metrics_1h) and on tier_backfill. Rows are written by the
 * dialect's SnapshotWriter (as snapshots arrive, or from old snapshots in the back-fill); these
 * read them and delete them past their retention.
 */
import { type Kysely, type Selectable, sql } from 'kysely';
import type { TierTable } from '../../shared/tier-fields.js';
import type { Database } from '../database.js';
import type { TierBackfillTable, TierRowTable } from '../tables/snapshots.table.js';

export type TierRow = Selectable<TierRowTable>;
export type TierBackfillRow = Selectable<TierBackfillTable>;

/** One cluster's buckets with `from <= bucket_start < to`, oldest first: every column, or the bucket's own and the given ones. */
export function tierRowsBetween(db: Kysely<Database>, table: TierTable, clusterId: number, from: number, to: number, columns?: readonly string[]): Promise<TierRow[]> {
  const range = db.selectFrom(table).where('cluster_id', '=', clusterId).where('bucket_start', '>=', from).where('bucket_start', '<', to).orderBy('bucket_start');
  if (columns === undefined) return range.selectAll().execute();
  // Kysely types a select of a column list chosen at run time as every column: it is the caller's list.
  return range.select(['bucket_start', 'samples', 'reachable_samples', ...columns] as (keyof TierRow)[]).execute();
}

/** Several clusters' buckets with `from <= bucket_start < to`, by cluster then oldest first: `cluster_id`, `bucket_start` and the given columns. */
export function clustersTierRowsBetween(db: Kysely<Database>, table: TierTable, clusterIds: readonly number[], from: number, to: number, columns: readonly string[]): Promise<Array<Record<string, unknown> & { cluster_id: number; bucket_start: number }>> {
  if (clusterIds.length === 0) return Promise.resolve([]);
  return (
    db
      .selectFrom(table)
      // Kysely types a select of a column list chosen at run time as every column: it is the caller's list.
      .select(['cluster_id', 'bucket_start', ...columns] as (keyof TierRow)[])
      .where('cluster_id', 'in', [...clusterIds])
      .where('bucket_start', '>=', from)
      .where('bucket_start', '<', to)
      .orderBy('cluster_id')
      .orderBy('bucket_start')
      .execute()
  );
}

/** The start of the cluster's first bucket at or after `at`, or null. */
export async function firstBucketAtOrAfter(db: Kysely<Database>, table: TierTable, clusterId: number, at: number): Promise<number | null> {
  const row = await db.selectFrom(table).select('bucket_start').where('cluster_id', '=', clusterId).where('bucket_start', '>=', at).orderBy('bucket_start').limit(1).executeTakeFirst();
  return row === undefined ? null : Number(row.bucket_start);
}

/** Deletes up to `limit` of the cluster's buckets starting before `before`; says how many went. */
export async function deleteClusterTierRowsBefore(db: Kysely<Database>, table: TierTable, clusterId: number, before: number, limit: number): Promise<number> {
  const result = await db
    .deleteFrom(table)
    .where('cluster_id', '=', clusterId)
    .where('bucket_start', 'in', (qb) => qb.selectFrom(table).select('bucket_start').where('cluster_id', '=', clusterId).where('bucket_start', '<', before).orderBy('bucket_start').limit(limit))
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}

/** Clusters whose snapshots from before the tiers are not all in them yet. */
export function pendingTierBackfills(db: Kysely<Database>): Promise<TierBackfillRow[]> {
  return db.selectFrom('tier_backfill').selectAll().orderBy('cluster_id').execute();
}

export async function pendingTierBackfill(db: Kysely<Database>, clusterId: number): Promise<TierBackfillRow | undefined> {
  return db.selectFrom('tier_backfill').selectAll().where('cluster_id', '=', clusterId).executeTakeFirst();
}

export async function finishTierBackfill(db: Kysely<Database>, clusterId: number): Promise<void> {
  await db.deleteFrom('tier_backfill').where('cluster_id', '=', clusterId).execute();
}

/**
 * One cluster's buckets of a tier with `from <= bucket_start < to`, merged into wider buckets of
 * `widthMs` (a multiple of the tier's, aligned to multiples of it since the epoch), in the
 * database: the same columns as a tier row (`samples`, `reachable_samples`, `sum_<f>`, `n_<f>`,
 * `max_<f>` of the given fields).
 */
export function groupedTierFigures(db: Kysely<Database>, table: TierTable, clusterId: number, from: number, to: number, widthMs: number, fields: readonly string[], hasMax: (field: string) => boolean): Promise<Array<Record<string, number | null>>> {
  const width = Math.round(widthMs);
  return db
    .selectFrom(table)
    .where('cluster_id', '=', clusterId)
    .where('bucket_start', '>=', from)
    .where('bucket_start', '<', to)
    .select(() => [
      sql<number>`(bucket_start / ${sql.lit(width)}) * ${sql.lit(width)}`.as('bucket_start'),
      sql<number>`sum(samples)`.as('samples'),
      sql<number>`sum(reachable_samples)`.as('reachable_samples'),
      ...fields.flatMap((f) => [
        sql<number>`sum(${sql.ref(`sum_${f}`)})`.as(`sum_${f}`),
        sql<number>`sum(${sql.ref(`n_${f}`)})`.as(`n_${f}`),
        ...(hasMax(f) ? [sql<number>`max(${sql.ref(`max_${f}`)})`.as(`max_${f}`)] : []),
      ]),
    ])
    .groupBy(sql`1`)
    .orderBy(sql`1`)
    .execute();
}

/** One field's sum and count per bucket of several clusters since `from` (the fleet's sparklines): `cluster_id`, `bucket_start`, `sum`, `n`. */
export function tierFieldOfClusters(db: Kysely<Database>, table: TierTable, clusterIds: readonly number[], from: number, field: string): Promise<Array<{ cluster_id: number; bucket_start: number; sum: number | null; n: number | null }>> {
  if (clusterIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom(table)
    .select(['cluster_id', 'bucket_start', sql<number | null>`${sql.ref(`sum_${field}`)}`.as('sum'), sql<number | null>`${sql.ref(`n_${field}`)}`.as('n')])
    .where('cluster_id', 'in', [...clusterIds])
    .where('bucket_start', '>=', from)
    .execute();
}

/** One cluster's buckets of a tier with `from <= bucket_start < to`, oldest first: their samples and custom figures (custom-trends.ts). */
export function tierCustomFiguresBetween(db: Kysely<Database>, table: TierTable, clusterId: number, from: number, to: number): Promise<Array<{ bucket_start: number; samples: number; custom_figures: string | null }>> {
  return db
    .selectFrom(table)
    .select(['bucket_start', 'samples', 'custom_figures'])
    .where('cluster_id', '=', clusterId)
    .where('bucket_start', '>=', from)
    .where('bucket_start', '<', to)
    .orderBy('bucket_start')
    .execute();
}
