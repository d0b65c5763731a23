/**
 * PostgreSQL through `pg` and Kysely's PostgresDialect: one pool of `database.pool_size`
 * connections serves the collector's writes and the API's reads alike (a read waits on the
 * network, never on the event loop, so `reader` is the same pool). int8 and numeric (count(*),
 * sums of bigint) come back as JavaScript numbers, as SQLite gives them: every figure Stellar
 * keeps is far below 2^53. The parsers are the pool's own, not pg's process-wide table.
 */
import { Kysely, type KyselyPlugin, PostgresDialect, sql, type PluginTransformQueryArgs, type PluginTransformResultArgs, type QueryResult, type RootOperationNode, type UnknownRow } from 'kysely';
import pg from 'pg';
import { StellarError } from '../../../errors.js';
import type { Database } from '../../database.js';
import type { Storage, StorageDialect } from '../dialect.js';
import { CurrentSchemaIntrospector } from './postgres-introspector.js';
import { watchedSnapshotWriter, WriteHealth, WriteSuccessPlugin } from '../../write-health.js';
import { postgresSnapshotWriter } from './postgres-snapshot-writer.js';
import { FenceHolder, postgresCollectionLease } from './postgres-collection-lease.js';
import { postgresClusterLeases } from './postgres-cluster-lease.js';

/** The error code of unique_violation (PostgreSQL's Appendix A). */
const UNIQUE_VIOLATION = '23505';
/** foreign_key_violation. */
const FOREIGN_KEY_VIOLATION = '23503';
/** Class 53 and 58: the server could not write. */
const WRITE_FAULTS: Readonly<Record<string, string>> = { '53100': 'the disk is full (53100 disk_full)', '58030': 'the disk cannot be written (58030 io_error)' };

export const postgresDialect: StorageDialect = {
  name: 'postgres',
  idColumn: {
    // bigint: SQLite's integer key is 64-bit, and at a thousand clusters every 30 s the snapshots'
    // ids pass 2^31 in two years. An identity never hands a deleted row's id out again (as
    // SQLite's AUTOINCREMENT); "by default" lets `stellar db copy` insert the ids it copies.
    type: 'bigint',
    build: (column) => column.primaryKey().generatedByDefaultAsIdentity(),
  },
  isUniqueViolation(error) {
    return (error as { code?: unknown } | null)?.code === UNIQUE_VIOLATION;
  },
  isForeignKeyViolation(error) {
    return (error as { code?: unknown } | null)?.code === FOREIGN_KEY_VIOLATION;
  },
  writeFault(error) {
    const code = (error as { code?: unknown } | null)?.code;
    return typeof code === 'string' ? (WRITE_FAULTS[code] ?? null) : null;
  },
  addsManyColumnsAtOnce: true,
  async lastIssuedId(db, table) {
    const { rows } = await sql<{ last: number }>`select coalesce(pg_sequence_last_value(pg_get_serial_sequence(${table}, 'id')::regclass), 0) as last`.execute(db);
    return Number(rows[0]?.last ?? 0);
  },
  async resumeIdsAfter(db, table, lastIssued) {
    const ids = sql.table(table);
    await sql`select setval(pg_get_serial_sequence(${table}, 'id'), greatest(${lastIssued}, (select coalesce(max(id), 0) from ${ids}), 1), greatest(${lastIssued}, (select coalesce(max(id), 0) from ${ids})) > 0)`.execute(db);
  },
  // PostgreSQL keeps no table in key order (CLUSTER is a one-off rewrite): the primary key's index serves the ranges.
  async databaseBytes(db) {
    const { rows } = await sql<{ bytes: number }>`select pg_database_size(current_database()) as bytes`.execute(db);
    return Number(rows[0]?.bytes ?? 0);
  },
  binaryType: 'bytea',
  clusterByPrimaryKey: (table) => table,
};

const NUMBER_TYPES: ReadonlySet<number> = new Set([pg.types.builtins.INT8, pg.types.builtins.NUMERIC]);

