/**
 * The tiers' back-fill statement in the SQL both engines read alike (an integer divided by an
 * integer is whole in both), without its ON CONFLICT clause, which each dialect words its own
 * way (dialect/<engine>/<engine>-tier-sql.ts): a cluster's snapshots of `[from, to)` added to
 * the tier a bucket at a time, straight from metrics_snapshots.
 */
import type { TierColumnSpec, TierTable } from '../shared/tier-fields.js';

const q = (name: string): string => `"${name}"`;

/** A tier row's columns in the order its statements bind them: the bucket's own, then the catalogue's. */
export const tierRowColumns = (columns: readonly TierColumnSpec[]): string[] => ['cluster_id', 'bucket_start', 'samples', 'reachable_samples', ...columns.map((c) => c.name)];

/** `placeholders`: the engine's parameters for cluster_id, from and to. */
export function tierBackfillInsert(table: TierTable, widthMs: number, columns: readonly TierColumnSpec[], placeholders: readonly [string, string, string]): string {
  const select = columns.map((c) => {
    const field = q(c.field);
    return c.aggregate === 'n' ? `count(${field})` : `${c.aggregate}(${field})`;
  });
  const [clusterId, from, to] = placeholders;
  return (
    `insert into ${table} (${tierRowColumns(columns).map(q).join(', ')}) ` +
    `select cluster_id, (collected_at / ${widthMs}) * ${widthMs}, count(*), sum(case when collect_status in ('ok', 'partial') then 1 else 0 end), ${select.join(', ')} ` +
    `from metrics_snapshots where cluster_id = ${clusterId} and collected_at >= ${from} and collected_at < ${to} group by 1, 2`
  );
}
