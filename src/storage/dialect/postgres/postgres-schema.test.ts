/**
 * The same migrations give the same schema on both engines: every table with the same columns
 * (the types each engine names its way, mapped back to what the migrations declare), the same
 * nullability, the same unique keys (primary keys, unique constraints, unique indexes, the
 * expression one included) and the same other indexes.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { declaredType, openPostgresTest, postgresSkipReason } from '../../../../test/helpers/dialects.js';
import { skipNote } from '../../../../test/helpers/requirements.js';
import { migrateToLatest } from '../../migrate.js';
import type { Storage } from '../dialect.js';
import { openSqlite } from '../sqlite/sqlite-dialect.js';

interface Schema {
  /** table → column → "type, null|not null" */
  columns: Record<string, Record<string, string>>;
  /** table → unique keys, each "col, col" */
  unique: Record<string, string[]>;
  /** table → "name: col, col" of the indexes that are not unique */
  indexes: Record<string, string[]>;
}

/** Stellar's tables: not the migrator's bookkeeping, which Kysely creates its own way on each engine. */
async function tablesOf(storage: Storage) {
  return (await storage.db.introspection.getTables()).filter((t) => !t.name.startsWith('stellar_migrations'));
}

async function columnsOf(storage: Storage, primary: Record<string, string[]>): Promise<Schema['columns']> {
  const out: Schema['columns'] = {};
  for (const table of await tablesOf(storage)) {
    const keys = primary[table.name] ?? [];
    out[table.name] = Object.fromEntries(
      table.columns.map((c) => {
        // The id column's type is the dialect's own choice (SQLite's integer key is 64-bit; PostgreSQL's is bigint).
        const type = c.name === 'id' && keys.includes('id') ? `id key (${storage.dialect.idColumn.type})` : declaredType(c.dataType);
        // A primary key is never null, whether or not the engine reports the column so.
        return [c.name, `${type}, ${c.isNullable && !keys.includes(c.name) ? 'null' : 'not null'}`];
      }),
    );
  }
  return out;
}

function sortedValues(record: Record<string, string[]>): Record<string, string[]> {
  return Object.fromEntries(Object.entries(record).map(([k, v]) => [k, [...new Set(v)].sort()]));
}

async function sqliteSchema(storage: Storage): Promise<Schema> {
  const unique: Record<string, string[]> = {};
  const indexes: Record<string, string[]> = {};
  const primary: Record<string, string[]> = {};
  for (const table of await tablesOf(storage)) {
    const name = table.name;
    const info = (await sql<{ name: string; pk: number }>`select name, pk from pragma_table_info(${name})`.execute(storage.db)).rows;
    primary[name] = info.filter((c) => c.pk > 0).sort((a, b) => a.pk - b.pk).map((c) => c.name);
    unique[name] = primary[name].length > 0 ? [primary[name].join(', ')] : [];
    indexes[name] = [];
    const list = (await sql<{ name: string; unique: number; origin: string }>`select name, "unique", origin from pragma_index_list(${name})`.execute(storage.db)).rows;
    for (const index of list) {
      const parts = (await sql<{ name: string | null }>`select name from pragma_index_info(${index.name}) order by seqno`.execute(storage.db)).rows;
      const definition = (await sql<{ sql: string | null }>`select sql from sqlite_master where type = 'index' and name = ${index.name}`.execute(storage.db)).rows[0]?.sql;
      // An expression's part has no name: it is what the CREATE INDEX put between the parentheses.
      const columns = parts.map((p) => p.name ?? /\(([^()]*\([^()]*\)[^()]*)\)\s*$/.exec(definition ?? '')?.[1] ?? '?').join(', ');
      if (index.unique === 1) unique[name].push(columns);
      else indexes[name].push(`${index.name}: ${columns}`);
    }
  }
  return { columns: await columnsOf(storage, primary), unique: sortedValues(unique), indexes: sortedValues(indexes) };
}