/** pg's parsers, but int8 and numeric as numbers. */
const types = {
  getTypeParser: (oid: number, format?: 'text' | 'binary'): ((value: string) => unknown) =>
    NUMBER_TYPES.has(oid) ? Number : (pg.types.getTypeParser(oid, format ?? 'text') as (value: string) => unknown),
};

/** `postgres://user@host:5432/db`: the URL without its password and query parameters, for log lines. */
export function postgresLocation(url: string): string {
  const parsed = new URL(url);
  parsed.password = '';
  parsed.search = '';
  return `postgres ${parsed.toString()}`;
}

/**
 * Counts the rows each insert, update or delete of the query builder changed: the process's own
 * writes move the change count at once. `changeCount()` is asked synchronously, before every
 * cached read, so the server's statistic is not read then but every OTHERS_POLL_MS (below).
 */
class ChangeCounter implements KyselyPlugin {
  changes = 0;

  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    return args.node;
  }

  transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    if (args.result.numAffectedRows !== undefined) this.changes += Number(args.result.numAffectedRows);
    return Promise.resolve(args.result);
  }
}

/**
 * How often the rows changed by every connection (other instances' included) are read from
 * pg_stat_user_tables: a write of another process moves the change count within this (plus the
 * second or so the server takes to publish its statistics).
 */
const OTHERS_POLL_MS = 5_000;

export interface PostgresOptions {
  /** `database.url`: postgres://user:pass@host:5432/db?sslmode=… */
  readonly url: string;
  /** `database.pool_size` */
  readonly poolSize: number;
}

/** Connects to the PostgreSQL database of `url` (created beforehand: Stellar creates tables, not databases). */
export function openPostgres(options: PostgresOptions): Storage {
  const location = postgresLocation(options.url);
  const pool = new pg.Pool({ connectionString: options.url, max: options.poolSize, types });
  // An idle connection the server drops (restart, fail-over) is reported here; without a
  // listener it would end the process. The next query opens a new connection, or fails and says why.
  pool.on('error', () => undefined);
  // So is one the server ends while it is checked out between two queries (a fenced transaction
  // left idle past a lease's length: idle_in_transaction_session_timeout). The transaction's next
  // query fails instead, and the pool drops the connection on its release.
  pool.on('connect', (client) => client.on('error', () => undefined));
  const counter = new ChangeCounter();
  class StellarPostgresDialect extends PostgresDialect {
    override createIntrospector(db: Kysely<unknown>) {
      return new CurrentSchemaIntrospector(super.createIntrospector(db), db);
    }
  }
  const writeHealth = new WriteHealth();
  const db = new Kysely<Database>({ dialect: new StellarPostgresDialect({ pool }), plugins: [counter, new WriteSuccessPlugin(writeHealth)] });
  const fence = new FenceHolder();
  let everyone = 0;
  const poll = setInterval(() => {
    sql<{ n: number }>`select coalesce(sum(n_tup_ins + n_tup_upd + n_tup_del), 0) as n from pg_stat_user_tables where schemaname = current_schema()`.execute(db).then(
      ({ rows }) => {
        everyone = Number(rows[0]?.n ?? 0);
      },
      // A failed poll leaves the count as it was; the next query that matters reports the failure.
      () => undefined,
    );
  }, OTHERS_POLL_MS);
  poll.unref();
  return {
    db,
    reader: db,
    changeCount: () => counter.changes + everyone,
    dialect: postgresDialect,
    snapshotWriter: (fields) =>
      watchedSnapshotWriter(
        postgresSnapshotWriter(
          pool,
          fields,
          (rows) => {
            counter.changes += rows;
          },
          fence,
        ),
        postgresDialect,
        writeHealth,
      ),
    collectionLease: postgresCollectionLease(db, fence),
    clusterLeases: postgresClusterLeases(db, fence),
    writeHealth,
    location,
    close: async () => {
      clearInterval(poll);
      try {
        await db.destroy();
      } catch (err) {
        throw new StellarError('STELLAR_ERR_STORAGE', `cannot close the database (${location}): ${(err as Error).message}`);
      }
    },
  };
}
