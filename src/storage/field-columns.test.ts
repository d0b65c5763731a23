/**
 * The snapshot and daily tables against the field catalogue: after the migrations, every
 * catalogue field (and daily figure) has its column with its type, nothing else is there, and
 * a difference is named column by column; the indexes over those columns are made after them.
 */
import { CompiledQuery, Migrator, sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { declaredType, DIALECTS } from '../../test/helpers/dialects.js';
import { dailyColumnsOf } from '../shared/daily-fields.js';
import { field, feSum } from '../shared/fields/field-spec.js';
import { type FieldCatalogue, SNAPSHOT_FIELDS } from '../shared/snapshot-fields.js';
import type { Storage } from './dialect/dialect.js';
import { openSqlite } from './dialect/sqlite/sqlite-dialect.js';
import { addMissingFieldColumns, fieldColumnDrift, wantedColumns } from './field-columns.js';
import { migrateToLatest, migrationStatus } from './migrate.js';
import { allMigrations } from './migrations/index.js';
import { tierFieldOfClusters } from './repos/tiers.repo.js';

let storage: Storage | null = null;
afterEach(async () => {
  await storage?.close();
  storage = null;
});

const EXTRA: FieldCatalogue = [
  ...SNAPSHOT_FIELDS,
  field('fe_threads_peak', { unit: 'threads', kind: 'gauge', column: 'bigint', group: 'FE JVM', daily: 'stats', value: { type: 'fe_sum', read: feSum('thread_peak') } }),
];

describe.each(DIALECTS)('field columns on $name', (dialect) => {
  it('after the migrations, every catalogue field has its column with its type, and no column is unknown', async () => {
    storage = await dialect.open();
    await migrateToLatest(storage);
    const drift = await fieldColumnDrift(storage.db);
    expect(drift.map((d) => [d.table, d.missing.map((c) => c.name), d.extra])).toEqual([
      ['metrics_snapshots', [], []],
      ['daily_snapshots', [], []],
      ['metrics_5m', [], []],
      ['metrics_1h', [], []],
    ]);
    const tables = await storage.db.introspection.getTables();
    const wanted = wantedColumns(SNAPSHOT_FIELDS);
    for (const table of ['metrics_snapshots', 'daily_snapshots', 'metrics_5m', 'metrics_1h'] as const) {
      const types = Object.fromEntries(tables.find((t) => t.name === table)!.columns.map((c) => [c.name, declaredType(c.dataType)]));
      const mismatched = wanted[table].filter((c) => types[c.name] !== c.column).map((c) => `${c.name}: ${types[c.name]} instead of ${c.column}`);
      expect(mismatched, table).toEqual([]);
    }
    expect(wanted.daily_snapshots.length).toBe(dailyColumnsOf(SNAPSHOT_FIELDS).length);
  });

  it('names a missing and an extra column, reports the missing one as pending, and adds it without touching the rest', async () => {
    storage = await dialect.open();
    await migrateToLatest(storage);
    await storage.db.schema.alterTable('metrics_snapshots').addColumn('retired_field', 'bigint').execute();
    const drift = await fieldColumnDrift(storage.db, EXTRA);
    const tier = ['sum_fe_threads_peak', 'n_fe_threads_peak', 'min_fe_threads_peak', 'max_fe_threads_peak'];
    expect(drift.map((d) => [d.table, d.missing.map((c) => c.name), d.extra])).toEqual([
      ['metrics_snapshots', ['fe_threads_peak'], ['retired_field']],
      ['daily_snapshots', ['avg_fe_threads_peak', 'min_fe_threads_peak', 'max_fe_threads_peak', 'p95_fe_threads_peak'], []],
      ['metrics_5m', tier, []],
      ['metrics_1h', tier, []],
    ]);
    expect((await migrationStatus(storage, EXTRA)).pending).toEqual([
      `field columns: metrics_snapshots.fe_threads_peak, ${['avg', 'min', 'max', 'p95'].map((s) => `daily_snapshots.${s}_fe_threads_peak`).join(', ')}, ${['metrics_5m', 'metrics_1h'].flatMap((t) => tier.map((c) => `${t}.${c}`)).join(', ')}`,
    ]);
    expect(await addMissingFieldColumns(storage.db, storage.dialect, EXTRA)).toHaveLength(13);
    expect((await fieldColumnDrift(storage.db, EXTRA)).flatMap((d) => d.missing)).toEqual([]);
    // A column whose field left the catalogue keeps its data.
    expect((await fieldColumnDrift(storage.db, EXTRA))[0]!.extra).toEqual(['retired_field']);
  });

  it('keeps the daily error share of a database that stored it as error_rate, under its field name', async () => {
    storage = await dialect.open();
    // A database from before: migrated that far, with the daily column under its old name.
    const before = new Migrator({ db: storage.db, provider: { getMigrations: () => Promise.resolve(allMigrations(storage!.dialect)) }, migrationTableName: 'stellar_migrations', migrationLockTableName: 'stellar_migrations_lock' });
    expect((await before.migrateTo('2026-11-25-004-cluster-nodes')).error).toBeUndefined();
    await addMissingFieldColumns(storage.db, storage.dialect);
    await storage.db.schema.alterTable('daily_snapshots').renameColumn('query_error_pct', 'error_rate').execute();
    await sql`insert into clusters (name, fe_host, fe_http_port, fe_query_port, username, password_encrypted, connection_timeout, deployment_mode, engine, node_list_source, created_at, updated_at) values ('c', 'h', 8030, 9030, 'root', 'x', 5, 'shared_nothing', 'starrocks', 'http', 0, 0)`.execute(storage.db);
    await sql`insert into daily_snapshots (cluster_id, snapshot_date, updated_at, error_rate) values (1, '2026-11-30', 0, 0.25)`.execute(storage.db);
    // Every later migration runs, the rename among them.
    const later = Object.keys(allMigrations(storage.dialect)).filter((name) => name > '2026-11-25-004-cluster-nodes');
    expect(later).toContain('2026-12-02-001-daily-error-pct-name');
    expect(await migrateToLatest(storage)).toEqual(later);
    const rows = await sql<{ query_error_pct: number }>`select query_error_pct from daily_snapshots`.execute(storage.db);
    expect(rows.rows).toEqual([{ query_error_pct: 0.25 }]);
    expect((await fieldColumnDrift(storage.db)).flatMap((d) => [...d.missing.map((c) => c.name), ...d.extra])).toEqual([]);
  });
});

describe('field indexes on sqlite', () => {
  it("reads the fleet's sparklines from the 5-minute tier's QPS index, not its wide rows, after every start", async () => {
    storage = openSqlite(':memory:');
    await migrateToLatest(storage);
    // Twice, as every start does: the second finds the index there.
    await migrateToLatest(storage);
    // The repository's own query, caught on its way to the database, then asked for its plan.
    const queries: CompiledQuery[] = [];
    const db = storage.db.withPlugin({
      transformQuery: (args) => {
        queries.push(storage!.db.getExecutor().compileQuery(args.node, args.queryId));
        return args.node;
      },
      transformResult: (args) => Promise.resolve(args.result),
    });
    await tierFieldOfClusters(db, 'metrics_5m', [1, 2], 0, 'qps');
    const plan = await storage.db.executeQuery<{ detail: string }>(CompiledQuery.raw(`explain query plan ${queries[0]!.sql}`, [...queries[0]!.parameters]));
    expect(plan.rows.map((r) => r.detail)).toEqual([expect.stringContaining('USING COVERING INDEX metrics_5m_qps')]);
  });
});
