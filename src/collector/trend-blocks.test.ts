/**
 * Trend blocks, built and read, on every dialect: a window read through blocks adds up to what
 * its raw rows give (any width, any edges, hours without a block, blocks of an older field
 * list); blocks are built only for closed hours, once, resumed after a restart, rebuilt when
 * the fields change, not for hours past retention, and deleted with the raw rows.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { DIALECTS } from '../../test/helpers/dialects.js';
import { clusterFields, randomSecretBox } from '../../test/helpers/factories.js';
import { writeSnapshots } from '../../test/helpers/write-snapshots.js';
import { rawWindowGroups } from '../api/overview/raw-window-groups.js';
import type { RawBucketSums } from '../storage/trend-block-sums.js';
import { RAW_TREND_COLUMNS } from '../api/overview/trend-series.js';
import { ClusterRegistry } from '../registry/cluster-registry.js';
import type { Storage } from '../storage/dialect/dialect.js';
import { migrateToLatest } from '../storage/migrate.js';
import { getMeta } from '../storage/repos/meta.repo.js';
import { snapshotRowsBetween } from '../storage/repos/snapshots.repo.js';
import { applyRetention } from './retention.js';
import { BLOCKS_UNTIL_KEY, buildClosedHourBlocks, nextBlocksAt, packedUntil, type TrendBlockDeps } from './trend-blocks.js';
import { GATHER_AFTER_MS } from './raw-gathering.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const T0 = Date.UTC(2026, 11, 1, 8);
const STEP = 30_000;
const FIELDS = RAW_TREND_COLUMNS;

let storage: Storage | null = null;
afterEach(async () => {
  await storage?.close();
  storage = null;
});

/** What the raw rows give per bucket: samples, reachable, and per field sum, count and maximum (null when none). */
async function expectedBuckets(s: Storage, clusterId: number, from: number, to: number, width: number) {
  const buckets = new Map<number, { samples: number; reachable: number; fields: Record<string, { sum: number; n: number; max: number | null }> }>();
  for (const row of await snapshotRowsBetween(s.db, clusterId, from, to)) {
    const start = Math.floor(row.collected_at / width) * width;
    let bucket = buckets.get(start);
    if (!bucket) buckets.set(start, (bucket = { samples: 0, reachable: 0, fields: Object.fromEntries(FIELDS.map((f) => [f, { sum: 0, n: 0, max: null }])) }));
    bucket.samples += 1;
    if (row.collect_status === 'ok' || row.collect_status === 'partial') bucket.reachable += 1;
    for (const f of FIELDS) {
      const v = (row as Record<string, unknown>)[f];
      if (v === null || v === undefined) continue;
      const figure = bucket.fields[f]!;
      figure.sum += Number(v);
      figure.n += 1;
      figure.max = figure.max === null ? Number(v) : Math.max(figure.max, Number(v));
    }
  }
  return [...buckets].sort((a, b) => a[0] - b[0]);
}

function asBuckets(sums: RawBucketSums) {
  return sums.buckets().map(([start, s]) => [
    start,
    {
      samples: s[0],
      reachable: s[1],
      fields: Object.fromEntries(sums.columns.map((f, i) => [f, { sum: s[2 + 3 * i]!, n: s[3 + 3 * i]!, max: s[3 + 3 * i]! > 0 ? s[4 + 3 * i]! : null }])),
    },
  ]);
}

/** Sums compared to 12 significant digits (the engines and JavaScript may add floats in different ways), the rest exactly. */
function expectSameBuckets(actual: ReturnType<typeof asBuckets>, expected: Awaited<ReturnType<typeof expectedBuckets>>) {
  expect(actual.map(([start]) => start)).toEqual(expected.map(([start]) => start));
  actual.forEach(([, a], i) => {
    const e = expected[i]![1];
    const got = a as typeof e;
    expect({ samples: got.samples, reachable: got.reachable }).toEqual({ samples: e.samples, reachable: e.reachable });
    for (const f of FIELDS) {
      expect({ n: got.fields[f]!.n, max: got.fields[f]!.max }, f).toEqual({ n: e.fields[f]!.n, max: e.fields[f]!.max });
      expect(got.fields[f]!.sum).toBeCloseTo(e.fields[f]!.sum, 6);
    }
  });
}

