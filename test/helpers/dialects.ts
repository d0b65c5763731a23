/**
 * The SQL dialects every storage test runs on. Each entry opens a fresh, empty database.
 * SQLite always runs; a PostgreSQL entry joins this list when Stellar supports PostgreSQL.
 */
import type { Storage } from '../../src/storage/dialect/dialect.js';
import { openSqlite } from '../../src/storage/dialect/sqlite/sqlite-dialect.js';

export interface TestDialect {
  readonly name: string;
  open(): Promise<Storage>;
}

export const DIALECTS: readonly TestDialect[] = [{ name: 'sqlite', open: () => Promise.resolve(openSqlite(':memory:')) }];
