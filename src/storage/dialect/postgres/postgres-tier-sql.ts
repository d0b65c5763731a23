/**
 * The tiers' SQL on PostgreSQL: the same merge as SQLite's (dialect/sqlite/sqlite-tier-sql.ts),
 * in PostgreSQL's words. Inside ON CONFLICT … DO UPDATE a bare column name is ambiguous between
 * the stored row and `excluded`, so the stored side is named by its table; the two-argument
 * min/max of SQLite are least/greatest, which already pass over a NULL side.
 */
import type { TierColumnSpec, TierTable } from '../../../shared/tier-fields.js';
import { tierBackfillInsert, tierRowColumns } from '../../tier-backfill-sql.js';

const q = (name: string): string => `"${name}"`;

/**
 * Two `custom_figures` JSON texts (shared/custom-figures.ts) merged as SQLite's are
 * (dialect/sqlite/sqlite-tier-sql.ts): per metric the sums and counts added, the higher
 * maximum; either side null is the other. `stored` and `incoming` are SQL expressions of the texts.
 */
export function customFiguresMergeSql(stored: string, incoming: string): string {
  const parts = (json: string): string => `select key, (value->>0)::float8 as s, (value->>1)::float8 as n, (value->>2)::float8 as m from jsonb_each(${json}::jsonb)`;
  const merged = `(select jsonb_object_agg(key, jsonb_build_array(s, n, m))::text from (select key, sum(s) as s, sum(n) as n, max(m) as m from (${parts(stored)} union all ${parts(incoming)}) as both_sides group by key) as per_metric)`;
  return `case when ${incoming} is null then ${stored} when ${stored} is null then ${incoming} else ${merged} end`;
}

/** `on conflict … do update`: sums and counts add up, minimum and maximum keep the extreme; a NULL side is no figure. */
export function tierMergeClause(table: TierTable, columns: readonly TierColumnSpec[]): string {
  const stored = (name: string): string => `${table}.${q(name)}`;
  const merge = (c: TierColumnSpec): string => {
    const col = q(c.name);
    const incoming = `excluded.${col}`;
    switch (c.aggregate) {
      case 'sum':
        return `${col} = coalesce(${stored(c.name)} + ${incoming}, ${stored(c.name)}, ${incoming})`;
      case 'n':
        return `${col} = ${stored(c.name)} + ${incoming}`;
      case 'min':
        return `${col} = least(${stored(c.name)}, ${incoming})`;
      case 'max':
        return `${col} = greatest(${stored(c.name)}, ${incoming})`;
    }
  };
  const own = ['samples', 'reachable_samples'].map((c) => `${c} = ${stored(c)} + excluded.${c}`);
  const custom = `custom_figures = ${customFiguresMergeSql(stored('custom_figures'), 'excluded.custom_figures')}`;
  return `on conflict (cluster_id, bucket_start) do update set ${[...own, ...columns.map(merge), custom].join(', ')}`;
}

/**
 * Adds one snapshot's figures to its bucket inside a larger statement: a row is added for each
 * row of `source` (the snapshot's insert, so nothing when it was a repeat). `values` are the SQL
 * of cluster_id, bucket_start, samples, reachable, the columns, each cast to its type, then the
 * custom figures' text.
 */
export function tierAddFromSql(table: TierTable, columns: readonly TierColumnSpec[], values: readonly string[], source: string): string {
  const names = [...tierRowColumns(columns), 'custom_figures'];
  return `insert into ${table} (${names.map(q).join(', ')}) select ${values.join(', ')} from ${source} ${tierMergeClause(table, columns)} returning 1`;
}

/**
 * Adds custom figures to a bucket (the back-fill's, worked out from old snapshots' custom
 * values after its statement has made their buckets): bind cluster_id, bucket_start, the figures.
 */
export function tierCustomFiguresSql(table: TierTable): string {
  return (
    `insert into ${table} (cluster_id, bucket_start, samples, reachable_samples, custom_figures) values ($1::integer, $2::bigint, 0, 0, $3::text) ` +
    `on conflict (cluster_id, bucket_start) do update set custom_figures = ${customFiguresMergeSql(`${table}.custom_figures`, 'excluded.custom_figures')}`
  );
}

/** The back-fill's statement (tier-backfill-sql.ts) with PostgreSQL's merge: bind cluster_id, from, to. */
export function tierBackfillSql(table: TierTable, widthMs: number, columns: readonly TierColumnSpec[]): string {
  return `${tierBackfillInsert(table, widthMs, columns, ['$1', '$2', '$3'])} ${tierMergeClause(table, columns)}`;
}
