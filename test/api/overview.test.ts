/** GET /api/clusters/overview and /api/clusters/:id/overview on a real database. */
import { afterEach, describe, expect, it } from 'vitest';
import type { ClusterJson } from '../../src/shared/api/clusters.js';
import type { ErrorJson } from '../../src/shared/api/common.js';
import type { ClusterOverviewJson } from '../../src/shared/api/overview.js';
import { writeCollectionStates } from '../../src/storage/repos/collection-state.repo.js';
import { upsertClusterNodes } from '../../src/storage/repos/nodes.repo.js';
import { clusterBody } from '../helpers/factories.js';
import { DEFAULT_METRICS_SETTINGS } from '../../src/api/stored-data-deps.js';
import { createTestApp, type TestApp, type TestAppOptions } from '../helpers/test-app.js';
import { RAW_TREND_COLUMNS, TIER_TREND_COLUMNS } from '../../src/api/overview/trend-series.js';
import { buildClosedHourBlocks } from '../../src/collector/trend-blocks.js';
import { buildClosedDayTierBlocks } from '../../src/collector/tier-blocks.js';
import { failedRow, insertDay, insertRows, snapshotRow } from './snapshot-rows.js';
import { trendPoints } from '../helpers/trend-points.js';

const NOW = Date.UTC(2026, 10, 24, 12, 0, 0);
const S = 1000;
const MIN = 60 * S;

let t: TestApp;
afterEach(async () => {
  await t.close();
});

async function start(options: TestAppOptions = {}): Promise<ClusterJson> {
  t = await createTestApp(options);
  const response = await t.app.inject({ method: 'POST', url: '/api/clusters', headers: { authorization: t.auth }, payload: clusterBody({ name: 'prod-eu', tags: ['prod'] }) });
  return response.json<ClusterJson>();
}

function get(url: string) {
  return t.app.inject({ method: 'GET', url, headers: { authorization: t.auth } });
}

async function overview(query: string): Promise<ClusterOverviewJson> {
  const response = await get(`/api/clusters/overview?${query}`);
  expect(response.statusCode, response.body).toBe(200);
  return response.json<ClusterOverviewJson>();
}

async function badRequest(url: string): Promise<ErrorJson> {
  const response = await get(url);
  expect(response.statusCode, response.body).toBe(400);
  const body = response.json<ErrorJson>();
  expect(body.code).toBe('STELLAR_ERR_VALIDATION');
  return body;
}

describe('a cluster without any snapshot', () => {
  it('answers 200 with latest_snapshot null, empty trends and a pending status', async () => {
    const cluster = await start();
    const body = await overview(`cluster_id=${cluster.id}`);
    expect(body).toMatchObject({
      cluster_id: cluster.id,
      cluster_name: 'prod-eu',
      timestamp: new Date(NOW).toISOString(),
      collect_status: 'pending',
      status_message: expect.stringContaining('collection pending'),
      version: null,
      engine: 'starrocks',
      deployment_mode: 'shared_nothing',
      tags: ['prod'],
      collection: null,
      health: { status: 'pending', score: null, reasons: [] },
      window: { from: new Date(NOW - 60 * MIN).toISOString(), to: new Date(NOW).toISOString(), time_range: '1h', resolution: 'raw', bucket_seconds: 30, max_points: 720 },
      latest_snapshot: null,
      trend_timestamps: [],
    });
    for (const group of [body.performance_trends, body.resource_trends, body.workload_trends]) {
      for (const series of Object.values(group)) expect(series).toEqual([]);
    }
    expect(Object.keys(body.performance_trends).sort()).toEqual(['latency_p50', 'latency_p95', 'latency_p99', 'qps', 'query_error_pct', 'rps']);
    expect(Object.keys(body.resource_trends).sort()).toEqual(['cpu_usage', 'disk_usage', 'io_read', 'io_write', 'jvm_heap_usage', 'memory_usage', 'network_rx', 'network_tx']);
    expect(body.statistics).toMatchObject({ availability_pct: null, samples: 0, performance_trends: { qps: { last: null, mean: null, max: null } } });
  });

  it('says where the first collection stands, as the collecting process stored it', async () => {
    const cluster = await start();
    const first = { lastStatus: null, consecutiveFailures: 0, lastAttemptAt: null, lastSuccessAt: null, lastDurationMs: null, lastError: null, nextAttemptAt: NOW + 5000, running: true, lagMs: 0, intervalMs: 30_000 };
    await writeCollectionStates(t.storage.db, new Map([[cluster.id, first]]), NOW);
    const body = await overview(`cluster_id=${cluster.id}`);
    expect(body.collection).toEqual({
      status: 'pending',
      consecutive_failures: 0,
      last_attempt_at: null,
      last_success_at: null,
      last_duration_ms: null,
      last_error: null,
      next_attempt_at: new Date(NOW + 5000).toISOString(),
      running: true,
      lag_ms: 0,
      late: false,
    });
    expect(body.status_message).toBe('collection pending: the first collection is running');
  });
});

