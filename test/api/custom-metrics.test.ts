/**
 * Custom metrics where they are served: a simulated cluster collected by the real collector
 * into the API's database, then the overview (latest values, trends in the buckets of the other
 * trends, statistics), the snapshot export (JSON and CSV) and /federate (read with Stellar's own
 * Prometheus parser), each against the stored rows. Then windows the tiers and the daily rows
 * serve, whose custom trends come from those tables' custom figures, in the response's own buckets
 * (test/api/custom-tier-trends.test.ts holds them against the raw rows on every dialect).
 */
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_METRICS_SETTINGS } from '../../src/api/stored-data-deps.js';
import { Collector } from '../../src/collector/collector.js';
import { rollUpDay } from '../../src/collector/daily-job.js';
import { fixedCustomMetricSet } from '../../src/collector/custom-metric-set.js';
import { ClusterRegistry } from '../../src/registry/cluster-registry.js';
import type { ClusterJson } from '../../src/shared/api/clusters.js';
import type { SnapshotPageJson } from '../../src/shared/api/export.js';
import type { ClusterOverviewJson } from '../../src/shared/api/overview.js';
import { CustomMetricInput } from '../../src/shared/custom-metrics.js';
import { startSimulatedFleet, type SimulatedFleet } from '../../src/simulator/fleet.js';
import { parsePrometheusText } from '../../src/starrocks/parse/prometheus-text.js';
import { snapshotRowsBetween } from '../../src/storage/repos/snapshots.repo.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';
import { writeSnapshots } from '../helpers/write-snapshots.js';
import { trendPoints } from '../helpers/trend-points.js';

const COLLECTED = [
  CustomMetricInput.parse({ name: 'pool_queue_max', source: 'fe', family: 'starrocks_fe_thread_pool', labels: { type: 'task_in_queue' }, aggregate: 'max', unit: 'tasks', description: 'Longest thread pool queue of any FE' }),
  CustomMetricInput.parse({ name: 'rows_loaded_per_s', source: 'fe', family: 'starrocks_fe_table_load_rows', kind: 'rate', table_metrics: true }),
];
/** Defined after the collections: served as null, never left out. */
const LATER = CustomMetricInput.parse({ name: 'defined_later', source: 'fe', family: 'starrocks_fe_thread_pool' });

const mean = (values: readonly number[]) => values.reduce((a, b) => a + b, 0) / values.length;

