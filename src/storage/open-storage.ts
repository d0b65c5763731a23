/**
 * Opens the database named by `database.url`. The one place that maps a URL to a dialect.
 */
import { isAbsolute, join } from 'node:path';
import { parseDatabaseUrl } from '../config/value-formats.js';
import { StellarError } from '../errors.js';
import type { Storage } from './dialect/dialect.js';
import { openSqlite } from './dialect/sqlite/sqlite-dialect.js';

export interface StorageOptions {
  /** `database.url` */
  readonly url: string;
  /** `server.data_dir`: relative SQLite paths are inside it. */
  readonly dataDir: string;
}

export function openStorage(options: StorageOptions): Storage {
  const location = parseDatabaseUrl(options.url);
  if ('problem' in location) {
    throw new StellarError('STELLAR_ERR_STORAGE', `database.url ${JSON.stringify(options.url)} ${location.problem}`);
  }
  const path = location.path === ':memory:' || isAbsolute(location.path) ? location.path : join(options.dataDir, location.path);
  return openSqlite(path);
}