describe('raw resolution', () => {
  it('shows the latest snapshot with every field, and trends and statistics over the window', async () => {
    const cluster = await start();
    // An hour at 30 s; qps rises by one per collection.
    await insertRows(t.storage, Array.from({ length: 120 }, (_, i) => snapshotRow(cluster.id, NOW - 60 * MIN + i * 30 * S, { qps: i, avg_cpu_usage: i % 2 === 0 ? 20 : 40 })));
    await upsertClusterNodes(t.storage.db, cluster.id, { at: NOW - 30 * S, frontends: JSON.stringify([{ name: 'fe1', role: 'LEADER', alive: true, version: '3.3.5' }]), backends: null, computeNodes: null });
    const body = await overview(`cluster_id=${cluster.id}`);
    expect(body.collect_status).toBe('ok');
    expect(body.status_message).toBe(`collected at ${new Date(NOW - 30 * S).toISOString()}`);
    expect(body.version).toBe('3.3.5');
    expect(body.health).toEqual({ status: 'healthy', score: 100, reasons: [] });
    expect(body.latest_snapshot).toMatchObject({ collected_at: new Date(NOW - 30 * S).toISOString(), qps: 119, frontend_leader: 'fe1', failed_sources: [], collect_status: 'ok', backend_alive: 3 });
    expect(Object.keys(body.latest_snapshot ?? {})).toHaveLength(95);
    // No custom metric is defined here.
    expect([body.latest_snapshot?.custom, body.custom_trends, body.statistics.custom]).toEqual([{}, {}, {}]);
    // 120 collections fit in 720 buckets: one bucket per collection.
    expect(body.performance_trends.qps).toHaveLength(120);
    expect(trendPoints(body, body.performance_trends.qps)[0]).toEqual({ timestamp: new Date(NOW - 60 * MIN).toISOString(), value: 0 });
    expect(trendPoints(body, body.performance_trends.qps).at(-1)).toEqual({ timestamp: new Date(NOW - 30 * S).toISOString(), value: 119 });
    expect(body.performance_trends.latency_p99.every((v) => v === 80)).toBe(true);
    expect(body.statistics).toMatchObject({
      availability_pct: 100,
      samples: 120,
      performance_trends: { qps: { last: 119, mean: 59.5, max: 119 }, latency_p99: { last: 80, mean: 80, max: 80 } },
      resource_trends: { cpu_usage: { last: 40, mean: 30, max: 40 } },
    });
  });

  it('down-samples to max_points bucket averages', async () => {
    const cluster = await start();
    await insertRows(t.storage, Array.from({ length: 120 }, (_, i) => snapshotRow(cluster.id, NOW - 60 * MIN + i * 30 * S, { qps: i })));
    const body = await overview(`cluster_id=${cluster.id}&max_points=10`);
    expect(body.window).toMatchObject({ bucket_seconds: 360, max_points: 10 });
    expect(body.performance_trends.qps).toHaveLength(10);
    // Buckets of 6 minutes from 11:00: collections 0–11 average 5.5.
    expect(trendPoints(body, body.performance_trends.qps)[0]).toEqual({ timestamp: new Date(NOW - 60 * MIN).toISOString(), value: 5.5 });
    expect(body.statistics.samples).toBe(120);
    // The statistics are the raw rows', not the buckets': the highest bucket averages 113.5, the highest qps is 119.
    expect(body.performance_trends.qps.at(-1)).toBe(113.5);
    expect(body.statistics.performance_trends.qps).toEqual({ last: 119, mean: 59.5, max: 119 });
  });

  it('keeps gaps: no point where nothing was collected, null where the collection failed', async () => {
    const cluster = await start();
    await insertRows(t.storage, [
      snapshotRow(cluster.id, NOW - 10 * MIN, { qps: 5 }),
      failedRow(cluster.id, NOW - 9 * MIN),
      snapshotRow(cluster.id, NOW - 5 * MIN, { qps: 7, network_send_rate: null }),
    ]);
    const body = await overview(`cluster_id=${cluster.id}&time_range=15m`);
    expect(trendPoints(body, body.performance_trends.qps)).toEqual([
      { timestamp: new Date(NOW - 10 * MIN).toISOString(), value: 5 },
      { timestamp: new Date(NOW - 9 * MIN).toISOString(), value: null },
      { timestamp: new Date(NOW - 5 * MIN).toISOString(), value: 7 },
    ]);
    expect(body.resource_trends.network_tx).toEqual([null, null, null]);
    expect(body.statistics.availability_pct).toBeCloseTo(200 / 3, 9);
  });

  it('answers a custom window given as ISO 8601 or epoch ms', async () => {
    const cluster = await start();
    await insertRows(t.storage, [snapshotRow(cluster.id, NOW - 3 * 60 * MIN, { qps: 1 }), snapshotRow(cluster.id, NOW - 30 * MIN, { qps: 2 })]);
    const iso = await overview(`cluster_id=${cluster.id}&from=${new Date(NOW - 4 * 60 * MIN).toISOString()}&to=${new Date(NOW - 2 * 60 * MIN).toISOString()}`);
    expect(iso.window).toMatchObject({ time_range: 'custom', resolution: 'raw', from: new Date(NOW - 4 * 60 * MIN).toISOString() });
    expect(iso.performance_trends.qps).toEqual([1]);
    const epoch = await overview(`cluster_id=${cluster.id}&from=${NOW - 4 * 60 * MIN}&to=${NOW - 2 * 60 * MIN}`);
    expect(epoch.performance_trends).toEqual(iso.performance_trends);
    // The latest snapshot is the latest, whatever the window.
    expect(iso.latest_snapshot?.qps).toBe(2);
  });

  it('is the same at /api/clusters/:id/overview', async () => {
    const cluster = await start();
    await insertRows(t.storage, [snapshotRow(cluster.id, NOW - MIN)]);
    const byQuery = await overview(`cluster_id=${cluster.id}&time_range=6h`);
    const response = await get(`/api/clusters/${cluster.id}/overview?time_range=6h`);
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual(byQuery);
  });

  it('reports the health reasons and the failures of the latest collection', async () => {
    const cluster = await start();
    await insertRows(t.storage, [
      snapshotRow(cluster.id, NOW - MIN, {
        collect_status: 'partial',
        failed_sources: JSON.stringify([{ source: 'backends', kind: 'timeout', message: 'no answer in 10 s' }]),
        backend_alive: null,
        backend_total: null,
        frontend_alive: 2,
      }),
    ]);
    const body = await overview(`cluster_id=${cluster.id}`);
    expect(body.collect_status).toBe('partial');
    expect(body.status_message).toContain('backends: timeout');
    expect(body.health.status).toBe('warning');
    expect(body.health.reasons.map((r) => r.code)).toEqual(['collection_partial', 'frontend_down']);
    expect(body.latest_snapshot?.failed_sources).toEqual([{ source: 'backends', kind: 'timeout', message: 'no answer in 10 s' }]);
  });
});

