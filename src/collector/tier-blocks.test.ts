/**
 * Tier blocks, built on every dialect from tier rows written as the collector writes them: only
 * for closed days, each decoding to exactly its day's tier rows; once, resumed after a restart;
 * again when the columns change; not at all while the tiers' back-fill runs; stopped between
 * two batches; never before a tier's retention; and deleted with the days past it.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { DIALECTS } from '../../test/helpers/dialects.js';
import { clusterFields, randomSecretBox } from '../../test/helpers/factories.js';
import { writeSnapshots } from '../../test/helpers/write-snapshots.js';
import { TIER_TREND_COLUMNS } from '../api/overview/trend-series.js';
import { ClusterRegistry } from '../registry/cluster-registry.js';
import { TIERS, type TierName } from '../shared/tier-fields.js';
import type { Storage } from '../storage/dialect/dialect.js';
import { migrateToLatest } from '../storage/migrate.js';
import { getMeta } from '../storage/repos/meta.repo.js';
import { tierRowsBetween } from '../storage/repos/tiers.repo.js';
import { columnValue, decodeTrendBlock } from '../storage/trend-block.js';
import { backfillDailyRollups } from './daily-job.js';
import { GATHER_AFTER_MS } from './raw-gathering.js';
import { applyRetention } from './retention.js';
import { buildClosedDayTierBlocks, nextTierBlocksAt, type TierBlockDeps, tierBlocksUntil, tierBlocksUntilKey } from './tier-blocks.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** Midnight starting 2026-12-01: rows from 20:00 that day to 04:00 on 12-03, so 12-01 and 12-02 can close. */
const D1 = Date.UTC(2026, 11, 1);
const D2 = D1 + DAY;
const D3 = D2 + DAY;
const STEP = 150_000;
const COLUMNS = TIER_TREND_COLUMNS;

let storage: Storage | null = null;
afterEach(async () => {
  await storage?.close();
  storage = null;
});

describe('nextTierBlocksAt', () => {
  it('is the end of the next day plus the wait for its last collections', () => {
    expect(nextTierBlocksAt(D2 + 15 * HOUR)).toBe(D3 + GATHER_AFTER_MS);
    // Just after midnight the day before is not built yet: it is, a few minutes later.
    expect(nextTierBlocksAt(D3 + 5 * 60_000)).toBe(D3 + GATHER_AFTER_MS);
  });
});

