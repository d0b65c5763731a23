/**
 * Which process collects, when several `stellar start` share one SQLite file: the one that
 * holds an exclusive lock on a small lock database next to it, for as long as it runs.
 *
 * Why an OS lock and not a lease row in the database: the kernel drops the lock the moment
 * the holder dies, SIGKILL included, so a standby can take over on its next try, with no
 * clock, no expiry to tune and no write every few seconds competing with the collector for
 * SQLite's one writer. It only works for processes on one machine, which is what SQLite
 * supports anyway; several instances on PostgreSQL need a lease in the database instead.
 * SQLite's own locking (fcntl on Unix, LockFileEx on Windows) gives the OS lock portably:
 * `BEGIN EXCLUSIVE` with no busy timeout, never committed.
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import BetterSqlite3 from 'better-sqlite3';
import { StellarError } from '../../../errors.js';
import type { CollectionLockAttempt } from '../dialect.js';

/** Tries once, without waiting. `dbPath` is the database's file; the lock and holder files sit beside it. */
export function tryLockCollection(dbPath: string): CollectionLockAttempt {
  const lockPath = `${dbPath}.collector-lock`;
  const holderPath = `${lockPath}.pid`;
  let lock: BetterSqlite3.Database | undefined;
  try {
    lock = new BetterSqlite3(lockPath, { timeout: 0 });
    // WAL would move the lock to a -shm file; the rollback journal keeps it on this file.
    lock.pragma('journal_mode = DELETE');
    lock.exec('BEGIN EXCLUSIVE');
  } catch (err) {
    lock?.close();
    if ((err as { code?: unknown }).code === 'SQLITE_BUSY') return { held: false, holderPid: readHolderPid(holderPath) };
    throw new StellarError('STELLAR_ERR_STORAGE', `cannot lock ${lockPath}, which decides the one process that collects on this database: ${(err as Error).message}`);
  }
  const held = lock;
  try {
    writeFileSync(holderPath, `${process.pid}\n`, { mode: 0o600 });
  } catch {
    // Only for the standby's log line and /readyz (which then say "unknown"): the lock, not
    // this file, decides, and failing here would leave the lock held by a process not collecting.
  }
  return {
    held: true,
    release() {
      rmSync(holderPath, { force: true });
      held.close();
    },
  };
}

function readHolderPid(path: string): number | null {
  try {
    const pid = Number.parseInt(readFileSync(path, 'utf8'), 10);
    return Number.isSafeInteger(pid) && pid > 0 ? pid : null;
  } catch {
    // Not written yet (the holder is between its lock and this file) or removed as it stops.
    return null;
  }
}