describe('daily resolution', () => {
  it('answers windows past the raw retention from the daily roll-ups, one bucket per day', async () => {
    const cluster = await start({ metrics: { intervalSecs: 30, retentionDays: 7, retention5mDays: 7, retention1hDays: 7, rollupTimeZone: 'Asia/Shanghai', sources: new Set() } });
    // Raw rows exist too, but a 30-day window reaches past every 7-day retention.
    await insertRows(t.storage, [snapshotRow(cluster.id, NOW - MIN, { qps: 999 })]);
    await insertDay(t.storage, cluster.id, '2026-11-01', { avg_qps: 10, max_qps: 20, samples: 2880, reachable_samples: 2880, total_txn_begin: 5760, avg_avg_cpu_usage: 30 });
    await insertDay(t.storage, cluster.id, '2026-11-02', { avg_qps: 40, max_qps: 90, samples: 2880, reachable_samples: 1440, total_txn_begin: null, avg_avg_cpu_usage: null });
    const body = await overview(`cluster_id=${cluster.id}&time_range=30d`);
    expect(body.window).toMatchObject({ time_range: '30d', resolution: 'daily', bucket_seconds: 86_400 });
    // Days are those of the roll-up zone: 2026-11-01 starts at 16:00 UTC the day before in Shanghai.
    expect(trendPoints(body, body.performance_trends.qps)).toEqual([
      { timestamp: '2026-10-31T16:00:00.000Z', value: 10 },
      { timestamp: '2026-11-01T16:00:00.000Z', value: 40 },
    ]);
    // Deltas are shown per collection, as at raw resolution: 5760 transactions over 2880 collections.
    expect(body.workload_trends.txn_begin).toEqual([2, null]);
    expect(body.resource_trends.cpu_usage).toEqual([30, null]);
    // Figures the roll-up does not keep are null points, not missing days.
    expect(body.performance_trends.latency_p50).toEqual([null, null]);
    expect(body.statistics).toMatchObject({ availability_pct: 75, samples: 5760 });
    expect(body.statistics.performance_trends.qps).toEqual({ last: 40, mean: 20, max: 90 });
    // The roll-up keeps no maximum of the per-collection deltas: no max rather than an understated one.
    expect(body.statistics.workload_trends.txn_begin).toEqual({ last: 2, mean: 2, max: null });
    expect(body.latest_snapshot?.qps).toBe(999);
  });

  it('groups days when there are more days than max_points', async () => {
    const cluster = await start({ metrics: { ...DEFAULT_METRICS_SETTINGS, retention1hDays: 7 } });
    for (let d = 1; d <= 28; d += 1) await insertDay(t.storage, cluster.id, `2026-11-${String(d).padStart(2, '0')}`, { avg_qps: d, samples: 10, reachable_samples: 10 });
    const body = await overview(`cluster_id=${cluster.id}&time_range=30d&max_points=5`);
    expect(body.window.bucket_seconds % 86_400).toBe(0);
    expect(body.performance_trends.qps.length).toBeLessThanOrEqual(5);
    const values = body.performance_trends.qps.map((v) => v ?? 0);
    expect(values).toEqual([...values].sort((a, b) => a - b));
  });

  it('reads the coarsest tier that still gives max_points points: hours for 30 days, 5 minutes for 7', async () => {
    const cluster = await start({ metrics: { ...DEFAULT_METRICS_SETTINGS, retentionDays: 30 } });
    expect((await overview(`cluster_id=${cluster.id}&time_range=30d`)).window).toMatchObject({ resolution: '1h', bucket_seconds: 3600 });
    expect((await overview(`cluster_id=${cluster.id}&time_range=7d`)).window).toMatchObject({ resolution: '5m', bucket_seconds: 900 });
    expect((await overview(`cluster_id=${cluster.id}&time_range=24h`)).window).toMatchObject({ resolution: 'raw', bucket_seconds: 120 });
    expect((await overview(`cluster_id=${cluster.id}&time_range=24h&max_points=96`)).window).toMatchObject({ resolution: '5m', bucket_seconds: 900 });
    // An hour in 10 points: 6-minute buckets, which 5-minute ones cannot make.
    expect((await overview(`cluster_id=${cluster.id}&time_range=1h&max_points=10`)).window).toMatchObject({ resolution: 'raw', bucket_seconds: 360 });
  });
});