describe.each(DIALECTS)('tier blocks on $name', (dialect) => {
  /** Two clusters with rows every 150 s from 20:00 on 12-01 to 04:00 on 12-03: floats, integers, nulls, failed collections, an hour without load_running. */
  async function setUp() {
    storage = await dialect.open();
    await migrateToLatest(storage);
    const registry = new ClusterRegistry({ db: storage.db, dialect: storage.dialect, secrets: randomSecretBox(), now: () => D1 });
    const ids = [(await registry.create(clusterFields({ name: 'a' }))).id, (await registry.create(clusterFields({ name: 'b' }))).id];
    const rows = [];
    for (let at = D1 + 20 * HOUR, i = 0; at < D3 + 4 * HOUR; at += STEP, i += 1) {
      for (const id of ids) {
        const failed = i % 17 === 0;
        rows.push({
          cluster_id: id,
          collected_at: at,
          collect_status: failed ? ('failed' as const) : i % 5 === 0 ? ('partial' as const) : ('ok' as const),
          qps: failed ? null : id * 100 + Math.sin(i / 9) * 40.25,
          query_latency_p99: failed ? null : 80 + (i % 13) * 1.1,
          queries: failed ? null : i * 3,
          txn_running: 4,
          load_running: at >= D2 + 3 * HOUR && at < D2 + 4 * HOUR ? null : i % 7,
        });
      }
    }
    await writeSnapshots(storage, rows);
    const deps: TierBlockDeps = { db: storage.db, reader: storage.reader, columns: COLUMNS, clusterIds: () => Promise.resolve(ids), retentionDays: { '5m': 30, '1h': 30 } };
    const blocks = async () =>
      (await storage!.db.selectFrom('tier_blocks').select(['cluster_id', 'tier', 'day_start', 'buckets']).orderBy('tier').orderBy('cluster_id').orderBy('day_start').execute()).map((b) => [b.tier, b.cluster_id, Number(b.day_start) - D1, b.buckets]);
    return { storage, ids, deps, blocks };
  }

  /** Each tier's packed day, as every reader of the meta key takes it. */
  const untils = async (s: Storage, columns = COLUMNS) => Object.fromEntries(await Promise.all(TIERS.map(async (t) => [t.name, await tierBlocksUntil(s.db, t.name, columns)] as const)));

  it('are built for closed days only, each decoding to exactly its day’s tier rows', async () => {
    const { storage: s, ids, deps, blocks } = await setUp();
    // 00:05 on 12-03: 12-02 has ended but its last collections may still be on their way.
    expect(await buildClosedDayTierBlocks(deps, D3 + 5 * 60_000)).toEqual({ days: 2, blocks: 4, backfilling: false });
    expect(await untils(s)).toEqual({ '5m': D2, '1h': D2 });
    expect(await buildClosedDayTierBlocks(deps, D3 + GATHER_AFTER_MS)).toEqual({ days: 2, blocks: 4, backfilling: false });
    expect(await untils(s)).toEqual({ '5m': D3, '1h': D3 });
    // 12-01 from 20:00: 48 five-minute and 4 hourly buckets; 12-02 all 288 and 24; 12-03 not closed.
    expect(await blocks()).toEqual([
      ['1h', ids[0], 0, 4],
      ['1h', ids[0], DAY, 24],
      ['1h', ids[1], 0, 4],
      ['1h', ids[1], DAY, 24],
      ['5m', ids[0], 0, 48],
      ['5m', ids[0], DAY, 288],
      ['5m', ids[1], 0, 48],
      ['5m', ids[1], DAY, 288],
    ]);
    for (const tier of TIERS) {
      for (const id of ids) {
        for (const day of [D1, D2]) {
          const stored = await s.db.selectFrom('tier_blocks').select('data').where('cluster_id', '=', id).where('tier', '=', tier.name).where('day_start', '=', day).executeTakeFirstOrThrow();
          const block = decodeTrendBlock(stored.data);
          const rows = await tierRowsBetween(s.db, tier.table, id, day, day + DAY, COLUMNS);
          expect(block.fields).toEqual(COLUMNS);
          expect([...block.offsets].map((o) => day + o)).toEqual(rows.map((r) => Number(r.bucket_start)));
          const decoded = COLUMNS.map((c) => rows.map((_, i) => columnValue(block.column(c)!, i)));
          const expected = COLUMNS.map((c) => rows.map((r) => ((r as Record<string, unknown>)[c] === null ? null : Number((r as Record<string, unknown>)[c]))));
          expect(decoded).toEqual(expected);
        }
      }
    }
    // The hour without load_running is a bucket whose count is 0, and the block says so.
    const hourly = await s.db.selectFrom('tier_blocks').select('data').where('cluster_id', '=', ids[0]!).where('tier', '=', '1h').where('day_start', '=', D2).executeTakeFirstOrThrow();
    expect(columnValue(decodeTrendBlock(hourly.data).column('n_load_running')!, 3)).toBe(0);
  });

  it('go on after a restart from the day the meta key says, without building the earlier days again', async () => {
    const { storage: s, ids, deps, blocks } = await setUp();
    expect(await buildClosedDayTierBlocks(deps, D2 + GATHER_AFTER_MS)).toEqual({ days: 2, blocks: 4, backfilling: false });
    expect(await getMeta(s.db, tierBlocksUntilKey('5m'))).toBe(String(D2));
    // A block of 12-01 lost meanwhile is not built again: that day is done.
    await s.db.deleteFrom('tier_blocks').where('cluster_id', '=', ids[0]!).where('tier', '=', '5m').where('day_start', '=', D1).execute();
    expect(await buildClosedDayTierBlocks(deps, D3 + GATHER_AFTER_MS)).toEqual({ days: 2, blocks: 4, backfilling: false });
    expect(await buildClosedDayTierBlocks(deps, D3 + GATHER_AFTER_MS)).toEqual({ days: 0, blocks: 0, backfilling: false });
    expect((await blocks()).filter(([tier]) => tier === '5m').map(([, id, day]) => [id, day])).toEqual([
      [ids[0], DAY],
      [ids[1], 0],
      [ids[1], DAY],
    ]);
  });

  it('are built again, from the oldest bucket, when the columns change; read as packed only with the columns they hold', async () => {
    const { storage: s, deps } = await setUp();
    await buildClosedDayTierBlocks(deps, D3 + GATHER_AFTER_MS);
    const fewer = COLUMNS.filter((c) => !c.endsWith('_qps'));
    expect(await untils(s, fewer)).toEqual({ '5m': undefined, '1h': undefined });
    // The rebuild stopped before its first day: no day counts as packed with the new columns yet, nor with the old.
    const stopped = new AbortController();
    stopped.abort();
    await buildClosedDayTierBlocks({ ...deps, columns: fewer, signal: stopped.signal }, D3 + GATHER_AFTER_MS);
    expect(await untils(s, fewer)).toEqual({ '5m': D1, '1h': D1 });
    expect(await untils(s)).toEqual({ '5m': undefined, '1h': undefined });
    expect(await buildClosedDayTierBlocks({ ...deps, columns: fewer }, D3 + GATHER_AFTER_MS)).toEqual({ days: 4, blocks: 8, backfilling: false });
    expect(await untils(s, fewer)).toEqual({ '5m': D3, '1h': D3 });
    const stored = await s.db.selectFrom('tier_blocks').select('data').execute();
    expect(stored.map((b) => decodeTrendBlock(b.data).fields)).toEqual(stored.map(() => fewer));
  });

  it('are not built while the tiers’ back-fill has a cluster left: its days would lack the old snapshots', async () => {
    const { storage: s, ids, deps, blocks } = await setUp();
    await s.db.insertInto('tier_backfill').values({ cluster_id: ids[1]!, before: D1, done_until: D1 - DAY }).execute();
    expect(await buildClosedDayTierBlocks(deps, D3 + GATHER_AFTER_MS)).toEqual({ days: 0, blocks: 0, backfilling: true });
    expect(await blocks()).toEqual([]);
    expect(await untils(s)).toEqual({ '5m': undefined, '1h': undefined });
    await s.db.deleteFrom('tier_backfill').execute();
    expect(await buildClosedDayTierBlocks(deps, D3 + GATHER_AFTER_MS)).toEqual({ days: 4, blocks: 8, backfilling: false });
  });

  it('stop between two batches when aborted, the next run going on from there, and start no earlier than the tier’s retention', async () => {
    const { storage: s, ids, deps, blocks } = await setUp();
    // Aborted as the first tier's second day begins (the third call: the first day's start, then each day's clusters).
    const aborted = new AbortController();
    let calls = 0;
    const clusterIds = () => {
      calls += 1;
      if (calls === 3) aborted.abort();
      return Promise.resolve(ids);
    };
    expect(await buildClosedDayTierBlocks({ ...deps, clusterIds, signal: aborted.signal }, D3 + GATHER_AFTER_MS)).toEqual({ days: 1, blocks: 2, backfilling: false });
    expect(await getMeta(s.db, tierBlocksUntilKey('5m'))).toBe(String(D2));
    expect(await buildClosedDayTierBlocks(deps, D3 + GATHER_AFTER_MS)).toEqual({ days: 3, blocks: 6, backfilling: false });
    expect(await blocks()).toHaveLength(8);

    // Another database, 5-minute buckets kept one day: at 00:10 on 12-03 that tier starts at 12-02 (the day holding its cutoff), the hourly one at 12-01.
    await s.db.deleteFrom('tier_blocks').execute();
    await s.db.deleteFrom('stellar_meta').where('key', 'like', 'tier_blocks_%').execute();
    const retentionDays: Record<TierName, number> = { '5m': 1, '1h': 30 };
    expect(await buildClosedDayTierBlocks({ ...deps, retentionDays }, D3 + GATHER_AFTER_MS)).toEqual({ days: 3, blocks: 6, backfilling: false });
    expect((await blocks()).map(([tier, , day]) => [tier, day])).toEqual([
      ['1h', 0],
      ['1h', DAY],
      ['1h', 0],
      ['1h', DAY],
      ['5m', DAY],
      ['5m', DAY],
    ]);
  });

  it('go with the days wholly before their tier’s cutoff; the day straddling it keeps its block', async () => {
    const { storage: s, ids, deps, blocks } = await setUp();
    await buildClosedDayTierBlocks(deps, D3 + GATHER_AFTER_MS);
    // At noon on 12-03, 5-minute buckets kept a day: 12-01 is wholly before the cutoff (noon on 12-02), 12-02 straddles it. Hourly ones are kept 30 days.
    const now = D3 + 12 * HOUR;
    await backfillDailyRollups(s.db, ids, 'UTC', now);
    const deleted = await applyRetention(s.db, ids, now, { retentionDays: 30, retention5mDays: 1, retention1hDays: 30, timeZone: 'UTC', dailyRetentionDays: 30, sleep: async () => {}, batchSize: 1 });
    expect(deleted.tierBlocks).toBe(2);
    expect((await blocks()).map(([tier, id, day]) => [tier, id, day])).toEqual([
      ['1h', ids[0], 0],
      ['1h', ids[0], DAY],
      ['1h', ids[1], 0],
      ['1h', ids[1], DAY],
      ['5m', ids[0], DAY],
      ['5m', ids[1], DAY],
    ]);
    // Hourly buckets kept one day: the 12-01 hourly blocks go too.
    expect((await applyRetention(s.db, ids, now, { retentionDays: 30, retention5mDays: 1, retention1hDays: 1, timeZone: 'UTC', dailyRetentionDays: 30, sleep: async () => {} })).tierBlocks).toBe(2);
    expect((await blocks()).map(([tier, , day]) => [tier, day])).toEqual([
      ['1h', DAY],
      ['1h', DAY],
      ['5m', DAY],
      ['5m', DAY],
    ]);
  });
});
