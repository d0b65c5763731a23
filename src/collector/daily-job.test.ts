import { afterEach, describe, expect, it } from 'vitest';
import { ClusterRegistry } from '../registry/cluster-registry.js';
import { dayBounds } from '../shared/day.js';
import type { Storage } from '../storage/dialect/dialect.js';
import { migrateToLatest } from '../storage/migrate.js';
import { dailyRowsBetween } from '../storage/repos/daily.repo.js';
import { DIALECTS } from '../../test/helpers/dialects.js';
import { clusterFields, randomSecretBox } from '../../test/helpers/factories.js';
import { writeSnapshots } from '../../test/helpers/write-snapshots.js';
import { backfillDailyRollups, daysAwaitingRollup, nextRollupAt, ROLLUP_SETTLE_MS, rollUpDay } from './daily-job.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const DAY0 = Date.UTC(2026, 10, 20);

let storage: Storage | null = null;
afterEach(async () => {
  await storage?.close();
  storage = null;
});

describe('nextRollupAt', () => {
  it('is in an hour, or just after the day ends and settles, whichever comes first', () => {
    expect(nextRollupAt(DAY0 + 10 * HOUR, 'UTC')).toBe(DAY0 + 11 * HOUR);
    expect(nextRollupAt(DAY0 + 23 * HOUR + 30 * 60_000, 'UTC')).toBe(DAY0 + DAY + ROLLUP_SETTLE_MS);
    // Just after midnight, yesterday has not settled yet.
    expect(nextRollupAt(DAY0 + 5 * 60_000, 'UTC')).toBe(DAY0 + ROLLUP_SETTLE_MS);
    // A 23-hour day in Havana (2026-03-08) ends at 04:00 UTC on the 9th.
    const havana = dayBounds('2026-03-08', 'America/Havana');
    expect(nextRollupAt(havana.end - 10 * 60_000, 'America/Havana')).toBe(havana.end + ROLLUP_SETTLE_MS);
  });
});

describe.each(DIALECTS)('the back-fill on $name', (dialect) => {
  async function setUp() {
    storage = await dialect.open();
    await migrateToLatest(storage);
    const registry = new ClusterRegistry({ db: storage.db, dialect: storage.dialect, secrets: randomSecretBox(), now: () => DAY0 });
    const cluster = await registry.create(clusterFields());
    const insert = (at: number) => writeSnapshots(storage!, [{ cluster_id: cluster.id, collected_at: at, collect_status: 'ok', queries: 1 }]);
    const days = async () => (await dailyRowsBetween(storage!.db, cluster.id, '2026-01-01', '2026-12-31')).map((r) => [r.snapshot_date, r.samples]);
    return { db: storage.db, id: cluster.id, insert, days };
  }

  it('fills a day left out between rolled-up days, not only the days after the last one', async () => {
    const t = await setUp();
    for (let d = 0; d < 4; d += 1) for (let h = 0; h < 24; h += 8) await t.insert(DAY0 + d * DAY + h * HOUR);
    // `stellar aggregate` rolled up 11-22 by hand; 11-20 and 11-21 have no daily row.
    await rollUpDay(t.db, t.id, '2026-11-22', 'UTC', DAY0);
    const awaiting = [];
    for await (const day of daysAwaitingRollup(t.db, t.id, 'UTC', 0, '2026-11-24')) awaiting.push(day);
    expect(awaiting).toEqual(['2026-11-20', '2026-11-21', '2026-11-23']);
    expect(await backfillDailyRollups(t.db, [t.id], 'UTC', DAY0 + 4 * DAY + HOUR)).toBe(3);
    expect(await t.days()).toEqual([['2026-11-20', 3], ['2026-11-21', 3], ['2026-11-22', 3], ['2026-11-23', 3]]);
  });

  it('reads through the storage’s reader as the service does, and writes the same days', async () => {
    const t = await setUp();
    for (let d = 0; d < 3; d += 1) for (let h = 0; h < 24; h += 6) await t.insert(DAY0 + d * DAY + h * HOUR);
    expect(await backfillDailyRollups(t.db, [t.id], 'UTC', DAY0 + 3 * DAY + HOUR, { reader: storage!.reader })).toBe(3);
    expect(await t.days()).toEqual([['2026-11-20', 4], ['2026-11-21', 4], ['2026-11-22', 4]]);
    // Rolled-up days are seen as such through the reader too: nothing is written twice.
    expect(await backfillDailyRollups(t.db, [t.id], 'UTC', DAY0 + 3 * DAY + HOUR, { reader: storage!.reader })).toBe(0);
  });

  it('waits for a day to settle before rolling it up, so a collection written after midnight is in it', async () => {
    const t = await setUp();
    await t.insert(DAY0 + 23 * HOUR + 59 * 60_000);
    expect(await backfillDailyRollups(t.db, [t.id], 'UTC', DAY0 + DAY + 60_000)).toBe(0);
    // Written late (stamped with its start, before midnight):
    await t.insert(DAY0 + DAY - 1);
    expect(await backfillDailyRollups(t.db, [t.id], 'UTC', DAY0 + DAY + ROLLUP_SETTLE_MS)).toBe(1);
    expect(await t.days()).toEqual([['2026-11-20', 2]]);
  });

  it('gives the event loop a turn between two days, as SQLite answers without one', async () => {
    const t = await setUp();
    for (let d = 0; d < 3; d += 1) await t.insert(DAY0 + d * DAY + HOUR);
    let turns = 0;
    const counting = (): void => {
      turns += 1;
      if (!done) setImmediate(counting);
    };
    let done = false;
    setImmediate(counting);
    const rolling = backfillDailyRollups(t.db, [t.id], 'UTC', DAY0 + 3 * DAY + HOUR).finally(() => (done = true));
    expect(await rolling).toBe(3);
    expect(turns).toBeGreaterThanOrEqual(3);
  });

  it('skips days before the daily retention and stops between days when asked', async () => {
    const t = await setUp();
    for (let d = 0; d < 10; d += 1) await t.insert(DAY0 + d * DAY + HOUR);
    expect(await backfillDailyRollups(t.db, [t.id], 'UTC', DAY0 + 10 * DAY + HOUR, { dailyRetentionDays: 3 })).toBe(3);
    expect((await t.days()).map(([day]) => day)).toEqual(['2026-11-27', '2026-11-28', '2026-11-29']);
    const stop = new AbortController();
    stop.abort();
    expect(await backfillDailyRollups(t.db, [t.id], 'UTC', DAY0 + 10 * DAY + HOUR, { signal: stop.signal })).toBe(0);
  });
});
