import { afterEach, describe, expect, it } from 'vitest';
import { ClusterRegistry } from '../registry/cluster-registry.js';
import type { Storage } from '../storage/dialect/dialect.js';
import { migrateToLatest } from '../storage/migrate.js';
import { rolledUpDays } from '../storage/repos/daily.repo.js';
import { DIALECTS } from '../../test/helpers/dialects.js';
import { clusterFields, randomSecretBox } from '../../test/helpers/factories.js';
import { backfillDailyRollups } from './daily-job.js';
import { applyRetention } from './retention.js';

const DAY = 86_400_000;
const NOW = Date.UTC(2026, 10, 24, 12);
const noPause = () => Promise.resolve();
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
    const rows = [];
    // Every 2.4 hours for 25 days, both clusters.
    for (let i = 0; i < 250; i += 1) {
      for (const cluster of [a, b]) rows.push({ cluster_id: cluster.id, collected_at: NOW - i * 0.1 * DAY, collect_status: 'ok' as const });
    }
    await storage.db.insertInto('metrics_snapshots').values(rows).execute();
    const collectedAt = async (id: number) =>
      (await storage!.db.selectFrom('metrics_snapshots').select('collected_at').where('cluster_id', '=', id).execute()).map((r) => r.collected_at);
    return { db: storage.db, a: a.id, b: b.id, collectedAt };
  }

  it('deletes every row past the retention in small batches once its day is rolled up, and keeps the rest', async () => {
    const { db, a, b, collectedAt } = await setUp();
    await backfillDailyRollups(db, [a, b], 'UTC', NOW);
    const deleted = await applyRetention(db, [a, b], NOW, { retentionDays: 7, timeZone: 'UTC', dailyRetentionDays: 400, batchSize: 37, sleep: noPause });
    const left = [...(await collectedAt(a)), ...(await collectedAt(b))];
    expect(deleted).toBe(500 - left.length);
    expect(left.every((at) => at >= NOW - 7 * DAY)).toBe(true);
    expect(left.length).toBe(2 * 71);
  });

  it('keeps every row of a day the roll-up has not read, per cluster, and the days after it', async () => {
    const { db, a, b, collectedAt } = await setUp();
    await backfillDailyRollups(db, [a], 'UTC', NOW);
    // Cluster a's 2026-11-10 lost its daily row: that day and the later ones stay.
    await db.deleteFrom('daily_snapshots').where('cluster_id', '=', a).where('snapshot_date', '=', '2026-11-10').execute();
    await applyRetention(db, [a, b], NOW, { retentionDays: 7, timeZone: 'UTC', dailyRetentionDays: 400, sleep: noPause });
    expect(Math.min(...(await collectedAt(a)))).toBe(Date.UTC(2026, 10, 10, 0, 0));
    // Cluster b was never rolled up: nothing of it goes.
    expect(await collectedAt(b)).toHaveLength(250);

    await backfillDailyRollups(db, [a, b], 'UTC', NOW);
    expect(await rolledUpDays(db, a, '2026-11-10', '2026-11-10')).toEqual(['2026-11-10']);
    await applyRetention(db, [a, b], NOW, { retentionDays: 7, timeZone: 'UTC', dailyRetentionDays: 400, sleep: noPause });
    expect(await collectedAt(a)).toHaveLength(71);
    expect(await collectedAt(b)).toHaveLength(71);
  });

  it('does not keep rows for days older than the daily retention: their daily row would go at once', async () => {
    const { db, a, collectedAt } = await setUp();
    // Daily rows are kept 3 days, snapshots 7: without a roll-up, only the last 3 days are held back.
    await applyRetention(db, [a], NOW, { retentionDays: 1, timeZone: 'UTC', dailyRetentionDays: 3, sleep: noPause });
    expect(Math.min(...(await collectedAt(a)))).toBeGreaterThanOrEqual(Date.UTC(2026, 10, 21));
    expect(Math.min(...(await collectedAt(a)))).toBeLessThan(Date.UTC(2026, 10, 21, 3));
  });

  it('cuts the protected day in the roll-up’s time zone', async () => {
    const { db, a, collectedAt } = await setUp();
    await backfillDailyRollups(db, [a], 'Asia/Shanghai', NOW);
    await db.deleteFrom('daily_snapshots').where('cluster_id', '=', a).where('snapshot_date', '=', '2026-11-12').execute();
    await applyRetention(db, [a], NOW, { retentionDays: 7, timeZone: 'Asia/Shanghai', dailyRetentionDays: 400, sleep: noPause });
    // 2026-11-12 in Shanghai begins at 16:00 UTC on the 11th.
    const oldest = Math.min(...(await collectedAt(a)));
    expect(oldest).toBeGreaterThanOrEqual(Date.UTC(2026, 10, 11, 16));
    expect(oldest - Date.UTC(2026, 10, 11, 16)).toBeLessThan(0.1 * DAY);
  });
});
