import { afterEach, describe, expect, it } from 'vitest';
import { ClusterRegistry } from '../registry/cluster-registry.js';
import type { TierTable } from '../shared/tier-fields.js';
import type { Storage } from '../storage/dialect/dialect.js';
import { migrateToLatest } from '../storage/migrate.js';
import { rolledUpDays } from '../storage/repos/daily.repo.js';
import { DIALECTS } from '../../test/helpers/dialects.js';
import { clusterFields, randomSecretBox } from '../../test/helpers/factories.js';
import { writeSnapshots } from '../../test/helpers/write-snapshots.js';
import { backfillDailyRollups } from './daily-job.js';
import { applyRetention, type RetentionOptions } from './retention.js';

const DAY = 86_400_000;
const NOW = Date.UTC(2026, 10, 24, 12);
const noPause = () => Promise.resolve();
/** Keep everything unless a test says otherwise. */
const KEEP: RetentionOptions = { retentionDays: 3650, retention5mDays: 3650, retention1hDays: 3650, timeZone: 'UTC', dailyRetentionDays: 400, sleep: noPause };
let storage: Storage | null = null;
afterEach(async () => {
  await storage?.close();
  storage = null;
});

describe.each(DIALECTS)('applyRetention on $name', (dialect) => {
  async function setUp() {
    storage = await dialect.open();
    await migrateToLatest(storage);
    const registry = new ClusterRegistry({ db: storage.db, dialect: storage.dialect, secrets: randomSecretBox(), now: () => NOW });
    const [a, b] = [await registry.create(clusterFields()), await registry.create(clusterFields())];
    // Every 2.4 hours for 25 days, both clusters, written as the collector writes (tiers too).
    const rows = [];
    for (let i = 249; i >= 0; i -= 1) for (const cluster of [a, b]) rows.push({ cluster_id: cluster.id, collected_at: NOW - i * 0.1 * DAY, collect_status: 'ok' as const, qps: i });
    await writeSnapshots(storage, rows);
    const db = storage.db;
    const collectedAt = async (id: number) => (await db.selectFrom('metrics_snapshots').select('collected_at').where('cluster_id', '=', id).execute()).map((r) => r.collected_at);
    const buckets = async (table: TierTable, id: number) => (await db.selectFrom(table).select('bucket_start').where('cluster_id', '=', id).execute()).map((r) => r.bucket_start);
    return { db, a: a.id, b: b.id, collectedAt, buckets };
  }

  it('lets the event loop turn between two clusters once it has gone on for turnEveryMs', async () => {
    const { db, a, b } = await setUp();
    let turns = 0;
    let done = false;
    const tick = (): void => {
      turns += 1;
      if (!done) setImmediate(tick);
    };
    setImmediate(tick);
    await applyRetention(db, [a, b, a, b], NOW, { ...KEEP, retentionDays: 7, turnEveryMs: 0 });
    done = true;
    expect(turns).toBeGreaterThanOrEqual(3);
  });

  it('deletes raw rows past their retention in small batches: the tiers already hold their figures', async () => {
    const { db, a, b, collectedAt, buckets } = await setUp();
    const deleted = await applyRetention(db, [a, b], NOW, { ...KEEP, retentionDays: 7, batchSize: 37 });
    const left = [...(await collectedAt(a)), ...(await collectedAt(b))];
    expect(deleted.snapshots).toBe(500 - left.length);
    expect(left.every((at) => at >= NOW - 7 * DAY)).toBe(true);
    expect(left.length).toBe(2 * 71);
    expect(await buckets('metrics_5m', a)).toHaveLength(250);
  });

  it('keeps raw rows written before the tiers until the back-fill has added them', async () => {
    const { db, a, collectedAt } = await setUp();
    await db.insertInto('tier_backfill').values({ cluster_id: a, before: NOW - 10 * DAY, done_until: NOW - 20 * DAY }).execute();
    await applyRetention(db, [a], NOW, { ...KEEP, retentionDays: 7 });
    expect(Math.min(...(await collectedAt(a)))).toBe(NOW - 20 * DAY);
  });

  it('keeps every 5-minute bucket of a day the roll-up has not read, per cluster, and the days after it', async () => {
    const { db, a, b, buckets } = await setUp();
    await backfillDailyRollups(db, [a], 'UTC', NOW);
    // Cluster a's 2026-11-10 lost its daily row: that day and the later ones stay.
    await db.deleteFrom('daily_snapshots').where('cluster_id', '=', a).where('snapshot_date', '=', '2026-11-10').execute();
    await applyRetention(db, [a, b], NOW, { ...KEEP, retention5mDays: 7 });
    expect(Math.min(...(await buckets('metrics_5m', a)))).toBe(Date.UTC(2026, 10, 10, 0, 0));
    // Cluster b was never rolled up: nothing of it goes.
    expect(await buckets('metrics_5m', b)).toHaveLength(250);

    await backfillDailyRollups(db, [a, b], 'UTC', NOW);
    expect(await rolledUpDays(db, a, '2026-11-10', '2026-11-10')).toEqual(['2026-11-10']);
    await applyRetention(db, [a, b], NOW, { ...KEEP, retention5mDays: 7 });
    expect(await buckets('metrics_5m', a)).toHaveLength(71);
    expect(await buckets('metrics_5m', b)).toHaveLength(71);
  });

  it('does not keep buckets of days older than the daily retention: their daily row would go at once', async () => {
    const { db, a, buckets } = await setUp();
    // Daily rows are kept 3 days, buckets 1: without a roll-up, only the last 3 days are held back.
    await applyRetention(db, [a], NOW, { ...KEEP, retention5mDays: 1, dailyRetentionDays: 3 });
    expect(Math.min(...(await buckets('metrics_5m', a)))).toBeGreaterThanOrEqual(Date.UTC(2026, 10, 21));
    expect(Math.min(...(await buckets('metrics_5m', a)))).toBeLessThan(Date.UTC(2026, 10, 21, 3));
  });

  it('cuts the protected day in the roll-up’s time zone', async () => {
    const { db, a, buckets } = await setUp();
    await backfillDailyRollups(db, [a], 'Asia/Shanghai', NOW);
    await db.deleteFrom('daily_snapshots').where('cluster_id', '=', a).where('snapshot_date', '=', '2026-11-12').execute();
    await applyRetention(db, [a], NOW, { ...KEEP, retention5mDays: 7, timeZone: 'Asia/Shanghai' });
    // 2026-11-12 in Shanghai begins at 16:00 UTC on the 11th.
    const oldest = Math.min(...(await buckets('metrics_5m', a)));
    expect(oldest).toBeGreaterThanOrEqual(Date.UTC(2026, 10, 11, 16));
    expect(oldest - Date.UTC(2026, 10, 11, 16)).toBeLessThan(0.1 * DAY);
  });

  it('deletes hourly buckets past their own retention', async () => {
    const { db, a, buckets } = await setUp();
    const deleted = await applyRetention(db, [a], NOW, { ...KEEP, retention1hDays: 10 });
    const left = await buckets('metrics_1h', a);
    expect(left.every((at) => at >= NOW - 10 * DAY - 3_600_000)).toBe(true);
    expect(deleted.buckets1h).toBe(250 - left.length);
    expect(left.length).toBeGreaterThan(95);
  });
});
