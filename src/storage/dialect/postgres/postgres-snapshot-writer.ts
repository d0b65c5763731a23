/**
 * The snapshot write on PostgreSQL: what SQLite does in three to four prepared statements (the
 * row, its figures added to each tier's bucket only when the row is new, the node lists) is one
 * statement here, its parts chained by data-modifying WITH clauses, so a write is one round trip
 * to the server, and atomic as any statement is. It is a named prepared statement: PostgreSQL
 * parses and plans it once per connection, not at every write of every cluster.
 */
import { createHash } from 'node:crypto';
import type pg from 'pg';
import type { ColumnType } from '../../../shared/fields/field-spec.js';
import type { FieldCatalogue } from '../../../shared/snapshot-fields.js';
import { customFiguresByBucket, customFiguresJson, snapshotCustomFigures } from '../../../shared/custom-figures.js';
import { bucketStart, type TierColumnSpec, tierColumnsOf, TIERS } from '../../../shared/tier-fields.js';
import { metaValues, type SnapshotRecord, type SnapshotWriter, WRITTEN_META_COLUMNS } from '../../snapshot-writer.js';
import { clusterFenceCheckSql, fenceCheckSql, type FenceHolder } from './postgres-collection-lease.js';
import { tierAddFromSql, tierBackfillSql, tierCustomFiguresSql } from './postgres-tier-sql.js';

const LISTS = ['frontends', 'backends', 'compute_nodes'] as const;
const META_TYPES: readonly ColumnType[] = ['bigint', 'bigint', 'text', 'bigint', 'text', 'bigint', 'bigint', 'text'];

/** A named statement: the name is the text's hash, so two catalogues never share a name on a connection. */
function statement(text: string): (values: unknown[]) => pg.QueryConfig {
  const name = `stellar_${createHash('sha256').update(text).digest('hex').slice(0, 24)}`;
  return (values) => ({ name, text, values });
}

/**
 * A value as SQLite would keep it, in a form PostgreSQL accepts: NaN is NULL (SQLite stores NULL
 * for it); a bigint column takes a whole number (SQLite would keep 2.5 as a real there, which
 * PostgreSQL refuses: rounded), and no infinity.
 */
export function toPostgresValue(value: unknown, column: ColumnType): unknown {
  if (typeof value !== 'number') return value ?? null;
  if (Number.isNaN(value)) return null;
  if (column !== 'bigint') return value;
  return Number.isFinite(value) ? Math.round(value) : null;
}

