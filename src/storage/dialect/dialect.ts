/**
 * What differs between SQL engines, in one place. Nothing outside dialect/ names an engine:
 * migrations ask the dialect for the column types that differ, repositories ask it how to
 * recognise a unique-constraint or foreign-key violation.
 */
import type { ColumnDataType, ColumnDefinitionBuilder, Expression, Kysely } from 'kysely';
import type { FieldCatalogue } from '../../shared/snapshot-fields.js';
import type { CollectionLeaseStore } from '../collection-lease-store.js';
import type { ClusterLeaseStore } from '../cluster-lease-store.js';
import type { Database } from '../database.js';
import type { SnapshotWriter } from '../snapshot-writer.js';
import type { WriteHealth } from '../write-health.js';

export interface StorageDialect {
  readonly name: 'sqlite' | 'postgres';
  /** The auto-incrementing integer primary key every table with an `id` uses. */
  readonly idColumn: {
    readonly type: ColumnDataType;
    readonly build: (column: ColumnDefinitionBuilder) => ColumnDefinitionBuilder;
  };
  /** True when `error` is the engine's "duplicate key in a unique index" error. */
  isUniqueViolation(error: unknown): boolean;
  /** True when `error` is the engine's "foreign key violation" (a row for a parent row deleted meanwhile). */
  isForeignKeyViolation(error: unknown): boolean;
  /**
   * What the engine could not write, when `error` says it could not (disk full, I/O error):
   * `the disk is full (SQLITE_FULL)`; null for any other error (a constraint, a bad query).
   */
  writeFault(error: unknown): string | null;
  /**
   * A table created with this keeps its rows in primary-key order, so one cluster's rows of a
   * time range sit together however many clusters write in between (SQLite: WITHOUT ROWID;
   * PostgreSQL keeps no table in key order, so there it is the table as it is).
   */
  /** True when one ALTER TABLE may add several columns (PostgreSQL); SQLite adds one per statement. */
  readonly addsManyColumnsAtOnce: boolean;
  /**
   * The largest id the table has handed out, deleted rows included (0 when none): what
   * `stellar db copy` carries over so the target never hands a deleted row's id out again.
   */
  lastIssuedId(db: Kysely<Database>, table: string): Promise<number>;
  /** After rows were inserted with their own ids: the next id generated is above both theirs and `lastIssued`. */
  resumeIdsAfter(db: Kysely<Database>, table: string, lastIssued: number): Promise<void>;
  /** The database's size in bytes (SQLite: its pages, without the WAL; PostgreSQL: pg_database_size), for /metrics. */
  databaseBytes(db: Kysely<Database>): Promise<number>;
  /** The column type of binary values (SQLite blob, PostgreSQL bytea). */
  readonly binaryType: ColumnDataType;
  clusterByPrimaryKey<T extends { modifyEnd(modifier: Expression<unknown>): T }>(table: T): T;
}

/** One try at the collection lock: held until `release()` or the process's end, else who holds it. */
export type CollectionLockAttempt = { readonly held: true; release(): void } | { readonly held: false; readonly holderPid: number | null };

/** An open database: the Kysely instance, its dialect and how to close it. */
export interface Storage {
  readonly db: Kysely<Database>;
  /**
   * The same database for reads that may take long (windows, the fleet, exports): off the
   * event loop where the engine allows it (SQLite: worker threads), else `db` itself. Sees
   * every write committed through `db`.
   */
  readonly reader: Kysely<Database>;
  readonly dialect: StorageDialect;
  /**
   * Rows inserted, updated or deleted through `db` (and the snapshot writer) since it was
   * opened: while it has not moved, a read taken earlier is still what the database holds, as
   * far as this process wrote it. Synchronous and free: SQLite's total_changes(); on PostgreSQL
   * the count this process keeps of its own writes, plus the server's count of every
   * connection's, read every few seconds (so another instance's writes move it too, a little later).
   */
  changeCount(): number;
  /** The collector's hot write, prepared once for these fields' columns (which must exist: migrate first). */
  snapshotWriter(fields: FieldCatalogue): SnapshotWriter;
  /**
   * Present for a SQLite file, which several processes on one machine may open: tries once to
   * become the one process that collects (src/storage/dialect/sqlite/collection-lock.ts).
   * Absent for an in-memory database (nothing else can open it) and for PostgreSQL.
   */
  readonly tryLockCollection?: () => CollectionLockAttempt;
  /**
   * Present for PostgreSQL, which instances on several machines share: the lease that elects
   * the one that collects, and the fence every snapshot write checks (collection-lease-store.ts).
   */
  readonly collectionLease?: CollectionLeaseStore;
  /** Present for PostgreSQL: the per-cluster leases of `[cluster] coordination = "shards"` (cluster-lease-store.ts). */
  readonly clusterLeases?: ClusterLeaseStore;
  /** Whether the last write succeeded (write-health.ts): snapshot writes and writes through `db` report to it. */
  readonly writeHealth: WriteHealth;
  /** For log lines: `sqlite /var/lib/stellar/stellar.db`, `postgres postgres://stellar@db:5432/stellar` (never the password). */
  readonly location: string;
  close(): Promise<void>;
}