describe('tier resolution', () => {
  // Two days of collections every 30 s, some failed, qps and errors moving: the truth is computed from the rows themselves.
  const START = NOW - 2 * 24 * 60 * MIN + 17 * S;
  const rows = (id: number) =>
    Array.from({ length: 2 * 24 * 120 }, (_, i) => {
      const at = START + i * 30 * S;
      if (i % 97 === 5) return failedRow(id, at);
      return snapshotRow(id, at, { qps: 50 + (i % 300), query_errors: i % 7, queries: 100 + (i % 11), avg_cpu_usage: (i * 37) % 100 });
    });

  it('gives the window’s exact statistics from tier buckets and raw edges, and trends of the buckets', async () => {
    const cluster = await start();
    const stored = rows(cluster.id);
    await insertRows(t.storage, stored);
    const from = START + 3 * MIN + 11 * S;
    const to = NOW - 7 * MIN;
    const body = await overview(`cluster_id=${cluster.id}&from=${from}&to=${to}&max_points=192`);
    expect(body.window).toMatchObject({ resolution: '5m', bucket_seconds: 900 });
    const inWindow = stored.filter((r) => r.collected_at >= from && r.collected_at < to);
    const values = (f: 'qps' | 'avg_cpu_usage') => inWindow.map((r) => r[f]).filter((v): v is number => typeof v === 'number');
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    expect(body.statistics.samples).toBe(inWindow.length);
    expect(body.statistics.availability_pct).toBeCloseTo((inWindow.filter((r) => r.collect_status !== 'failed').length / inWindow.length) * 100, 9);
    expect(body.statistics.performance_trends.qps.mean).toBeCloseTo(mean(values('qps')), 9);
    expect(body.statistics.performance_trends.qps.max).toBe(Math.max(...values('qps')));
    expect(body.statistics.performance_trends.qps.last).toBe(values('qps').at(-1));
    expect(body.statistics.resource_trends.cpu_usage.mean).toBeCloseTo(mean(values('avg_cpu_usage')), 9);
    // The share of failed queries is the window's errors ÷ its queries, not a mean of shares.
    const sum = (f: 'query_errors' | 'queries') => inWindow.reduce((total, r) => total + (typeof r[f] === 'number' ? (r[f]) : 0), 0);
    expect(body.statistics.performance_trends.query_error_pct.mean).toBeCloseTo((sum('query_errors') / sum('queries')) * 100, 9);
    // A trend point is its bucket's mean, from the tier.
    const bucket = 900_000;
    const first = trendPoints(body, body.performance_trends.qps)[1]!;
    const at = Date.parse(first.timestamp);
    const inBucket = stored.filter((r) => r.collected_at >= at && r.collected_at < at + bucket).map((r) => r.qps).filter((v): v is number => typeof v === 'number');
    expect(first.value).toBeCloseTo(mean(inBucket), 9);
  });

  it('answers the same statistics from the tier alone once the raw rows are gone, to the buckets’ edges', async () => {
    const cluster = await start({ metrics: { ...DEFAULT_METRICS_SETTINGS, retentionDays: 1 } });
    const stored = rows(cluster.id);
    await insertRows(t.storage, stored);
    await t.storage.db.deleteFrom('metrics_snapshots').where('collected_at', '<', NOW - 24 * 60 * MIN).execute();
    // An old window on 5-minute boundaries: whole buckets, so the tier alone is exact.
    const from = Math.ceil(START / 300_000) * 300_000 + 300_000;
    const to = from + 6 * 60 * MIN;
    const body = await overview(`cluster_id=${cluster.id}&from=${from}&to=${to}`);
    expect(body.window.resolution).toBe('5m');
    const inWindow = stored.filter((r) => r.collected_at >= from && r.collected_at < to);
    const qps = inWindow.map((r) => r.qps).filter((v): v is number => typeof v === 'number');
    expect(body.statistics.samples).toBe(inWindow.length);
    expect(body.statistics.performance_trends.qps.mean).toBeCloseTo(qps.reduce((a, b) => a + b, 0) / qps.length, 9);
    expect(body.statistics.performance_trends.qps.max).toBe(Math.max(...qps));
  });
});

