/**
 * The maintenance job on a fake clock over real SQLite: rows written as the collector writes
 * them (raw row and tiers together), daily rows rolled up from the 5-minute tier, and nothing
 * deleted before the next table has read it — the two ways rows used to go before the daily
 * roll-up had read them, and the tiers' back-fill of snapshots from before they existed.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { ClusterRegistry } from '../registry/cluster-registry.js';
import type { Storage } from '../storage/dialect/dialect.js';
import { openSqlite } from '../storage/dialect/sqlite/sqlite-dialect.js';
import { migrateToLatest } from '../storage/migrate.js';
import { dailyRowsBetween } from '../storage/repos/daily.repo.js';
import { insertSnapshotRow } from '../storage/repos/snapshots.repo.js';
import { FakeClock } from '../../test/helpers/fake-clock.js';
import { clusterFields, randomSecretBox } from '../../test/helpers/factories.js';
import { SNAPSHOT_FIELDS } from '../shared/snapshot-fields.js';
import { loggerInto } from '../../test/helpers/test-app.js';
import { addRawGatheringJob, addRollupAndRetentionJob, addTierBlockJob, type MaintenanceSettings } from './collection-service.js';
import { getMeta } from '../storage/repos/meta.repo.js';
import { GATHERED_UNTIL_KEY } from './raw-gathering.js';
import { backfillDailyRollups } from './daily-job.js';
import { JobRunner } from './job-runner.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

let storage: Storage | null = null;
let runner: JobRunner | null = null;
afterEach(async () => {
  await runner?.stop();
  runner = null;
  await storage?.close();
  storage = null;
});

async function setUp(start: number) {
  storage = openSqlite(':memory:');
  await migrateToLatest(storage);
  const db = storage.db;
  const registry = new ClusterRegistry({ db, dialect: storage.dialect, secrets: randomSecretBox(), now: () => start });
  const cluster = await registry.create(clusterFields());
  const clock = new FakeClock(start);
  const logs: string[] = [];
  runner = new JobRunner({ clock, logger: loggerInto(logs, 'info') });
  const started = runner;
  const writer = storage.snapshotWriter(SNAPSHOT_FIELDS);
  const maintain = (settings: Partial<MaintenanceSettings> & Pick<MaintenanceSettings, 'timeZone'>) =>
    addRollupAndRetentionJob(started, {
      db,
      writer,
      clusterIds: async () => (await registry.list()).map((c) => c.id),
      logger: loggerInto(logs, 'info'),
      settings: { retentionDays: 7, retention5mDays: 35, retention1hDays: 400, dailyRetentionDays: 400, sweepEveryMs: MINUTE, ...settings },
    });
  // As the collector writes a snapshot: the row and its tiers.
  const insert = (at: number) =>
    writer.write({ clusterId: cluster.id, collectedAt: at, status: 'ok', durationMs: 1, failedSources: '[]', frontendsScraped: 1, values: { queries: 1 }, nodes: { at, frontends: null, backends: null, computeNodes: null } });
  // As a Stellar from before the tiers wrote one: the row alone.
  const insertRawOnly = (at: number) => insertSnapshotRow(db, { cluster_id: cluster.id, collected_at: at, collect_status: 'ok', queries: 1 });
  const rawTimes = async () => (await db.selectFrom('metrics_snapshots').select('collected_at').orderBy('collected_at').execute()).map((r) => r.collected_at);
  const bucketTimes = async () => (await db.selectFrom('metrics_5m').select('bucket_start').orderBy('bucket_start').execute()).map((r) => r.bucket_start);
  const days = async () => (await dailyRowsBetween(db, cluster.id, '2026-01-01', '2026-12-31')).map((r) => [r.snapshot_date, r.samples, r.total_queries]);
  return { db, id: cluster.id, clock, runner: started, logs, maintain, insert, insertRawOnly, rawTimes, bucketTimes, days };
}

describe('the roll-up and retention job', () => {
  it('after a stop longer than retention_days, rolls the last days up before it deletes them', async () => {
    const stoppedAt = Date.UTC(2026, 10, 8, 12);
    const restartAt = Date.UTC(2026, 10, 20, 12);
    const t = await setUp(restartAt);
    // Collections every 10 minutes from 11-06 until the stop at noon on 11-08; 11-06 and 11-07 were rolled up before it.
    for (let at = Date.UTC(2026, 10, 6); at < stoppedAt; at += 10 * MINUTE) await t.insert(at);
    await backfillDailyRollups(t.db, [t.id], 'UTC', stoppedAt);
    expect(await t.days()).toEqual([['2026-11-06', 144, 144], ['2026-11-07', 144, 144]]);

    // Twelve days later, with 7 days of raw rows and of 5-minute buckets: all past retention at start-up.
    t.maintain({ timeZone: 'UTC', retentionDays: 7, retention5mDays: 7 });
    await t.clock.advance(0, () => t.runner.whenIdle());
    expect(await t.days()).toEqual([['2026-11-06', 144, 144], ['2026-11-07', 144, 144], ['2026-11-08', 72, 72]]);
    expect(await t.rawTimes()).toEqual([]);
    expect(await t.bucketTimes()).toEqual([]);
    expect(t.logs.join('')).toContain('rolled up daily rows');
  });

  it('with retention_days = 1, every row of each day reaches its daily row before the sweep takes it', async () => {
    // Collections and sweeps every 5 minutes; the roll-up hourly (at :37 past, from the start) and just after each day ends.
    const t = await setUp(Date.UTC(2026, 10, 22, 23, 37));
    t.runner.add('collect', async ({ now }) => {
      await t.insert(now());
      return now() + 5 * MINUTE;
    }, { retryMs: MINUTE });
    t.maintain({ timeZone: 'UTC', retentionDays: 1, retention5mDays: 1, sweepEveryMs: 5 * MINUTE });
    const end = Date.UTC(2026, 10, 24, 1);
    await t.clock.advanceTo(end);
    // 11-22 began before the first collection; 11-23 has all its 288 collections, the buckets of
    // its first hour past retention from 00:00 on 11-24 but kept until the roll-up had read the day.
    expect(await t.days()).toEqual([['2026-11-22', 5, 5], ['2026-11-23', 288, 288]]);
    // And the sweep kept up: nothing older than a day (and a sweep period) is left.
    const raw = await t.rawTimes();
    expect(raw[0]).toBeGreaterThanOrEqual(end - DAY - 5 * MINUTE);
    expect(raw.at(-1)).toBeGreaterThan(end - 5 * MINUTE);
    expect((await t.bucketTimes())[0]).toBeGreaterThanOrEqual(end - DAY - 5 * MINUTE);
  });

  it('cuts the days in the roll-up’s time zone, across a DST change that skips midnight', async () => {
    // America/Santiago skips 00:00–01:00 on 2026-09-06: that day has 23 hours, the day before 24.
    const t = await setUp(Date.UTC(2026, 8, 4, 12));
    t.runner.add('collect', async ({ now }) => {
      await t.insert(now());
      return now() + 10 * MINUTE;
    }, { retryMs: MINUTE });
    t.maintain({ timeZone: 'America/Santiago', retentionDays: 1, retention5mDays: 1, sweepEveryMs: 10 * MINUTE });
    await t.clock.advanceTo(Date.UTC(2026, 8, 8, 12));
    const days = await t.days();
    expect(days.slice(1, 3)).toEqual([['2026-09-05', 144, 144], ['2026-09-06', 138, 138]]);
  });

  it('after an upgrade, adds the snapshots written before the tiers to them, then rolls their days up, and keeps raw rows until then', async () => {
    const upgradeAt = Date.UTC(2026, 10, 10, 12);
    const t = await setUp(upgradeAt);
    // Four days of rows written by a Stellar without tiers: the migration then marks them to add.
    for (let at = Date.UTC(2026, 10, 6, 12); at < upgradeAt; at += 10 * MINUTE) await t.insertRawOnly(at);
    await t.db.insertInto('tier_backfill').values({ cluster_id: t.id, before: upgradeAt, done_until: Date.UTC(2026, 10, 6, 12) }).execute();
    expect(await t.bucketTimes()).toEqual([]);
    // Rows past a 1-day retention are kept while they are not in the tiers.
    t.maintain({ timeZone: 'UTC', retentionDays: 1 });
    await t.clock.advance(0, () => t.runner.whenIdle());
    expect(await t.days()).toEqual([['2026-11-06', 72, 72], ['2026-11-07', 144, 144], ['2026-11-08', 144, 144], ['2026-11-09', 144, 144]]);
    expect(await t.db.selectFrom('tier_backfill').selectAll().execute()).toEqual([]);
    expect((await t.bucketTimes()).length).toBe(4 * 24 * 12 / 2);
    expect((await t.rawTimes())[0]).toBeGreaterThanOrEqual(upgradeAt - DAY);
  });

  it('gathers each closed hour of raw rows once it has settled, hour after hour, as collections go on', async () => {
    const start = Date.UTC(2026, 10, 20, 12);
    const t = await setUp(start);
    t.runner.add('collect', async ({ now }) => {
      await t.insert(now());
      return now() + 10 * MINUTE;
    }, { retryMs: MINUTE });
    const writer = storage!.snapshotWriter(SNAPSHOT_FIELDS);
    addRawGatheringJob(t.runner, { db: t.db, gather: writer.gatherRawRows!, clusterIds: () => Promise.resolve([t.id]), retentionDays: 7 }, loggerInto(t.logs, 'info'));
    const gatheredUntil = () => getMeta(t.db, GATHERED_UNTIL_KEY);
    await t.clock.advance(0, () => t.runner.whenIdle());
    // Nothing closed yet: the first hour is 12:00–13:00.
    expect(await gatheredUntil()).toBeUndefined();
    await t.clock.advanceTo(start + HOUR + 9 * MINUTE, () => t.runner.whenIdle());
    expect(await gatheredUntil()).toBeUndefined();
    await t.clock.advanceTo(start + HOUR + 11 * MINUTE, () => t.runner.whenIdle());
    expect(await gatheredUntil()).toBe(String(start + HOUR));
    await t.clock.advanceTo(start + 3 * HOUR + 11 * MINUTE, () => t.runner.whenIdle());
    expect(await gatheredUntil()).toBe(String(start + 3 * HOUR));
    // The hour's rows were rewritten after the row of 15:00 had been written, in time order.
    const ids = await t.db.selectFrom('metrics_snapshots').select(['id', 'collected_at']).where('collected_at', '>=', start + 2 * HOUR).where('collected_at', '<', start + 3 * HOUR).orderBy('collected_at').execute();
    const written = await t.db.selectFrom('metrics_snapshots').select('id').where('collected_at', '=', start + 3 * HOUR).executeTakeFirstOrThrow();
    expect(ids.map((r) => r.id)).toEqual(ids.map((_, k) => ids[0]!.id + k));
    expect(ids[0]!.id).toBeGreaterThan(written.id);
    expect(ids.length).toBe(6);
  });

  it('packs each closed day of the tiers once its last collections are in; after an upgrade, only once the back-fill has filled them', async () => {
    const start = Date.UTC(2026, 10, 20, 22);
    const t = await setUp(start);
    t.runner.add('collect', async ({ now }) => {
      await t.insert(now());
      return now() + 10 * MINUTE;
    }, { retryMs: MINUTE });
    await t.db.insertInto('tier_backfill').values({ cluster_id: t.id, before: start, done_until: start - DAY }).execute();
    const columns = ['samples', 'reachable_samples', 'sum_queries', 'n_queries'];
    addTierBlockJob(t.runner, { db: t.db, reader: t.db, columns, clusterIds: () => Promise.resolve([t.id]), retentionDays: { '5m': 35, '1h': 400 } }, loggerInto(t.logs, 'info'));
    const blocks = async () => (await t.db.selectFrom('tier_blocks').select(['tier', 'day_start', 'buckets']).orderBy('day_start').orderBy('tier').execute()).map((b) => [b.tier, b.day_start, b.buckets]);
    const day20 = Date.UTC(2026, 10, 20);
    // 11-20 has closed, but the back-fill is still filling the tiers: nothing yet.
    await t.clock.advanceTo(day20 + DAY + 11 * MINUTE, () => t.runner.whenIdle());
    expect(await blocks()).toEqual([]);
    // Done: looked at again within ten minutes, the day is packed (12 collections from 22:00).
    await t.db.deleteFrom('tier_backfill').execute();
    await t.clock.advanceTo(day20 + DAY + 21 * MINUTE, () => t.runner.whenIdle());
    expect(await blocks()).toEqual([['1h', day20, 2], ['5m', day20, 12]]);
    expect(t.logs.join('')).toContain('packed closed days of the tiers into tier blocks');
    // The next day at its close, not before its last collections are in.
    await t.clock.advanceTo(day20 + 2 * DAY + 9 * MINUTE, () => t.runner.whenIdle());
    expect(await blocks()).toHaveLength(2);
    await t.clock.advanceTo(day20 + 2 * DAY + 11 * MINUTE, () => t.runner.whenIdle());
    expect((await blocks()).slice(2)).toEqual([['1h', day20 + DAY, 24], ['5m', day20 + DAY, 144]]);
  });
});
