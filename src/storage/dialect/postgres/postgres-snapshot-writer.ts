/**
 * The snapshot write on PostgreSQL: the same statements as on SQLite (the row, its figures added
 * to each tier's bucket only when the row is new, the node lists), in one transaction on a
 * connection of its own from the pool. Each statement is a named prepared statement: PostgreSQL
 * parses and plans it once per connection, not at every write of every cluster.
 */
import { createHash } from 'node:crypto';
import type pg from 'pg';
import type { ColumnType } from '../../../shared/fields/field-spec.js';
import type { FieldCatalogue } from '../../../shared/snapshot-fields.js';
import { bucketStart, type TierColumnSpec, tierColumnsOf, TIERS } from '../../../shared/tier-fields.js';
import { metaValues, SNAPSHOT_META_COLUMNS, type SnapshotRecord, type SnapshotWriter } from '../../snapshot-writer.js';
import { tierBackfillSql, tierUpsertSql } from './postgres-tier-sql.js';

const LISTS = ['frontends', 'backends', 'compute_nodes'] as const;
const META_TYPES: readonly ColumnType[] = ['bigint', 'bigint', 'text', 'bigint', 'text', 'bigint'];

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

export function postgresSnapshotWriter(pool: pg.Pool, fields: FieldCatalogue, countChanges: (rows: number) => void): SnapshotWriter {
  const columns = [...SNAPSHOT_META_COLUMNS, ...fields.map((f) => f.name)];
  const types = [...META_TYPES, ...fields.map((f) => f.column)];
  const insert = statement(
    `insert into metrics_snapshots (${columns.map((c) => `"${c}"`).join(', ')}) values (${columns.map((_, i) => `$${i + 1}`).join(', ')}) on conflict (cluster_id, collected_at) do nothing`,
  );
  // A list bound as null keeps what is stored, and its time.
  const upsertNodes = statement(
    `insert into cluster_nodes (cluster_id, ${LISTS.flatMap((l) => [l, `${l}_at`]).join(', ')}) values ($1, $2, $3, $4, $5, $6, $7) ` +
      `on conflict (cluster_id) do update set ${LISTS.flatMap((l) => [`${l} = coalesce(excluded.${l}, cluster_nodes.${l})`, `${l}_at = case when excluded.${l} is null then cluster_nodes.${l}_at else excluded.${l}_at end`]).join(', ')}`,
  );
  const names = fields.map((f) => f.name);
  const tierColumns = tierColumnsOf(fields);
  const tiers = TIERS.map((tier) => ({ tier, upsert: statement(tierUpsertSql(tier.table, tierColumns)) }));
  const backfills = TIERS.map((tier) => statement(tierBackfillSql(tier.table, tier.widthMs, tierColumns)));
  const progress = statement('update tier_backfill set done_until = $1 where cluster_id = $2');

  /** Runs `work` in a transaction on one connection; adds the rows it changed to the count once committed. */
  async function inTransaction<T>(work: (run: (query: pg.QueryConfig) => Promise<number>) => Promise<T>): Promise<T> {
    const client = await pool.connect();
    let changed = 0;
    const run = async (query: pg.QueryConfig): Promise<number> => {
      const rows = (await client.query(query)).rowCount ?? 0;
      changed += rows;
      return rows;
    };
    try {
      await client.query('begin');
      const result = await work(run);
      await client.query('commit');
      countChanges(changed);
      return result;
    } catch (err) {
      await client.query('rollback').catch(() => undefined);
      throw err;
    } finally {
      client.release();
    }
  }

  return {
    write: (r) =>
      inTransaction(async (run) => {
        const row = [...metaValues(r), ...names.map((n) => r.values[n] ?? null)].map((v, i) => toPostgresValue(v, types[i] ?? 'text'));
        const written = (await run(insert(row))) > 0;
        if (written) {
          const figures = tierFigures(tierColumns, r.values);
          const reachable = r.status === 'failed' ? 0 : 1;
          for (const { tier, upsert } of tiers) await run(upsert([r.clusterId, bucketStart(tier, r.collectedAt), 1, reachable, ...figures]));
        }
        const { frontends, backends, computeNodes, at } = r.nodes;
        if (frontends !== null || backends !== null || computeNodes !== null) {
          await run(upsertNodes([r.clusterId, frontends, frontends === null ? null : at, backends, backends === null ? null : at, computeNodes, computeNodes === null ? null : at]));
        }
        return written;
      }),
    backfillTiers: (clusterId, from, to) =>
      inTransaction(async (run) => {
        for (const backfill of backfills) await run(backfill([clusterId, from, to]));
        await run(progress([to, clusterId]));
      }),
  };
}

/** One snapshot's contribution to a bucket, column by column: its value as sum, minimum and maximum, and 1 (or 0 without a value) as count. */
function tierFigures(columns: readonly TierColumnSpec[], values: SnapshotRecord['values']): unknown[] {
  return columns.map((c) => {
    const raw = values[c.field];
    const value = typeof raw === 'number' && !Number.isNaN(raw) ? raw : null;
    return toPostgresValue(c.aggregate === 'n' ? (value === null ? 0 : 1) : value, c.column);
  });
}
