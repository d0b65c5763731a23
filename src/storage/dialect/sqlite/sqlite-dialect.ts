/**
 * SQLite through better-sqlite3: one file, WAL journal so readers never wait for the
 * collector's writes, foreign keys on (deleting a cluster deletes its snapshots), and a busy
 * timeout so a second process (`stellar migrate` beside a running service) waits instead of
 * failing at once.
 */
import { closeSync, mkdirSync, openSync } from 'node:fs';
import { dirname } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { type DatabaseConnection, Kysely, type Driver, SqliteDialect, type SqliteDialectConfig, SqliteDriver, sql } from 'kysely';
import { StellarError } from '../../../errors.js';
import type { Database } from '../../database.js';
import type { Storage, StorageDialect } from '../dialect.js';
import { tryLockCollection } from './collection-lock.js';
import { readPoolKysely } from './sqlite-read-pool.js';
import { statementCaching } from './sqlite-statement-cache.js';
import { watchedSnapshotWriter, WriteHealth, WriteSuccessPlugin } from '../../write-health.js';
import { sqliteSnapshotWriter } from './sqlite-snapshot-writer.js';
import { registerCustomFiguresMerge } from './sqlite-tier-sql.js';

const BUSY_TIMEOUT_MS = 5000;
/** Read threads: two, so one long read (a month's window, an export page) never queues the short ones behind it. */
const READ_THREADS = 2;
/**
 * SQLite's page cache of each read connection, in KiB. The default 2 MiB holds a few hundred
 * pages, and a day of one cluster's raw rows lies on thousands (one per row, between the other
 * clusters' rows written in between): read from the OS's cache each time it was 2.5 × slower.
 */
const READ_CACHE_KIB = 32 * 1024;

export const sqliteDialect: StorageDialect = {
  name: 'sqlite',
  idColumn: {
    type: 'integer',
    // AUTOINCREMENT: a deleted cluster's id is never handed to a new one, so old links and
    // exported data cannot silently point at a different cluster.
    build: (column) => column.primaryKey().autoIncrement(),
  },
  isUniqueViolation(error) {
    const code = (error as { code?: unknown } | null)?.code;
    return code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
  },
  isForeignKeyViolation(error) {
    return (error as { code?: unknown } | null)?.code === 'SQLITE_CONSTRAINT_FOREIGNKEY';
  },
  writeFault(error) {
    const code = (error as { code?: unknown } | null)?.code;
    if (code === 'SQLITE_FULL') return 'the disk is full (SQLITE_FULL)';
    if (typeof code === 'string' && code.startsWith('SQLITE_IOERR')) return `the disk cannot be written (${code})`;
    return null;
  },
  addsManyColumnsAtOnce: false,
  // AUTOINCREMENT keeps the largest id ever handed out in sqlite_sequence, and raises it itself when a row comes with a larger id.
  async lastIssuedId(db, table) {
    const row = (await sql<{ seq: number }>`select seq from sqlite_sequence where name = ${table}`.execute(db)).rows[0];
    return row?.seq ?? 0;
  },
  async resumeIdsAfter(db, table, lastIssued) {
    await sql`update sqlite_sequence set seq = max(seq, ${lastIssued}) where name = ${table}`.execute(db);
  },
  async databaseBytes(db) {
    const row = (await sql<{ bytes: number }>`select page_count * page_size as bytes from pragma_page_count(), pragma_page_size()`.execute(db)).rows[0];
    return row?.bytes ?? 0;
  },
  binaryType: 'blob',
  clusterByPrimaryKey: (table) => table.modifyEnd(sql`without rowid`),
};

/**
 * Creates an empty database file readable by its owner only, unless one exists. SQLite would
 * create it with the umask's mode (usually 0644), readable by every local user wherever
 * database.url points, outside data_dir's 0700 directory too; its -wal and -shm files take
 * the database file's mode.
 */
function createOwnerOnly(path: string): void {
  try {
    closeSync(openSync(path, 'wx', 0o600));
  } catch (err) {
    if ((err as { code?: unknown }).code !== 'EEXIST') throw err;
  }
}

/** Opens (creating if needed) the SQLite file at `path`, or an in-memory database for ":memory:". */
export function openSqlite(path: string): Storage {
  let sqlite: BetterSqlite3.Database;
  try {
    if (path !== ':memory:') {
      mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
      createOwnerOnly(path);
    }
    sqlite = new BetterSqlite3(path);
    sqlite.pragma('journal_mode = WAL');
    sqlite.pragma('synchronous = NORMAL');
    sqlite.pragma('foreign_keys = ON');
    sqlite.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    // The snapshot writer's tier statements call it.
    registerCustomFiguresMerge(sqlite);
  } catch (err) {
    throw new StellarError('STELLAR_ERR_STORAGE', `cannot open SQLite database ${path}: ${(err as Error).message}`);
  }
  const writeHealth = new WriteHealth();
  const db = new Kysely<Database>({ dialect: new NoStrayRollbackDialect(sqlite, { database: statementCaching(sqlite) }), plugins: [new WriteSuccessPlugin(writeHealth)] });
  // An in-memory database is one connection's own: nothing else can read it.
  const reader = path === ':memory:' ? db : readPoolKysely({ path, threads: READ_THREADS, cacheKib: READ_CACHE_KIB, busyTimeoutMs: BUSY_TIMEOUT_MS });
  const totalChanges = sqlite.prepare('select total_changes()').pluck();
  return {
    db,
    reader,
    changeCount: () => totalChanges.get() as number,
    dialect: sqliteDialect,
    snapshotWriter: (fields) => watchedSnapshotWriter(sqliteSnapshotWriter(sqlite, db, fields), sqliteDialect, writeHealth),
    writeHealth,
    ...(path === ':memory:' ? {} : { tryLockCollection: () => tryLockCollection(path) }),
    location: `sqlite ${path}`,
    close: async () => {
      if (reader !== db) await reader.destroy();
      await db.destroy();
    },
  };
}

/**
 * SQLite rolls a transaction back by itself on some errors (SQLITE_FULL, SQLITE_IOERR); the
 * rollback Kysely then sends fails with "cannot rollback - no transaction is active", and that
 * error replaced the real one. This driver skips the rollback when none is open, so the caller
 * sees the error that happened.
 */
class NoStrayRollbackDialect extends SqliteDialect {
  constructor(
    private readonly sqlite: BetterSqlite3.Database,
    private readonly driverConfig: SqliteDialectConfig,
  ) {
    super(driverConfig);
  }

  override createDriver(): Driver {
    const sqlite = this.sqlite;
    return new (class extends SqliteDriver {
      override async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
        if (sqlite.inTransaction) await super.rollbackTransaction(connection);
      }
    })(this.driverConfig);
  }
}