describe('nextBlocksAt', () => {
  it('is the end of the next hour plus the wait for its last collections', () => {
    expect(nextBlocksAt(T0 + 30 * 60_000)).toBe(T0 + HOUR + GATHER_AFTER_MS);
  });
});

describe.each(DIALECTS)('trend blocks on $name', (dialect) => {
  /** Two clusters, `hours` hours of rows from T0 at 30 s: floats, integers, nulls, failed collections. */
  async function setUp(hours: number) {
    storage = await dialect.open();
    await migrateToLatest(storage);
    const registry = new ClusterRegistry({ db: storage.db, dialect: storage.dialect, secrets: randomSecretBox(), now: () => T0 });
    const ids = [(await registry.create(clusterFields({ name: 'a' }))).id, (await registry.create(clusterFields({ name: 'b' }))).id];
    const rows = [];
    for (let at = T0, i = 0; at < T0 + hours * HOUR; at += STEP, i += 1) {
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
          load_running: i % 3 === 0 ? null : i % 7,
          query_errors: failed ? null : i % 2,
        });
      }
    }
    await writeSnapshots(storage, rows);
    const deps: TrendBlockDeps = { db: storage.db, reader: storage.reader, fields: FIELDS, clusterIds: () => Promise.resolve(ids), retentionDays: 7 };
    return { storage, ids, deps };
  }

  it('read a window as its raw rows give it: any bucket width, edges inside hours, the last hours from raw rows', async () => {
    const { storage: s, ids, deps } = await setUp(5);
    // At 12:20 the hours 08–12 are closed and built; 12:00–12:20 is read from raw rows.
    const built = await buildClosedHourBlocks(deps, T0 + 4 * HOUR + 20 * 60_000);
    expect(built).toEqual({ hours: 4, blocks: 8 });
    for (const [from, to, width] of [
      [T0, T0 + 5 * HOUR, 120_000],
      [T0 + 17 * 60_000 + 30_000, T0 + 4 * HOUR + 41 * 60_000, 7 * 60_000],
      [T0 + 3 * HOUR + 5 * 60_000, T0 + 5 * HOUR, 30_000],
      [T0 - HOUR, T0 + 2 * HOUR, HOUR],
    ] as const) {
      expectSameBuckets(asBuckets(await rawWindowGroups(s.reader, ids[1]!, from, to, width, FIELDS, await packedUntil(s.db, FIELDS))), await expectedBuckets(s, ids[1]!, from, to, width));
    }
  });

  it('read an hour from raw rows when its block lacks a field (built before the field joined the trends)', async () => {
    const { storage: s, ids, deps } = await setUp(3);
    const fewer = FIELDS.filter((f) => f !== 'qps');
    await buildClosedHourBlocks({ ...deps, fields: fewer }, T0 + 3 * HOUR + GATHER_AFTER_MS);
    // Packed as far as the blocks' own fields go, but not holding qps.
    const packed = await packedUntil(s.db, fewer);
    expect(packed).toBe(T0 + 3 * HOUR);
    expectSameBuckets(asBuckets(await rawWindowGroups(s.reader, ids[0]!, T0, T0 + 3 * HOUR, 300_000, FIELDS, packed)), await expectedBuckets(s, ids[0]!, T0, T0 + 3 * HOUR, 300_000));
  });

  it('read an hour from raw rows when it has no block though packed (rows written after its hour was built)', async () => {
    const { storage: s, ids, deps } = await setUp(3);
    await buildClosedHourBlocks(deps, T0 + 3 * HOUR + GATHER_AFTER_MS);
    await s.db.deleteFrom('trend_blocks').where('cluster_id', '=', ids[0]!).where('hour_start', '=', T0 + HOUR).execute();
    const packed = await packedUntil(s.db, FIELDS);
    expectSameBuckets(asBuckets(await rawWindowGroups(s.reader, ids[0]!, T0 + 20 * 60_000, T0 + 3 * HOUR, 600_000, FIELDS, packed)), await expectedBuckets(s, ids[0]!, T0 + 20 * 60_000, T0 + 3 * HOUR, 600_000));
  });

  it('are built for closed hours only, once, resumed after a restart, and again when the fields change, read as packed only up to where they are', async () => {
    const { storage: s, deps } = await setUp(4);
    // 09:05: 08–09 is closed but its last collections may still be on their way.
    expect(await buildClosedHourBlocks(deps, T0 + HOUR + 5 * 60_000)).toEqual({ hours: 0, blocks: 0 });
    expect(await buildClosedHourBlocks(deps, T0 + HOUR + GATHER_AFTER_MS)).toEqual({ hours: 1, blocks: 2 });
    expect(await getMeta(s.db, BLOCKS_UNTIL_KEY)).toBe(String(T0 + HOUR));
    // A restart (a new run of the job) goes on from there.
    expect(await buildClosedHourBlocks(deps, T0 + 3 * HOUR + GATHER_AFTER_MS)).toEqual({ hours: 2, blocks: 4 });
    expect(await buildClosedHourBlocks(deps, T0 + 3 * HOUR + GATHER_AFTER_MS)).toEqual({ hours: 0, blocks: 0 });
    // What readers take as packed: every hour before 11:00, with these fields and no others.
    expect(await packedUntil(s.db, ['qps'])).toBe(T0 + 3 * HOUR);
    expect(await packedUntil(s.db, [...FIELDS, 'not_packed'])).toBeUndefined();
    // Other fields, the rebuild stopped before its first hour: no hour counts as packed with them yet.
    const stopped = new AbortController();
    stopped.abort();
    await buildClosedHourBlocks({ ...deps, fields: ['qps'], signal: stopped.signal }, T0 + 3 * HOUR + GATHER_AFTER_MS);
    expect(await packedUntil(s.db, ['qps'])).toBe(T0);
    // Other fields: every hour is built again, from the oldest row.
    expect(await buildClosedHourBlocks({ ...deps, fields: ['qps'] }, T0 + 3 * HOUR + GATHER_AFTER_MS)).toEqual({ hours: 3, blocks: 6 });
    const stored = await s.db.selectFrom('trend_blocks').select(['cluster_id', 'hour_start', 'samples']).orderBy('cluster_id').orderBy('hour_start').execute();
    expect(stored.map((b) => [b.hour_start - T0, b.samples])).toEqual([0, 1, 2, 0, 1, 2].map((h) => [h * HOUR, 120]));
  });

  it('stop between two batches when aborted, and start no earlier than retention', async () => {
    const { deps } = await setUp(2);
    const aborted = new AbortController();
    aborted.abort();
    expect(await buildClosedHourBlocks({ ...deps, signal: aborted.signal }, T0 + 2 * HOUR + GATHER_AFTER_MS)).toEqual({ hours: 0, blocks: 0 });
    // Ten days later the rows are past a 7-day retention: the job walks the retention's closed hours (7 days less the open one), and builds nothing.
    expect(await buildClosedHourBlocks(deps, T0 + 10 * DAY)).toEqual({ hours: 7 * 24 - 1, blocks: 0 });
  });

  it('go with the raw rows past retention, hour by hour', async () => {
    const { storage: s, ids, deps } = await setUp(3);
    await buildClosedHourBlocks(deps, T0 + 3 * HOUR + GATHER_AFTER_MS);
    // Retention 1 day, at 1 day and 90 min after T0: rows before 09:30 go, and the 08:00 block with them; 09:00 still holds live rows.
    const deleted = await applyRetention(s.db, ids, T0 + DAY + 90 * 60_000, { retentionDays: 1, retention5mDays: 30, retention1hDays: 30, timeZone: 'UTC', dailyRetentionDays: 30, sleep: async () => {} });
    expect(deleted.blocks).toBe(2);
    const left = await s.db.selectFrom('trend_blocks').select('hour_start').where('cluster_id', '=', ids[0]!).orderBy('hour_start').execute();
    expect(left.map((b) => b.hour_start - T0)).toEqual([HOUR, 2 * HOUR]);
  });
});