describe('trend blocks', () => {
  /** Every number rounded to 10 significant digits: sums of floats may differ in their last bits by the order they are added in. */
  const rounded = (body: ClusterOverviewJson) => JSON.parse(JSON.stringify(body), (_key, value: unknown) => (typeof value === 'number' ? Number(value.toPrecision(10)) : value)) as unknown;

  it('give the same overview as the raw rows: a day, an hour, a tier’s edges; and answer for the 5-minute tier with its figures', async () => {
    const cluster = await start();
    // A day and a half every 30 s, some failed, figures moving.
    const first = NOW - 36 * 60 * MIN + 13 * S;
    await insertRows(
      t.storage,
      Array.from({ length: 36 * 120 }, (_, i) => {
        const at = first + i * 30 * S;
        if (i % 89 === 3) return failedRow(cluster.id, at);
        return snapshotRow(cluster.id, at, { qps: 50 + Math.sin(i / 40) * 20, query_errors: i % 7, queries: 100 + (i % 11), avg_cpu_usage: (i * 37) % 100, query_latency_p99: 90 + (i % 17) * 0.7 });
      }),
    );
    const queries = [`time_range=24h&max_points=720`, `time_range=1h`, `from=${NOW - 30 * 60 * MIN - 7 * S}&to=${NOW - 3 * MIN}&max_points=30`];
    const tierWindow = `from=${NOW - 25 * 60 * MIN - 7 * S}&to=${NOW - 3 * MIN}&max_points=301`;
    const before = await Promise.all([...queries, tierWindow].map((q) => overview(`cluster_id=${cluster.id}&${q}`)));
    // The third reads the hourly tier inside the window and raw rows (through blocks) at its edges.
    expect(before.map((b) => b.window.resolution)).toEqual(['raw', 'raw', '1h', '5m']);
    const built = await buildClosedHourBlocks({ db: t.storage.db, reader: t.storage.reader, fields: RAW_TREND_COLUMNS, clusterIds: () => Promise.resolve([cluster.id]), retentionDays: 7 }, NOW);
    expect(built.blocks).toBeGreaterThanOrEqual(35);
    const after = await Promise.all([...queries, tierWindow].map((q) => overview(`cluster_id=${cluster.id}&${q}`)));
    queries.forEach((query, i) => expect(rounded(after[i]!), query).toEqual(rounded(before[i]!)));
    // Packed raw rows answer what the 5-minute tier did, with the same buckets and figures.
    const [fromTier, fromBlocks] = [before[3]!, after[3]!];
    expect(fromBlocks.window).toEqual({ ...fromTier.window, resolution: 'raw' });
    for (const trends of ['trend_timestamps', 'performance_trends', 'resource_trends', 'workload_trends'] as const) expect(rounded(fromBlocks)).toHaveProperty(trends, (rounded(fromTier) as ClusterOverviewJson)[trends]);
  });
});

