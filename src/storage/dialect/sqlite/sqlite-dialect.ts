/**
 * SQLite through better-sqlite3: one file, WAL journal so readers never wait for the
 * collector's writes, foreign keys on (deleting a cluster deletes its snapshots), and a busy
 * timeout so a second process (`stellar migrate` beside a running service) waits instead of
 * failing at once.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, SqliteDialect, sql } from 'kysely';
import { StellarError } from '../../../errors.js';
import type { Database } from '../../database.js';
import type { Storage, StorageDialect } from '../dialect.js';
import { sqliteSnapshotWriter } from './sqlite-snapshot-writer.js';

const BUSY_TIMEOUT_MS = 5000;

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
  clusterByPrimaryKey: (table) => table.modifyEnd(sql`without rowid`),
};

/** Opens (creating if needed) the SQLite file at `path`, or an in-memory database for ":memory:". */
export function openSqlite(path: string): Storage {
  let sqlite: BetterSqlite3.Database;
  try {
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
    sqlite = new BetterSqlite3(path);
    sqlite.pragma('journal_mode = WAL');
    sqlite.pragma('synchronous = NORMAL');
    sqlite.pragma('foreign_keys = ON');
    sqlite.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
  } catch (err) {
    throw new StellarError('STELLAR_ERR_STORAGE', `cannot open SQLite database ${path}: ${(err as Error).message}`);
  }
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) });
  return {
    db,
    dialect: sqliteDialect,
    snapshotWriter: (fields) => sqliteSnapshotWriter(sqlite, db, fields),
    location: `sqlite ${path}`,
    close: () => db.destroy(),
  };
}
