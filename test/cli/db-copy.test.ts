/**
 * `stellar db copy`, as a user moves up and back: a SQLite database with clusters, snapshots,
 * tiers, trend blocks, daily rows, users, tokens and installation facts goes into PostgreSQL, and from there
 * into a new SQLite file; every table arrives whole, a non-empty target is refused unless
 * --force, and a cluster created after the move never gets the id of one deleted before it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/run-cli.js';
import { RAW_TREND_COLUMNS } from '../../src/api/overview/trend-series.js';
import { rollUpDay } from '../../src/collector/daily-job.js';
import { buildClosedHourBlocks } from '../../src/collector/trend-blocks.js';
import { ClusterRegistry } from '../../src/registry/cluster-registry.js';
import type { Storage } from '../../src/storage/dialect/dialect.js';
import { openPostgres } from '../../src/storage/dialect/postgres/postgres-dialect.js';
import { openSqlite } from '../../src/storage/dialect/sqlite/sqlite-dialect.js';
import { migrateToLatest } from '../../src/storage/migrate.js';
import { writeCollectionStates } from '../../src/storage/repos/collection-state.repo.js';
import { setMeta } from '../../src/storage/repos/meta.repo.js';
import { insertToken, insertUserIfAbsent } from '../../src/storage/repos/users.repo.js';
import { postgresSkipReason, postgresTestUrl } from '../helpers/dialects.js';
import { clusterFields, randomSecretBox } from '../helpers/factories.js';
import { skipNote } from '../helpers/requirements.js';
import { writeSnapshots } from '../helpers/write-snapshots.js';

const DAY0 = Date.UTC(2026, 10, 20);
const TABLES = ['clusters', 'users', 'stellar_meta', 'cluster_nodes', 'metrics_snapshots', 'daily_snapshots', 'metrics_5m', 'metrics_1h', 'tier_backfill', 'trend_blocks', 'tier_blocks', 'collection_state', 'auth_tokens'];

async function run(argv: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await runCli(argv, { env: {}, stdout: { write: (t: string) => (stdout += t) }, stderr: { write: (t: string) => (stderr += t) } });
  return { code, stdout, stderr };
}

/** Every row of every table, in a stable order. */
async function contents(storage: Storage): Promise<Record<string, unknown[]>> {
  const out: Record<string, unknown[]> = {};
  for (const table of TABLES) out[table] = (await sql<Record<string, unknown>>`select * from ${sql.table(table)} order by 1, 2`.execute(storage.db)).rows;
  return out;
}

/** A week of a Stellar's life: two clusters (a third deleted), snapshots, their tiers, daily rows, an admin with a token, facts. */
async function fill(storage: Storage): Promise<void> {
  await migrateToLatest(storage);
  const registry = new ClusterRegistry({ db: storage.db, dialect: storage.dialect, secrets: randomSecretBox(), now: () => DAY0 });
  const a = await registry.create(clusterFields({ tags: ['prod', 'eu'] }));
  const gone = await registry.create(clusterFields());
  const b = await registry.create(clusterFields({ enable_ssl: true }));
  await registry.delete(gone.id);
  for (const cluster of [a, b]) {
    await writeSnapshots(
      storage,
      Array.from({ length: 50 }, (_, i) => ({ cluster_id: cluster.id, collected_at: DAY0 + i * 30 * 60_000, qps: 10 + i / 7, queries: 100 + i, data_used_bytes: 2 ** 40 + i, collect_status: i % 9 === 0 ? 'failed' : 'ok', custom_values: i % 2 === 0 ? null : JSON.stringify({ queue_max: i, rows_per_s: i / 3 }) })),
    );
    expect(await rollUpDay(storage.db, cluster.id, '2026-11-20', 'UTC', DAY0)).toBe(true);
  }
  await storage.db.insertInto('cluster_nodes').values({ cluster_id: a.id, frontends: '[{"host":"fe1"}]', frontends_at: DAY0 }).execute();
  await storage.db.insertInto('tier_backfill').values({ cluster_id: b.id, before: DAY0, done_until: DAY0 - 1 }).execute();
  const backingOff = { lastStatus: 'failed', consecutiveFailures: 3, lastAttemptAt: DAY0, lastSuccessAt: DAY0 - 3_600_000, lastDurationMs: 1500, lastError: 'frontends (refused): connection refused', nextAttemptAt: DAY0 + 120_000, running: false, lagMs: 0, intervalMs: 30_000 } as const;
  await writeCollectionStates(storage.db, new Map([[a.id, backingOff]]), DAY0);
  const admin = await insertUserIfAbsent(storage.db, 'admin', 'scrypt$hash', 'admin', DAY0);
  await insertToken(storage.db, { userId: admin!.id, tokenHash: 'ab'.repeat(32), createdAt: DAY0, expiresAt: DAY0 + 3_600_000 });
  await insertToken(storage.db, { userId: admin!.id, tokenHash: 'cd'.repeat(32), createdAt: DAY0, expiresAt: DAY0 + 86_400_000, personal: { name: 'ci', role: 'viewer' } });
  await setMeta(storage.db, 'secret_key_fingerprint', 'f00d');
  // The closed hours packed into trend blocks (binary values), and the mark of how far they go.
  const ids = () => Promise.resolve([a.id, b.id]);
  expect((await buildClosedHourBlocks({ db: storage.db, reader: storage.db, fields: RAW_TREND_COLUMNS, clusterIds: ids, retentionDays: 30 }, DAY0 + 26 * 3_600_000)).blocks).toBeGreaterThan(0);
}

