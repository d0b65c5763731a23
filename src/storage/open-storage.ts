/**
 * Opens the database named by `database.url`. The one place that maps a URL to a dialect.
 */
import { isAbsolute, join } from 'node:path';
import { CONFIG_SCHEMA } from '../config/schema.js';
import { parseDatabaseUrl } from '../config/value-formats.js';
import { StellarError } from '../errors.js';
import type { Storage } from './dialect/dialect.js';
import { openPostgres } from './dialect/postgres/postgres-dialect.js';
import { openSqlite } from './dialect/sqlite/sqlite-dialect.js';

export interface StorageOptions {
  /** `database.url` */
  readonly url: string;
  /** `server.data_dir`: relative SQLite paths are inside it. */
  readonly dataDir: string;
  /** `database.pool_size`: PostgreSQL connections (SQLite has one writer and its read threads); its default when absent. */
  readonly poolSize?: number;
}

export function openStorage(options: StorageOptions): Storage {
  const location = parseDatabaseUrl(options.url);
  if ('problem' in location) {
    throw new StellarError('STELLAR_ERR_STORAGE', `database.url ${JSON.stringify(options.url)} ${location.problem}`);
  }
  if (location.dialect === 'postgres') return openPostgres({ url: location.url, poolSize: options.poolSize ?? CONFIG_SCHEMA.database.pool_size.default });
  const path = location.path === ':memory:' || isAbsolute(location.path) ? location.path : join(options.dataDir, location.path);
  return openSqlite(path);
}
