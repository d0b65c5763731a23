/**
 * The tiers' SQL on PostgreSQL: the same merge as SQLite's (dialect/sqlite/sqlite-tier-sql.ts),
 * in PostgreSQL's words. Inside ON CONFLICT … DO UPDATE a bare column name is ambiguous between
 * the stored row and `excluded`, so the stored side is named by its table; the two-argument
 * min/max of SQLite are least/greatest, which already pass over a NULL side.
 */
import type { TierColumnSpec, TierTable } from '../../../shared/tier-fields.js';
import { tierBackfillInsert, tierRowColumns } from '../../tier-backfill-sql.js';

const q = (name: string): string => `"${name}"`;

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
  return `on conflict (cluster_id, bucket_start) do update set ${[...own, ...columns.map(merge)].join(', ')}`;
}

/**
 * Adds one snapshot's figures to its bucket inside a larger statement: a row is added for each
 * row of `source` (the snapshot's insert, so nothing when it was a repeat). `values` are the SQL
 * of cluster_id, bucket_start, samples, reachable, then the columns, each cast to its type.
 */
export function tierAddFromSql(table: TierTable, columns: readonly TierColumnSpec[], values: readonly string[], source: string): string {
  const names = tierRowColumns(columns);
  return `insert into ${table} (${names.map(q).join(', ')}) select ${values.join(', ')} from ${source} ${tierMergeClause(table, columns)} returning 1`;
}

/** The back-fill's statement (tier-backfill-sql.ts) with PostgreSQL's merge: bind cluster_id, from, to. */
export function tierBackfillSql(table: TierTable, widthMs: number, columns: readonly TierColumnSpec[]): string {
  return `${tierBackfillInsert(table, widthMs, columns, ['$1', '$2', '$3'])} ${tierMergeClause(table, columns)}`;
}
