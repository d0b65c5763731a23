/**
 * The SQL dialects every storage test runs on. Each entry opens a fresh, empty database.
 * SQLite always runs. PostgreSQL runs against the server on 127.0.0.1:5432 (user postgres,
 * trust auth, as in CI): each test file creates a database of its own, stellar_test_<random>,
 * at its first open and drops it when the file is done; each open is a schema of its own in it,
 * dropped on close. When the server is unreachable the PostgreSQL cases are left out and the
 * console says why, unless STELLAR_REQUIRE_POSTGRES=1 (CI), where that fails the file.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll } from 'vitest';
import type { Storage } from '../../src/storage/dialect/dialect.js';
import { openPostgres } from '../../src/storage/dialect/postgres/postgres-dialect.js';
import { openSqlite } from '../../src/storage/dialect/sqlite/sqlite-dialect.js';
import { skipNote, skipReason } from './requirements.js';

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

/** The test server, as CI has it. */
export const POSTGRES_SERVER = 'postgres://postgres@127.0.0.1:5432';

async function adminQuery(text: string, database = 'postgres'): Promise<void> {
  const client = new pg.Client({ connectionString: `${POSTGRES_SERVER}/${database}`, connectionTimeoutMillis: 3000 });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}

async function postgresMissing(): Promise<string | null> {
  try {
    await adminQuery('select 1');
    return null;
  } catch (err) {
    return `PostgreSQL at ${POSTGRES_SERVER} is unreachable (${(err as Error).message || String(err)}): the postgres cases of the storage tests do not run`;
  }
}

/** Why the PostgreSQL cases do not run, or null when they do. */
export const postgresSkipReason = skipReason(await postgresMissing(), 'STELLAR_REQUIRE_POSTGRES');
skipNote(postgresSkipReason);

let fileDatabase: Promise<string> | undefined;

/** This test file's database, created at its first use and dropped when the file is done. */
function testDatabase(): Promise<string> {
  fileDatabase ??= (async () => {
    const name = `stellar_test_${randomBytes(6).toString('hex')}`;
    await adminQuery(`create database ${name}`);
    return name;
  })();
  return fileDatabase;
}

// Only under the test runner: the benchmarks import the test app (and so this file) too.
if (process.env.VITEST !== undefined) {
  afterAll(async () => {
    if (fileDatabase === undefined) return;
    const name = await fileDatabase;
    fileDatabase = undefined;
    await adminQuery(`drop database if exists ${name} with (force)`);
  });
}

/**
 * A URL to an empty schema of this file's database, for a storage or for `stellar db copy`; the
 * schema is removed by `drop()`.
 */
export async function postgresTestUrl(): Promise<{ url: string; drop(): Promise<void> }> {
  const database = await testDatabase();
  const schema = `t_${randomBytes(6).toString('hex')}`;
  await adminQuery(`create schema ${schema}`, database);
  return {
    // A commit need not wait for the disk in a test (a lost test database is no loss): each
    // snapshot write is a commit, and the API tests write thousands.
    url: `${POSTGRES_SERVER}/${database}?options=${encodeURIComponent(`-c search_path=${schema} -c synchronous_commit=off`)}`,
    drop: () => adminQuery(`drop schema ${schema} cascade`, database),
  };
}

/** A fresh PostgreSQL storage in a schema of its own, dropped on close. */
export async function openPostgresTest(): Promise<Storage> {
  const target = await postgresTestUrl();
  const storage = openPostgres({ url: target.url, poolSize: 4 });
  return {
    ...storage,
    close: async () => {
      await storage.close();
      await target.drop();
    },
  };
}

export const DIALECTS: readonly TestDialect[] = [
  { name: 'sqlite', open: () => Promise.resolve(openSqlite(':memory:')) },
  { name: 'sqlite file', open: openSqliteFile },
  ...(postgresSkipReason === null ? [{ name: 'postgres', open: openPostgresTest }] : []),
];

/** PostgreSQL's names of the column types Stellar declares; SQLite reports them as declared. */
const POSTGRES_TYPE_NAMES: Readonly<Record<string, string>> = { int4: 'integer', int8: 'bigint', float8: 'double precision', text: 'text' };

/** A column's type as a migration declared it, from the type introspection reports on either engine. */
export function declaredType(introspected: string): string {
  const name = introspected.toLowerCase();
  return POSTGRES_TYPE_NAMES[name] ?? name;
}