describe('custom metrics of a collected cluster', () => {
  let t: TestApp;
  let fleet: SimulatedFleet;
  let collector: Collector;
  let cluster: ClusterJson;
  const get = (url: string) => t.app.inject({ method: 'GET', url, headers: { authorization: t.auth } });

  beforeAll(async () => {
    t = await createTestApp({ customMetrics: fixedCustomMetricSet([...COLLECTED, LATER]) });
    fleet = await startSimulatedFleet({ clusters: 1, fes: 3, bes: 2, password: 'pw', clock: t.clock.now });
    const d = fleet.details()[0]!;
    const body = { name: d.name, fe_host: d.fe_host, fe_http_port: d.fe_http_port, fe_query_port: d.fe_query_port, username: d.username, password: 'pw', connection_timeout: 2 };
    cluster = (await t.app.inject({ method: 'POST', url: '/api/clusters', headers: { authorization: t.auth }, payload: body })).json<ClusterJson>();
    const registry = new ClusterRegistry({ db: t.storage.db, dialect: t.storage.dialect, secrets: t.secrets, now: t.clock.now });
    collector = new Collector({
      storage: t.storage,
      registry,
      logger: pino({ level: 'silent' }),
      now: t.clock.now,
      options: { scrapeFollowers: true, scrapeBackends: false, runtimeInfo: false, maxConcurrency: 1 },
      customMetrics: fixedCustomMetricSet(COLLECTED),
    });
    for (let i = 0; i < 4; i += 1) {
      t.clock.advance(30_000);
      await collector.collectAll();
    }
    t.clock.advance(1_000);
  });

  afterAll(async () => {
    await collector.close();
    await fleet.close();
    await t.close();
  });

  const storedRows = async () =>
    (await snapshotRowsBetween(t.storage.db, cluster.id, 0, t.clock.now())).map((row) => ({ at: row.collected_at, custom: JSON.parse(row.custom_values ?? '{}') as Record<string, number | null> }));

  it('serves every metric in effect in the overview: the latest values, trends in the other trends’ buckets, statistics', async () => {
    const rows = await storedRows();
    expect(rows).toHaveLength(4);
    const response = await get(`/api/clusters/${cluster.id}/overview?time_range=15m`);
    expect(response.statusCode).toBe(200);
    const body = response.json<ClusterOverviewJson>();
    const latest = rows.at(-1)!.custom;
    expect(body.latest_snapshot?.custom).toEqual({ pool_queue_max: latest.pool_queue_max, rows_loaded_per_s: latest.rows_loaded_per_s, defined_later: null });
    expect(latest.rows_loaded_per_s).toEqual(expect.any(Number));

    // Raw resolution, one collection per bucket: the same timestamps as the built-in trends.
    expect(body.window.resolution).toBe('raw');
    const timestamps = trendPoints(body, body.performance_trends.qps).map((p) => p.timestamp);
    expect(timestamps).toHaveLength(4);
    expect(Object.keys(body.custom_trends).sort()).toEqual(['defined_later', 'pool_queue_max', 'rows_loaded_per_s']);
    for (const name of ['pool_queue_max', 'rows_loaded_per_s']) {
      expect(trendPoints(body, body.custom_trends[name])).toEqual(rows.map((row, i) => ({ timestamp: timestamps[i], value: row.custom[name] ?? null })));
    }
    expect(trendPoints(body, body.custom_trends.defined_later)).toEqual(timestamps.map((timestamp) => ({ timestamp, value: null })));

    const queues = rows.map((row) => row.custom.pool_queue_max!);
    expect(body.statistics.custom.pool_queue_max).toEqual({ last: queues.at(-1), mean: expect.closeTo(mean(queues), 9), max: Math.max(...queues) });
    // The first collection had no rate yet: three values.
    const rates = rows.flatMap((row) => (row.custom.rows_loaded_per_s == null ? [] : [row.custom.rows_loaded_per_s]));
    expect(rates).toHaveLength(3);
    expect(body.statistics.custom.rows_loaded_per_s).toEqual({ last: rates.at(-1), mean: expect.closeTo(mean(rates), 9), max: Math.max(...rates) });
    expect(body.statistics.custom.defined_later).toEqual({ last: null, mean: null, max: null });
  });

  it('exports the values: a custom object per snapshot in JSON, a custom.<name> column each in CSV', async () => {
    const rows = await storedRows();
    const json = (await get(`/api/clusters/${cluster.id}/snapshots?fields=qps,custom`)).json<SnapshotPageJson>();
    expect(json.fields).toEqual(['qps', 'custom']);
    expect(json.rows.map((row) => row.custom)).toEqual(rows.map((row) => ({ ...row.custom, defined_later: null })));
    // Not asked for: not there.
    const without = (await get(`/api/clusters/${cluster.id}/snapshots?fields=qps`)).json<SnapshotPageJson>();
    expect(without.rows.every((row) => !('custom' in row))).toBe(true);

    const csv = (await get(`/api/clusters/${cluster.id}/snapshots?fields=qps,custom&format=csv`)).body.split('\r\n');
    expect(csv[0]).toBe('collected_at,qps,custom.pool_queue_max,custom.rows_loaded_per_s,custom.defined_later');
    const second = csv[2]!.split(',');
    expect(second[0]).toBe(new Date(rows[1]!.at).toISOString());
    expect([Number(second[2]), Number(second[3]), second[4]]).toEqual([rows[1]!.custom.pool_queue_max, rows[1]!.custom.rows_loaded_per_s, '']);
  });

  it('exposes each custom metric of the latest snapshot at /federate as stellar_custom_<name>, leaving out nulls', async () => {
    const response = await get('/federate');
    expect(response.statusCode).toBe(200);
    const parsed = parsePrometheusText(response.body);
    expect([parsed.skippedLines, parsed.duplicates]).toEqual([0, 0]);
    const latest = (await storedRows()).at(-1)!;
    const queue = parsed.family('stellar_custom_pool_queue_max');
    expect(queue?.type).toBe('gauge');
    expect(queue?.help).toBe('Longest thread pool queue of any FE (tasks)');
    expect(queue?.samples.map((s) => [s.labels, s.value, s.timestampMs])).toEqual([[{ cluster: cluster.name, cluster_id: String(cluster.id) }, latest.custom.pool_queue_max, latest.at]]);
    expect(parsed.family('stellar_custom_rows_loaded_per_s')?.samples.map((s) => s.value)).toEqual([latest.custom.rows_loaded_per_s]);
    // Defined, but no value: a family without samples, never a made-up 0.
    expect(parsed.family('stellar_custom_defined_later')?.samples ?? []).toEqual([]);
  });
});

