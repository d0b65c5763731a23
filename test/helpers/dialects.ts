/**
 * The SQL dialects every storage test runs on. Each entry opens a fresh, empty database.
 * SQLite always runs; a PostgreSQL entry joins this list when Stellar supports PostgreSQL.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Storage } from '../../src/storage/dialect/dialect.js';
import { openSqlite } from '../../src/storage/dialect/sqlite/sqlite-dialect.js';

export interface TestDialect {
  readonly name: string;
  open(): Promise<Storage>;
}

/** A SQLite file in a folder of its own, removed on close: its `reader` is the read threads, as in the service. */
export function openSqliteFile(): Promise<Storage> {
  const folder = mkdtempSync(join(tmpdir(), 'stellar-storage-'));
  const storage = openSqlite(join(folder, 'stellar.db'));
  return Promise.resolve({
    ...storage,
    close: async () => {
      await storage.close();
      rmSync(folder, { recursive: true, force: true });
    },
  });
}

export const DIALECTS: readonly TestDialect[] = [
  { name: 'sqlite', open: () => Promise.resolve(openSqlite(':memory:')) },
  { name: 'sqlite file', open: openSqliteFile },
];
