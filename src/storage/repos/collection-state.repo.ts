/**
 * The collection_state table: each cluster's collection schedule as the collecting process last
 * wrote it. Written in batches (a fleet's changed states in one transaction, a statement per
 * thousand rows), never a transaction per cluster per event; read whole for the fleet and the
 * cluster list (one query), by cluster for one cluster.
 */
import type { Kysely, Selectable, Transaction } from 'kysely';
import { sql } from 'kysely';
import { COLLECT_STATUSES, type CollectStatus } from '../../shared/snapshot-fields.js';
import type { Database } from '../database.js';
import type { CollectionStateTable } from '../tables/clusters.table.js';

/** Where one cluster's collection stands: the scheduler's state, and what the table holds. Times are epoch ms. */
export interface CollectionStateRecord {
  /** The last collection's status; null before the first. */
  readonly lastStatus: CollectStatus | null;
  readonly consecutiveFailures: number;
  readonly lastAttemptAt: number | null;
  /** When the last collection that was not `failed` started. */
  readonly lastSuccessAt: number | null;
  readonly lastDurationMs: number | null;
  /** Why the last collection was not ok (its failed sources, or the error), short; null after an ok one. */
  readonly lastError: string | null;
  /** The next slot, pushed out by the backoff after consecutive failures. */
  readonly nextAttemptAt: number;
  readonly running: boolean;
  /** How late the last collection started after its due instant, ms; 0 before the first. */
  readonly lagMs: number;
  /** The cluster's interval, ms: how late is late depends on it. */
  readonly intervalMs: number;
}

export interface StoredCollectionState extends CollectionStateRecord {
  /** When the collecting process wrote it. */
  readonly updatedAt: number;
}

/**
 * Runs first in the write's transaction, and may throw to refuse it (nothing is written): the
 * seam where a fenced writer checks it still holds the right to write.
 */
export type BeforeWrite = (trx: Transaction<Database>) => Promise<void>;

/**
 * Runs in the write's transaction, before any row: of `clusterIds`, those whose state may be
 * written. The seam of a fence per cluster (shards mode: the cluster's lease); the others' states
 * are left out, not retried: the instance that now holds the cluster writes its state.
 */
export type WritableClusters = (trx: Transaction<Database>, clusterIds: readonly number[]) => Promise<ReadonlySet<number>>;

/** Rows per INSERT: 12 values each, below SQLite's 32,766 bound parameters and PostgreSQL's 65,535. */
const ROWS_PER_INSERT = 1000;

const COLUMNS = [
  'last_status',
  'consecutive_failures',
  'last_attempt_at',
  'last_success_at',
  'last_duration_ms',
  'last_error',
  'next_attempt_at',
  'running',
  'lag_ms',
  'interval_ms',
  'updated_at',
] as const satisfies readonly (keyof CollectionStateTable)[];

function toRow(clusterId: number, s: CollectionStateRecord, updatedAt: number): CollectionStateTable {
  return {
    cluster_id: clusterId,
    last_status: s.lastStatus,
    consecutive_failures: s.consecutiveFailures,
    last_attempt_at: s.lastAttemptAt,
    last_success_at: s.lastSuccessAt,
    last_duration_ms: s.lastDurationMs,
    last_error: s.lastError,
    next_attempt_at: s.nextAttemptAt,
    running: s.running ? 1 : 0,
    lag_ms: s.lagMs,
    interval_ms: s.intervalMs,
    updated_at: updatedAt,
  };
}

function fromRow(row: Selectable<CollectionStateTable>): StoredCollectionState {
  const status = (COLLECT_STATUSES as readonly string[]).includes(row.last_status ?? '') ? (row.last_status as CollectStatus) : null;
  return {
    lastStatus: status,
    consecutiveFailures: row.consecutive_failures,
    lastAttemptAt: row.last_attempt_at,
    lastSuccessAt: row.last_success_at,
    lastDurationMs: row.last_duration_ms,
    lastError: row.last_error,
    nextAttemptAt: row.next_attempt_at,
    running: row.running === 1,
    lagMs: row.lag_ms,
    intervalMs: row.interval_ms,
    updatedAt: row.updated_at,
  };
}

/**
 * Writes the states in one transaction, replacing each cluster's row; says how many rows were
 * written. A cluster deleted since its state was taken has no parent row any more: its state is
 * left out (its row went with the cluster), as is one that `writable` leaves out.
 */
export async function writeCollectionStates(
  db: Kysely<Database>,
  states: ReadonlyMap<number, CollectionStateRecord>,
  updatedAt: number,
  options: { readonly beforeWrite?: BeforeWrite; readonly writable?: WritableClusters } = {},
): Promise<number> {
  if (states.size === 0) return 0;
  const ids = [...states.keys()];
  return db.transaction().execute(async (trx) => {
    await options.beforeWrite?.(trx);
    let written = 0;
    for (let i = 0; i < ids.length; i += ROWS_PER_INSERT) {
      const all = ids.slice(i, i + ROWS_PER_INSERT);
      const allowed = options.writable === undefined ? null : await options.writable(trx, all);
      const chunk = allowed === null ? all : all.filter((id) => allowed.has(id));
      if (chunk.length === 0) continue;
      const present = await trx.selectFrom('clusters').select('id').where('id', 'in', chunk).execute();
      if (present.length === 0) continue;
      await trx
        .insertInto('collection_state')
        .values(present.map(({ id }) => toRow(id, states.get(id)!, updatedAt)))
        .onConflict((oc) => oc.column('cluster_id').doUpdateSet(Object.fromEntries(COLUMNS.map((c) => [c, sql.ref(`excluded.${c}`)]))))
        .execute();
      written += present.length;
    }
    return written;
  });
}

/** One cluster's stored state, if any collector has written one. */
export async function collectionStateOf(db: Kysely<Database>, clusterId: number): Promise<StoredCollectionState | undefined> {
  const row = await db.selectFrom('collection_state').selectAll().where('cluster_id', '=', clusterId).executeTakeFirst();
  return row === undefined ? undefined : fromRow(row);
}

/** Every cluster's stored state, by cluster id: one query for the fleet. */
export async function collectionStates(db: Kysely<Database>): Promise<Map<number, StoredCollectionState>> {
  const rows = await db.selectFrom('collection_state').selectAll().execute();
  return new Map(rows.map((row) => [row.cluster_id, fromRow(row)]));
}