describe.skipIf(postgresSkipReason !== null)(`stellar db copy between SQLite and PostgreSQL${skipNote(postgresSkipReason)}`, () => {
  const folder = mkdtempSync(join(tmpdir(), 'stellar-db-copy-'));
  const first = join(folder, 'first.db');
  const back = join(folder, 'back.db');
  let postgres: { url: string; drop(): Promise<void> };
  beforeAll(async () => {
    postgres = await postgresTestUrl();
    const storage = openSqlite(first);
    await fill(storage);
    await storage.close();
  });
  afterAll(async () => {
    await postgres.drop();
    rmSync(folder, { recursive: true, force: true });
  });

  it('copies SQLite into PostgreSQL and back with every row, refusing a non-empty target unless --force', async () => {
    const up = await run(['db', 'copy', '--from', first, '--to', postgres.url]);
    expect(up.stderr).toBe('');
    expect(up.code).toBe(0);
    expect(up.stdout).toMatch(/^metrics_snapshots +100 rows {2}sha256 [0-9a-f]{16} {2}same on both sides$/m);
    expect(up.stdout).toMatch(/^clusters +2 rows/m);

    const again = await run(['db', 'copy', '--from', first, '--to', postgres.url]);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/the target database \(postgres postgres:\/\/postgres@127\.0\.0\.1:5432\/stellar_test_\w+\) is not empty: clusters \(2 rows\), .*; give --force to replace its contents/);
    expect((await run(['db', 'copy', '--from', first, '--to', postgres.url, '--force'])).code).toBe(0);

    const down = await run(['db', 'copy', '--from', postgres.url, '--to', back]);
    expect(down.stderr).toBe('');
    expect(down.code).toBe(0);

    const original = openSqlite(first);
    const returned = openSqlite(back);
    const onPostgres = openPostgres({ url: postgres.url, poolSize: 2 });
    try {
      const before = await contents(original);
      expect(before.metrics_5m!.length).toBeGreaterThan(0);
      expect(before.daily_snapshots).toHaveLength(2);
      expect(before.collection_state).toHaveLength(1);
      // The custom metrics' values (one JSON column) go across as the other columns do.
      expect(before.metrics_snapshots!.filter((row) => typeof (row as { custom_values?: unknown }).custom_values === 'string')).toHaveLength(50);
      expect(await contents(returned)).toEqual(before);
      expect(await contents(onPostgres)).toEqual(before);
      // The deleted cluster's id (2) is never handed out again, on either side of the move.
      for (const storage of [returned, onPostgres]) {
        const registry = new ClusterRegistry({ db: storage.db, dialect: storage.dialect, secrets: randomSecretBox(), now: () => DAY0 });
        expect((await registry.create(clusterFields())).id).toBe(4);
      }
    } finally {
      await Promise.all([original.close(), returned.close(), onPostgres.close()]);
    }
  });

  it('says what is wrong with the command line', async () => {
    expect(await run(['db', 'copy', '--to', back])).toMatchObject({ code: 2, stderr: expect.stringContaining('--from is missing') });
    expect(await run(['db', 'copy', '--from', first, '--to', first])).toMatchObject({ code: 2, stderr: `stellar: --from and --to are the same database (${first})\n` });
    expect(await run(['db', 'move', '--from', first, '--to', back])).toMatchObject({ code: 2, stderr: expect.stringContaining('stellar db move is not a command') });
  });
});