async function postgresSchema(storage: Storage): Promise<Schema> {
  const rows = (
    await sql<{ table: string; index: string; unique: boolean; primary: boolean; columns: string[] }>`
      select t.relname as table, i.relname as index, ix.indisunique as unique, ix.indisprimary as primary,
        array(select pg_get_indexdef(ix.indexrelid, k + 1, true) from generate_subscripts(ix.indkey, 1) as k order by k) as columns
      from pg_index ix
      join pg_class i on i.oid = ix.indexrelid
      join pg_class t on t.oid = ix.indrelid
      join pg_namespace n on n.oid = t.relnamespace
      where n.nspname = current_schema()`.execute(storage.db)
  ).rows;
  const tables = (await tablesOf(storage)).map((t) => t.name);
  const unique: Record<string, string[]> = Object.fromEntries(tables.map((t) => [t, []]));
  const indexes: Record<string, string[]> = Object.fromEntries(tables.map((t) => [t, []]));
  const primary: Record<string, string[]> = {};
  for (const row of rows) {
    if (!tables.includes(row.table)) continue;
    // pg_get_indexdef names a column as it is, and an expression as written (lower(name)).
    const columns = row.columns.map((c) => c.replace(/^"(.*)"$/, '$1')).join(', ');
    if (row.primary) primary[row.table] = row.columns;
    if (row.unique) unique[row.table]!.push(columns);
    else indexes[row.table]!.push(`${row.index}: ${columns}`);
  }
  return { columns: await columnsOf(storage, primary), unique: sortedValues(unique), indexes: sortedValues(indexes) };
}

describe.skipIf(postgresSkipReason !== null)(`the schema on SQLite and on PostgreSQL${skipNote(postgresSkipReason)}`, () => {
  let sqlite: Storage;
  let postgres: Storage;
  beforeAll(async () => {
    sqlite = openSqlite(':memory:');
    postgres = await openPostgresTest();
    await migrateToLatest(sqlite);
    await migrateToLatest(postgres);
  });
  afterAll(async () => {
    await sqlite.close();
    await postgres.close();
  });

  it('has the same tables, columns, types, nullability, unique keys and indexes', async () => {
    const onSqlite = await sqliteSchema(sqlite);
    const onPostgres = await postgresSchema(postgres);
    expect(Object.keys(onPostgres.columns).sort()).toEqual(Object.keys(onSqlite.columns).sort());
    // The id key and binary values are the columns whose type differs, by each dialect's choice.
    const idKeys = (schema: Schema) => Object.values(schema.columns).flatMap((c) => Object.values(c).filter((v) => v.startsWith('id key')));
    expect(new Set(idKeys(onSqlite))).toEqual(new Set(['id key (integer), not null']));
    expect(new Set(idKeys(onPostgres))).toEqual(new Set(['id key (bigint), not null']));
    const sameIds = (schema: Schema) =>
      Object.fromEntries(Object.entries(schema.columns).map(([t, c]) => [t, Object.fromEntries(Object.entries(c).map(([n, v]) => [n, v.startsWith('id key') ? 'id key' : v.replace(/^(blob|bytea),/, 'binary,')]))]));
    expect(sameIds(onPostgres)).toEqual(sameIds(onSqlite));
    expect(onPostgres.unique).toEqual(onSqlite.unique);
    expect(onPostgres.indexes).toEqual(onSqlite.indexes);
    // Not vacuous: the keys the service relies on are there.
    expect(onSqlite.unique.clusters).toContain('lower(name)');
    expect(onSqlite.unique.metrics_snapshots).toContain('cluster_id, collected_at');
    expect(onSqlite.unique.metrics_5m).toContain('cluster_id, bucket_start');
    expect(onSqlite.indexes.metrics_5m).toContain('metrics_5m_qps: cluster_id, bucket_start, sum_qps, n_qps');
  });

  it('gives bigint and count(*) back as numbers', async () => {
    const { rows } = await sql<{ big: unknown; n: unknown; total: unknown }>`select cast(9007199254740991 as bigint) as big, count(*) as n, sum(cast(2 as bigint)) as total from (values (1), (2)) as v(x)`.execute(postgres.db);
    expect(rows).toEqual([{ big: 9007199254740991, n: 2, total: 4 }]);
  });
});