describe('custom trends of windows the tiers and the daily rows serve', () => {
  const HOUR = 3_600_000;
  let t: TestApp;
  let clusterId: number;

  beforeAll(async () => {
    // Short retentions, so a 6-hour window is read from the hourly tier and a 3-day one from daily rows.
    t = await createTestApp({
      metrics: { ...DEFAULT_METRICS_SETTINGS, retentionDays: 1, retention5mDays: 1, retention1hDays: 1 },
      customMetrics: fixedCustomMetricSet([CustomMetricInput.parse({ name: 'queue', source: 'fe', family: 'x' })]),
    });
    const body = { name: 'stored', fe_host: '127.0.0.1', fe_http_port: 8030, fe_query_port: 9030, username: 'root', password: 'pw' };
    clusterId = (await t.app.inject({ method: 'POST', url: '/api/clusters', headers: { authorization: t.auth }, payload: body })).json<ClusterJson>().id;
    // Every 5 minutes for the last 6 hours: queue is the minute of the hour; qps 1 for the trends' buckets.
    const now = t.clock.now();
    const start = Math.floor(now / HOUR) * HOUR - 6 * HOUR;
    const rows = Array.from({ length: 72 }, (_, i) => start + i * 300_000).map((at) => ({
      cluster_id: clusterId,
      collected_at: at,
      qps: 1,
      custom_values: JSON.stringify({ queue: new Date(at).getUTCMinutes() }),
    }));
    await writeSnapshots(t.storage, rows);
  });

  afterAll(async () => {
    await t.close();
  });

  const overview = async (query: string) => (await t.app.inject({ method: 'GET', url: `/api/clusters/${clusterId}/overview?${query}`, headers: { authorization: t.auth } })).json<ClusterOverviewJson>();

  it('reads the hourly tier’s custom figures in its buckets', async () => {
    const body = await overview('time_range=6h&max_points=6');
    expect(body.window.resolution).toBe('1h');
    const timestamps = trendPoints(body, body.performance_trends.qps).map((p) => p.timestamp);
    expect(timestamps.length).toBeGreaterThan(0);
    // Each hour holds minutes 0, 5, … 55: their mean is 27.5.
    expect(trendPoints(body, body.custom_trends.queue)).toEqual(timestamps.map((timestamp) => ({ timestamp, value: 27.5 })));
    expect(body.statistics.custom.queue).toMatchObject({ max: 55, mean: 27.5 });
  });

  it('reads the daily rows’ custom figures, on the roll-up zone’s days', async () => {
    // The day is rolled up (on demand, as `stellar aggregate` does): its row keeps the custom figures of its buckets.
    expect(await rollUpDay(t.storage.db, clusterId, '2026-11-24', 'UTC', t.clock.now())).toBe(true);
    const body = await overview('time_range=3d');
    expect(body.window.resolution).toBe('daily');
    expect(body.window.bucket_seconds).toBe(86_400);
    // The rows of 06:00 to 12:00 UTC of one day, in that day's row (the roll-up zone is UTC), stamped as a daily row's point is.
    expect(trendPoints(body, body.custom_trends.queue)).toEqual([{ timestamp: '2026-11-24T00:00:00.000Z', value: 27.5 }]);
  });
});