/** `fence`: once this instance has held the collection lease, every write checks it (postgres-collection-lease.ts). */
export function postgresSnapshotWriter(pool: pg.Pool, fields: FieldCatalogue, countChanges: (rows: number) => void, fence: FenceHolder): SnapshotWriter {
  const columns = [...WRITTEN_META_COLUMNS, ...fields.map((f) => f.name)];
  const types = [...META_TYPES, ...fields.map((f) => f.column)];
  const names = fields.map((f) => f.name);
  const tierColumns = tierColumnsOf(fields);
  // Parameters: the row's columns, then reachable (0/1), the tier figures, each tier's bucket start and the custom figures.
  const reachableAt = columns.length + 1;
  const figuresAt = reachableAt + 1;
  const bucketAt = figuresAt + tierColumns.length;
  const customAt = bucketAt + TIERS.length;
  const nodesAt = customAt + 1;
  const figures = tierColumns.map((c, i) => `$${figuresAt + i}::${c.column}`);
  const nodeValues = ['$1::integer', ...LISTS.flatMap((_, i) => [`$${nodesAt + 2 * i}::text`, `$${nodesAt + 2 * i + 1}::bigint`])];
  /**
   * Fenced (`fenceAt`: the number of the holder's parameter, the token's next), the snapshot and
   * the lists are inserted only if the fence's check finds its row, in the same statement: the
   * check's lock on the lease row lasts as long as the statement, whatever the client does. The
   * collection lease's row in leader mode, the cluster's in shards mode.
   */
  const text = (withNodes: boolean, fence: { readonly at: number; readonly lease: 'collection' | 'cluster' } | null): string => {
    const gate = fence === null ? '' : ' where exists (select 1 from fence)';
    const rowValues = columns.map((_, i) => `$${i + 1}::${types[i] ?? 'text'}`);
    const check = fence === null ? null : fence.lease === 'collection' ? fenceCheckSql(fence.at, fence.at + 1) : clusterFenceCheckSql(1, fence.at, fence.at + 1);
    const parts = [
      ...(check === null ? [] : [`fence as (${check})`]),
      `ins as (insert into metrics_snapshots (${columns.map((c) => `"${c}"`).join(', ')}) select ${rowValues.join(', ')}${gate} on conflict do nothing returning 1)`,
      ...TIERS.map((tier, i) => `t${i} as (${tierAddFromSql(tier.table, tierColumns, ['$1::integer', `$${bucketAt + i}::bigint`, '1', `$${reachableAt}::bigint`, ...figures, `$${customAt}::text`], 'ins')})`),
      // A list bound as null keeps what is stored, and its time.
      ...(withNodes
        ? [
            `nodes as (insert into cluster_nodes (cluster_id, ${LISTS.flatMap((l) => [l, `${l}_at`]).join(', ')}) select ${nodeValues.join(', ')}${gate} ` +
              `on conflict (cluster_id) do update set ${LISTS.flatMap((l) => [`${l} = coalesce(excluded.${l}, cluster_nodes.${l})`, `${l}_at = case when excluded.${l} is null then cluster_nodes.${l}_at else excluded.${l}_at end`]).join(', ')} returning 1)`,
          ]
        : []),
    ];
    const changed = ['ins', ...TIERS.map((_, i) => `t${i}`), ...(withNodes ? ['nodes'] : [])];
    const fenceHeld = fence === null ? '1' : '(select count(*) from fence)';
    return `with ${parts.join(', ')} select (select count(*) from ins) as written, ${changed.map((c) => `(select count(*) from ${c})`).join(' + ')} as changed, ${fenceHeld} as fence_held`;
  };
  const afterNodes = nodesAt + 2 * LISTS.length;
  const statements = (lease: 'collection' | 'cluster' | null) => ({
    withNodes: statement(text(true, lease === null ? null : { at: afterNodes, lease })),
    withoutNodes: statement(text(false, lease === null ? null : { at: nodesAt, lease })),
  });
  const write = { none: statements(null), collection: statements('collection'), cluster: statements('cluster') };
  const backfills = TIERS.map((tier) => statement(tierBackfillSql(tier.table, tier.widthMs, tierColumns)));
  // Custom values are JSON, which the back-fill's SQL does not aggregate: their figures are worked out here, per bucket.
  const customValues = statement('select collected_at, custom_values from metrics_snapshots where cluster_id = $1 and collected_at >= $2 and collected_at < $3 and custom_values is not null');
  const customBackfills = TIERS.map((tier) => ({ tier, add: statement(tierCustomFiguresSql(tier.table)) }));
  const progress = statement('update tier_backfill set done_until = $1 where cluster_id = $2');

  return {
    async write(r) {
      const row = [...metaValues(r), ...names.map((n) => r.values[n] ?? null)].map((v, i) => toPostgresValue(v, types[i] ?? 'text'));
      const values = [...row, r.status === 'failed' ? 0 : 1, ...tierFigures(tierColumns, r.values), ...TIERS.map((tier) => bucketStart(tier, r.collectedAt)), snapshotCustomFigures(r.customValues)];
      const { frontends, backends, computeNodes, at } = r.nodes;
      const withNodes = frontends !== null || backends !== null || computeNodes !== null;
      const nodeLists = [frontends, frontends === null ? null : at, backends, backends === null ? null : at, computeNodes, computeNodes === null ? null : at];
      const check = fence.forSnapshot(r.clusterId);
      const chosen = write[check === null ? 'none' : check.lease];
      const fenceValues = check === null ? [] : [check.holder, check.token];
      const query = withNodes ? chosen.withNodes([...values, ...nodeLists, ...fenceValues]) : chosen.withoutNodes([...values, ...fenceValues]);
      const result = await pool.query<{ written: number; changed: number; fence_held: number }>(query);
      if (check !== null && Number(result.rows[0]?.fence_held ?? 0) === 0) check.refuse();
      const counts = result.rows[0];
      countChanges(counts?.changed ?? 0);
      return (counts?.written ?? 0) > 0;
    },
    async backfillTiers(clusterId, from, to) {
      const changed = await fenced(pool, fence, async (client) => {
        let rows = 0;
        for (const backfill of backfills) rows += (await client.query(backfill([clusterId, from, to]))).rowCount ?? 0;
        const raw = (await client.query<{ collected_at: string | number; custom_values: string | null }>(customValues([clusterId, from, to]))).rows;
        const withTimes = raw.map((r) => ({ collected_at: Number(r.collected_at), custom_values: r.custom_values }));
        for (const { tier, add } of customBackfills) {
          for (const [bucket, figures] of customFiguresByBucket(withTimes, (at) => bucketStart(tier, at))) {
            const json = customFiguresJson(figures);
            if (json !== null) rows += (await client.query(add([clusterId, bucket, json]))).rowCount ?? 0;
          }
        }
        return rows + ((await client.query(progress([to, clusterId]))).rowCount ?? 0);
      });
      countChanges(changed);
    },
  };
}

/** `write` in a transaction on a connection of its own, behind the fence's check when one is set. */
async function fenced<T>(pool: pg.Pool, fence: FenceHolder, write: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    return await fence.run(client, () => write(client));
  } finally {
    client.release();
  }
}

/** One snapshot's contribution to a bucket, column by column: its value as sum, minimum and maximum, and 1 (or 0 without a value) as count. */
function tierFigures(columns: readonly TierColumnSpec[], values: SnapshotRecord['values']): unknown[] {
  return columns.map((c) => {
    const raw = values[c.field];
    const value = typeof raw === 'number' && !Number.isNaN(raw) ? raw : null;
    return toPostgresValue(c.aggregate === 'n' ? (value === null ? 0 : 1) : value, c.column);
  });
}
