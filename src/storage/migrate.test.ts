import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { DIALECTS } from '../../test/helpers/dialects.js';
import { StellarError } from '../errors.js';
import { sqliteDialect } from './dialect/sqlite/sqlite-dialect.js';
import { migrateToLatest, migrationStatus } from './migrate.js';
import { allMigrations } from './migrations/index.js';
import { openStorage } from './open-storage.js';

const ALL = Object.keys(allMigrations(sqliteDialect));
const TABLES = ['alert_acks', 'alert_deliveries', 'alert_events', 'alert_rules', 'alert_silences', 'alert_state', 'auth_tokens', 'cluster_leases', 'cluster_nodes', 'clusters', 'collection_lease', 'collection_state', 'custom_metrics', 'daily_snapshots', 'metrics_1h', 'metrics_5m', 'metrics_snapshots', 'stellar_instances', 'stellar_meta', 'tier_backfill', 'tier_blocks', 'trend_blocks', 'users'];

describe.each(DIALECTS)('migrations on $name', (dialect) => {
  it('bring an empty database to the latest schema', async () => {
    const storage = await dialect.open();
    expect(await migrationStatus(storage)).toEqual({ applied: [], pending: ALL, unknown: [] });
    expect(await migrateToLatest(storage)).toEqual(ALL);
    expect(await migrationStatus(storage)).toEqual({ applied: ALL, pending: [], unknown: [] });
    const tables = (await storage.db.introspection.getTables()).map((t) => t.name).filter((n) => !n.startsWith('stellar_migrations'));
    expect(tables.sort()).toEqual(TABLES);
    await storage.close();
  });

  it('do nothing on a database that is already current', async () => {
    const storage = await dialect.open();
    await migrateToLatest(storage);
    expect(await migrateToLatest(storage)).toEqual([]);
    await storage.close();
  });

  it('refuse a database migrated by a newer Stellar, saying so', async () => {
    const storage = await dialect.open();
    await migrateToLatest(storage);
    await sql`insert into stellar_migrations (name, timestamp) values (${'2099-01-01-001-future'}, ${new Date().toISOString()})`.execute(storage.db);
    expect((await migrationStatus(storage)).unknown).toEqual(['2099-01-01-001-future']);
    const error = await migrateToLatest(storage).catch((err: unknown) => err);
    expect(error).toBeInstanceOf(StellarError);
    expect((error as StellarError).code).toBe('STELLAR_ERR_STORAGE');
    expect((error as StellarError).message).toContain('was migrated by a newer version of Stellar (it has migration 2099-01-01-001-future');
    await storage.close();
  });
});

describe('an SQLite file database', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'stellar-db-'));

  it('keeps its data across restarts and re-runs of the migrations', async () => {
    const first = openStorage({ url: 'stellar.db', dataDir });
    await migrateToLatest(first);
    await first.db
      .insertInto('clusters')
      .values({
        name: 'kept',
        description: '',
        fe_host: 'h',
        fe_http_port: 8030,
        fe_query_port: 9030,
        username: 'root',
        password_encrypted: '',
        enable_ssl: 0,
        connection_timeout: 10,
        tags: '[]',
        deployment_mode: 'shared_nothing',
        engine: 'starrocks',
        node_list_source: 'http',
        created_at: 1,
        updated_at: 1,
      })
      .execute();
    await first.close();

    const second = openStorage({ url: 'stellar.db', dataDir });
    expect(await migrateToLatest(second)).toEqual([]);
    expect(await second.db.selectFrom('clusters').select('name').execute()).toEqual([{ name: 'kept' }]);
    await second.close();
  });

  it('runs in WAL mode with foreign keys on and a busy timeout', async () => {
    const storage = openStorage({ url: `sqlite:${join(dataDir, 'pragmas.db')}`, dataDir: '/nonexistent' });
    const pragma = async (name: string) => (await sql.raw<Record<string, unknown>>(`pragma ${name}`).execute(storage.db)).rows[0];
    expect(await pragma('journal_mode')).toEqual({ journal_mode: 'wal' });
    expect(await pragma('foreign_keys')).toEqual({ foreign_keys: 1 });
    expect(await pragma('busy_timeout')).toEqual({ timeout: 5000 });
    await storage.close();
  });

  it('says which file cannot be opened', () => {
    const blocker = join(dataDir, 'a-file');
    writeFileSync(blocker, '');
    const path = join(blocker, 'stellar.db');
    expect(() => openStorage({ url: path, dataDir })).toThrow(`cannot open SQLite database ${path}: EEXIST`);
  });
});