describe('tier blocks', () => {
  const rounded = (body: ClusterOverviewJson) => JSON.parse(JSON.stringify(body), (_key, value: unknown) => (typeof value === 'number' ? Number(value.toPrecision(10)) : value)) as unknown;

  it('give the same overview as the tier rows they pack: a week, a month, ragged windows, old windows past the raw rows', async () => {
    const cluster = await start({ metrics: { ...DEFAULT_METRICS_SETTINGS, retentionDays: 2 } });
    // Four and a half days every minute, some failed, figures moving; the raw rows older than two days then deleted, as retention does.
    const first = NOW - 4.5 * 24 * 60 * MIN + 17 * S;
    await insertRows(
      t.storage,
      Array.from({ length: 4.5 * 24 * 60 }, (_, i) => {
        const at = first + i * MIN;
        if (i % 97 === 5) return failedRow(cluster.id, at);
        return snapshotRow(cluster.id, at, { qps: 50 + Math.sin(i / 40) * 20, query_errors: i % 7, queries: 100 + (i % 11), avg_cpu_usage: (i * 37) % 100, query_latency_p99: 90 + (i % 17) * 0.7, disk_usage_pct: 40 + (i % 29) / 3 });
      }),
    );
    await t.storage.db.deleteFrom('metrics_snapshots').where('collected_at', '<', NOW - 2 * 24 * 60 * MIN).execute();
    const queries = [
      'time_range=7d',
      'time_range=30d',
      `from=${NOW - 3 * 24 * 60 * MIN - 7 * MIN + 13 * S}&to=${NOW - 11 * MIN}&max_points=500`,
      `from=${NOW - 4 * 24 * 60 * MIN + 7 * MIN}&to=${NOW - 2.5 * 24 * 60 * MIN - 3 * MIN}&max_points=300`,
      `from=${NOW - 4 * 24 * 60 * MIN + 7 * MIN}&to=${NOW - 37 * MIN}&max_points=96`,
    ];
    const before = await Promise.all(queries.map((q) => overview(`cluster_id=${cluster.id}&${q}`)));
    expect(before.map((b) => b.window.resolution)).toEqual(['5m', '1h', '5m', '5m', '1h']);
    const built = await buildClosedDayTierBlocks({ db: t.storage.db, reader: t.storage.reader, columns: TIER_TREND_COLUMNS, clusterIds: () => Promise.resolve([cluster.id]), retentionDays: { '5m': 35, '1h': 400 } }, NOW);
    // Four closed days of each tier (from just after midnight on the first), not today.
    expect(built.blocks).toBe(8);
    const after = await Promise.all(queries.map((q) => overview(`cluster_id=${cluster.id}&${q}`)));
    queries.forEach((query, i) => expect(rounded(after[i]!), query).toEqual(rounded(before[i]!)));
    expect(before[0]!.trend_timestamps.length).toBeGreaterThan(300);
  });

  it('answer a week from the 5-minute tier once they reach its last day, where packed raw rows answered before', async () => {
    const cluster = await start();
    const first = NOW - 7 * 24 * 60 * MIN;
    await insertRows(t.storage, Array.from({ length: 7 * 24 * 12 }, (_, i) => snapshotRow(cluster.id, first + i * 5 * MIN, { qps: 10 + (i % 13) })));
    await buildClosedHourBlocks({ db: t.storage.db, reader: t.storage.reader, fields: RAW_TREND_COLUMNS, clusterIds: () => Promise.resolve([cluster.id]), retentionDays: 7 }, NOW);
    const packed = await overview(`cluster_id=${cluster.id}&time_range=7d`);
    expect(packed.window).toMatchObject({ resolution: 'raw', bucket_seconds: 840 });
    await buildClosedDayTierBlocks({ db: t.storage.db, reader: t.storage.reader, columns: TIER_TREND_COLUMNS, clusterIds: () => Promise.resolve([cluster.id]), retentionDays: { '5m': 35, '1h': 400 } }, NOW);
    const blocked = await overview(`cluster_id=${cluster.id}&time_range=7d`);
    expect(blocked.window).toMatchObject({ resolution: '5m', bucket_seconds: 900 });
    // The same collections, the same statistics, whichever table answered — but the maximum of a
    // per-interval count, which a tier does not keep: unknown, not the highest of the part read raw.
    const withoutMax = (body: ClusterOverviewJson) => JSON.parse(JSON.stringify(body.statistics), (key, value: unknown) => (key === 'max' ? undefined : typeof value === 'number' ? Number(value.toPrecision(10)) : value)) as unknown;
    expect(withoutMax(blocked)).toEqual(withoutMax(packed));
    expect(blocked.statistics.performance_trends.qps.max).toBe(packed.statistics.performance_trends.qps.max);
    expect(packed.statistics.workload_trends.txn_begin.max).not.toBeNull();
    expect(blocked.statistics.workload_trends.txn_begin.max).toBeNull();
  });
});

