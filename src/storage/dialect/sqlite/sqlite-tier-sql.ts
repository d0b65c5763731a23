/**
 * The tiers' SQL on SQLite: how a bucket's aggregates take in more (one snapshot as it is
 * written, or a group of old snapshots in the back-fill). Both paths go through the same
 * ON CONFLICT clause, so a bucket's figures are the same whichever way its rows arrived.
 */
import type { TierColumnSpec, TierTable } from '../../../shared/tier-fields.js';
import { tierBackfillInsert, tierRowColumns } from '../../tier-backfill-sql.js';

const q = (name: string): string => `"${name}"`;

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
  return `on conflict (cluster_id, bucket_start) do update set samples = samples + excluded.samples, reachable_samples = reachable_samples + excluded.reachable_samples, ${columns.map(merge).join(', ')}`;
}

/** Adds one snapshot's figures to its bucket: bind cluster_id, bucket_start, samples (1), reachable (0/1), then the columns. */
export function tierUpsertSql(table: TierTable, columns: readonly TierColumnSpec[]): string {
  const names = tierRowColumns(columns);
  return `insert into ${table} (${names.map(q).join(', ')}) values (${names.map(() => '?').join(', ')}) ${tierMergeClause(columns)}`;
}

/** The back-fill's statement (tier-backfill-sql.ts) with SQLite's merge: bind cluster_id, from, to. */
export function tierBackfillSql(table: TierTable, widthMs: number, columns: readonly TierColumnSpec[]): string {
  // The WHERE before it also tells SQLite's parser that ON CONFLICT belongs to the insert, not to a join.
  return `${tierBackfillInsert(table, widthMs, columns, ['?', '?', '?'])} ${tierMergeClause(columns)}`;
}
