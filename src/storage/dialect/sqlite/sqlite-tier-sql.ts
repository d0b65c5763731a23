/**
 * The tiers' SQL on SQLite: how a bucket's aggregates take in more (one snapshot as it is
 * written, or a group of old snapshots in the back-fill). Both paths go through the same
 * ON CONFLICT clause, so a bucket's figures are the same whichever way its rows arrived.
 */
import type BetterSqlite3 from 'better-sqlite3';
import { customFiguresJson, mergeCustomFigures, parseCustomFigures } from '../../../shared/custom-figures.js';
import type { TierColumnSpec, TierTable } from '../../../shared/tier-fields.js';
import { tierBackfillInsert, tierRowColumns } from '../../tier-backfill-sql.js';

const q = (name: string): string => `"${name}"`;

/** The SQL function `customFiguresMergeSql` calls; `registerCustomFiguresMerge` defines it on a connection. */
const MERGE_FUNCTION = 'stellar_merge_custom_figures';

/**
 * Defines the merge of two `custom_figures` texts on a connection, before it prepares a tier
 * statement. Merged in JavaScript (shared/custom-figures.ts, as the back-fill and the daily
 * roll-up merge them): SQLite's JSON functions took twice as long for a few metrics, 17 % of a
 * snapshot's write when its row had custom values (docs/BENCHMARKS.md). An unreadable stored
 * text counts as no figures, as everywhere else they are read.
 */
export function registerCustomFiguresMerge(sqlite: BetterSqlite3.Database): void {
  const figures = (text: unknown) => parseCustomFigures(typeof text === 'string' ? text : null);
  sqlite.function(MERGE_FUNCTION, { deterministic: true }, (stored: unknown, incoming: unknown) => customFiguresJson(mergeCustomFigures(figures(stored), figures(incoming))));
}

/**
 * Two `custom_figures` JSON objects (shared/custom-figures.ts) merged: per metric the sums and
 * counts added, the higher maximum; either side null is the other, without a call into
 * JavaScript (a row without custom values costs nothing). `stored` and `incoming` are SQL
 * expressions of the two texts.
 */
export function customFiguresMergeSql(stored: string, incoming: string): string {
  return `case when ${incoming} is null then ${stored} when ${stored} is null then ${incoming} else ${MERGE_FUNCTION}(${stored}, ${incoming}) end`;
}

/** `on conflict … do update`: sums and counts add up, minimum and maximum keep the extreme; a NULL side is no figure. */
export function tierMergeClause(columns: readonly TierColumnSpec[]): string {
  const merge = (c: TierColumnSpec): string => {
    const col = q(c.name);
    const incoming = `excluded.${col}`;
    switch (c.aggregate) {
      case 'sum':
        return `${col} = coalesce(${col} + ${incoming}, ${col}, ${incoming})`;
      case 'n':
        return `${col} = ${col} + ${incoming}`;
      case 'min':
        return `${col} = min(coalesce(${col}, ${incoming}), coalesce(${incoming}, ${col}))`;
      case 'max':
        return `${col} = max(coalesce(${col}, ${incoming}), coalesce(${incoming}, ${col}))`;
    }
  };
  const custom = `custom_figures = ${customFiguresMergeSql('custom_figures', 'excluded.custom_figures')}`;
  return `on conflict (cluster_id, bucket_start) do update set samples = samples + excluded.samples, reachable_samples = reachable_samples + excluded.reachable_samples, ${[...columns.map(merge), custom].join(', ')}`;
}

/** Adds one snapshot's figures to its bucket: bind cluster_id, bucket_start, samples (1), reachable (0/1), the columns, then its custom figures. */
export function tierUpsertSql(table: TierTable, columns: readonly TierColumnSpec[]): string {
  const names = [...tierRowColumns(columns), 'custom_figures'];
  return `insert into ${table} (${names.map(q).join(', ')}) values (${names.map(() => '?').join(', ')}) ${tierMergeClause(columns)}`;
}

/**
 * Adds custom figures to a bucket (the back-fill's, worked out from old snapshots' custom
 * values after its statement has made their buckets): bind cluster_id, bucket_start, the figures.
 */
export function tierCustomFiguresSql(table: TierTable): string {
  return `insert into ${table} (cluster_id, bucket_start, samples, reachable_samples, custom_figures) values (?, ?, 0, 0, ?) on conflict (cluster_id, bucket_start) do update set custom_figures = ${customFiguresMergeSql('custom_figures', 'excluded.custom_figures')}`;
}

/** The back-fill's statement (tier-backfill-sql.ts) with SQLite's merge: bind cluster_id, from, to. */
export function tierBackfillSql(table: TierTable, widthMs: number, columns: readonly TierColumnSpec[]): string {
  // The WHERE before it also tells SQLite's parser that ON CONFLICT belongs to the insert, not to a join.
  return `${tierBackfillInsert(table, widthMs, columns, ['?', '?', '?'])} ${tierMergeClause(columns)}`;
}