describe('parameter errors', () => {
  it('needs cluster_id, a known cluster and a positive id', async () => {
    await start();
    expect((await badRequest('/api/clusters/overview')).details).toEqual([{ field: 'cluster_id', message: 'is required' }]);
    expect((await badRequest('/api/clusters/overview?cluster_id=abc')).details).toEqual([{ field: 'cluster_id', message: 'must be a positive whole number' }]);
    expect((await badRequest('/api/clusters/overview?cluster_id=1&cluster_id=2')).details?.[0]?.field).toBe('cluster_id');
    expect((await badRequest('/api/clusters/0/overview')).details?.[0]?.field).toBe('id');
    const missing = await get('/api/clusters/overview?cluster_id=99');
    expect(missing.statusCode).toBe(404);
    expect(missing.json()).toMatchObject({ code: 'STELLAR_ERR_CLUSTER_NOT_FOUND' });
    expect((await get('/api/clusters/99/overview')).statusCode).toBe(404);
  });

  it('names the parameter and what it accepts', async () => {
    const cluster = await start();
    const base = `/api/clusters/overview?cluster_id=${cluster.id}`;
    expect((await badRequest(`${base}&time_range=2h`)).details).toEqual([{ field: 'time_range', message: 'must be one of 15m, 1h, 6h, 24h, 3d, 7d, 30d' }]);
    expect((await badRequest(`${base}&max_points=0`)).details).toEqual([{ field: 'max_points', message: 'must be a whole number from 1 to 5000' }]);
    expect((await badRequest(`${base}&max_points=5001`)).details?.[0]?.field).toBe('max_points');
    expect((await badRequest(`${base}&max_points=ten`)).details?.[0]?.field).toBe('max_points');
    expect((await badRequest(`${base}&from=yesterday`)).details).toEqual([{ field: 'from', message: expect.stringContaining('ISO 8601') }]);
    expect((await badRequest(`${base}&to=2026-11-24T12:00:00`)).details?.[0]?.field).toBe('to');
    expect((await badRequest(`${base}&from=2026-11-24T12:00:00Z&to=2026-11-24T11:00:00Z`)).details).toEqual([{ field: 'from', message: expect.stringContaining('must be before to') }]);
    expect((await badRequest(`${base}&from=2026-11-24T10:00:00Z&to=2026-11-24T11:00:00Z&time_range=1h`)).details?.[0]?.field).toBe('time_range');
    const unknown = await badRequest(`${base}&timerange=7d`);
    expect(unknown.details).toEqual([{ field: 'timerange', message: 'is not a known parameter; accepted: cluster_id, time_range, from, to, max_points' }]);
    expect((await badRequest(`/api/clusters/${cluster.id}/overview?cluster_id=${cluster.id}`)).details?.[0]?.field).toBe('cluster_id');
  });
});
