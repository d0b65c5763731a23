/**
 * Custom trends from every table an overview reads (raw snapshots, the 5-minute and hourly
 * tiers, the daily rows) equal what the raw snapshots themselves give, on every dialect: the
 * tiers and daily rows keep each custom metric's sum, count and maximum. The raw snapshots are
 * then deleted past their retention, as the retention job would, so the windows that reach
 * further can only be answered from the tiers and daily rows.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_METRICS_SETTINGS } from '../../src/api/stored-data-deps.js';
import { RAW_TREND_COLUMNS } from '../../src/api/overview/trend-series.js';
import { rollUpDay } from '../../src/collector/daily-job.js';
import { fixedCustomMetricSet } from '../../src/collector/custom-metric-set.js';
import { buildClosedHourBlocks } from '../../src/collector/trend-blocks.js';
import type { ClusterJson } from '../../src/shared/api/clusters.js';
import type { ClusterOverviewJson } from '../../src/shared/api/overview.js';
import { CustomMetricInput } from '../../src/shared/custom-metrics.js';
import { DIALECTS } from '../helpers/dialects.js';
import { clusterBody } from '../helpers/factories.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';
import { writeSnapshots } from '../helpers/write-snapshots.js';
import { trendPoints } from '../helpers/trend-points.js';

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
const METRICS = ['queue', 'rate'] as const;

/** Snapshot i's custom values: `queue` missing on every fifth, `rate` only on even ones, fractions and a spread of values so means and maxima differ by bucket. */
function customOf(i: number): Record<string, number | null> {
  return { queue: i % 5 === 4 ? null : ((i * 7) % 13) + 0.25 * (i % 3), ...(i % 2 === 0 ? { rate: ((i * 11) % 17) * 1.5 } : {}) };
}

interface RawValue {
  readonly at: number;
  readonly values: Record<string, number | null>;
}

/** What the raw snapshots of `[from, to)` give: each bucket's mean (buckets from `start`, `widthMs` wide), and the window's mean, max and last. */
function fromRaw(rows: readonly RawValue[], name: string, from: number, to: number) {
  const inWindow = rows.filter((r) => r.at >= from && r.at < to);
  const values = inWindow.flatMap((r) => (typeof r.values[name] === 'number' ? [r.values[name]] : []));
  const bucket = (start: number, widthMs: number) => {
    const inside = inWindow.filter((r) => r.at >= start && r.at < start + widthMs).flatMap((r) => (typeof r.values[name] === 'number' ? [r.values[name]] : []));
    return inside.length === 0 ? null : inside.reduce((a, b) => a + b, 0) / inside.length;
  };
  return {
    bucket,
    mean: values.length === 0 ? null : values.reduce((a, b) => a + b, 0) / values.length,
    max: values.length === 0 ? null : Math.max(...values),
    last: values.at(-1) ?? null,
  };
}

describe.each(DIALECTS)('custom trends from each table on $name', (dialect) => {
  let t: TestApp;
  let clusterId: number;
  let now: number;
  const rows: RawValue[] = [];

  beforeAll(async () => {
    // Raw rows kept 1 day, 5-minute buckets 3, hourly ones 10, daily rows beyond.
    t = await createTestApp({
      storage: await dialect.open(),
      metrics: { ...DEFAULT_METRICS_SETTINGS, retentionDays: 1, retention5mDays: 3, retention1hDays: 10 },
      customMetrics: fixedCustomMetricSet(METRICS.map((name) => CustomMetricInput.parse({ name, source: 'fe', family: name }))),
    });
    clusterId = (await t.app.inject({ method: 'POST', url: '/api/clusters', headers: { authorization: t.auth }, payload: clusterBody({ name: 'tiers' }) })).json<ClusterJson>().id;
    now = t.clock.now();
    // Every 10 minutes for 13 days, written as the collector writes them (into every tier at once).
    const start = now - 13 * DAY;
    for (let i = 0, at = start; at < now; i += 1, at += 10 * MIN) rows.push({ at, values: customOf(i) });
    await writeSnapshots(
      t.storage,
      rows.map((r) => ({ cluster_id: clusterId, collected_at: r.at, qps: 1, custom_values: JSON.stringify(r.values) })),
    );
    for (let day = start; day < now - DAY; day += DAY) await rollUpDay(t.storage.db, clusterId, new Date(day).toISOString().slice(0, 10), 'UTC', now);
    // What the retention job does to raw rows older than a day.
    await t.storage.db.deleteFrom('metrics_snapshots').where('cluster_id', '=', clusterId).where('collected_at', '<', now - DAY).execute();
  }, 60_000);

  afterAll(async () => {
    await t.close();
  });

  async function overview(from: number, to: number, maxPoints: number): Promise<ClusterOverviewJson> {
    const url = `/api/clusters/${clusterId}/overview?from=${new Date(from).toISOString()}&to=${new Date(to).toISOString()}&max_points=${maxPoints}`;
    const response = await t.app.inject({ method: 'GET', url, headers: { authorization: t.auth } });
    expect(response.statusCode, response.body).toBe(200);
    return response.json<ClusterOverviewJson>();
  }

  /** Every custom series and statistic of the response equals the raw rows' own; `last` as the response's table gives it. */
  function expectFromRaw(body: ClusterOverviewJson, from: number, to: number, lastFromBuckets: boolean) {
    const width = body.window.bucket_seconds * 1000;
    // The buckets are those of the built-in trends: qps was written on every row.
    const timestamps = trendPoints(body, body.performance_trends.qps).map((p) => p.timestamp);
    expect(timestamps.length).toBeGreaterThan(0);
    for (const name of METRICS) {
      const raw = fromRaw(rows, name, from, to);
      const series = trendPoints(body, body.custom_trends[name]);
      expect(series.map((p) => p.timestamp)).toEqual(timestamps);
      series.forEach((p) => {
        const expected = raw.bucket(Date.parse(p.timestamp), width);
        if (expected === null) expect(p.value).toBeNull();
        else expect(p.value).toBeCloseTo(expected, 9);
      });
      const statistics = body.statistics.custom[name]!;
      expect(statistics.mean).toBeCloseTo(raw.mean!, 9);
      expect(statistics.max).toBe(raw.max);
      const lastBucket = series.findLast((p) => p.value !== null)?.value;
      expect(statistics.last).toBeCloseTo((lastFromBuckets ? lastBucket : raw.last) ?? Number.NaN, 9);
    }
  }

  it('reads raw snapshots for a raw window', async () => {
    const body = await overview(now - HOUR, now, 720);
    expect(body.window.resolution).toBe('raw');
    expectFromRaw(body, now - HOUR, now, false);
  });

  it('reads the 5-minute tier with ragged edges from raw snapshots while they are kept', async () => {
    const from = now - 20 * HOUR - 2 * MIN;
    const to = now - 7 * MIN;
    const body = await overview(from, to, 80);
    expect(body.window.resolution).toBe('5m');
    expectFromRaw(body, from, to, false);
  });

  it('reads the 5-minute tier past the raw retention', async () => {
    const body = await overview(now - 2 * DAY, now, 200);
    expect(body.window.resolution).toBe('5m');
    expectFromRaw(body, now - 2 * DAY, now, false);
  });

  it('reads the hourly tier for a week, with no raw snapshot left for most of it', async () => {
    const body = await overview(now - 6 * DAY, now - 2 * DAY, 100);
    expect(body.window.resolution).toBe('1h');
    // No raw snapshot is left in this window: last is the latest bucket's mean.
    expectFromRaw(body, now - 6 * DAY, now - 2 * DAY, true);
  });

  it('reads the daily rows past every tier', async () => {
    const from = now - 12 * DAY - 12 * HOUR;
    const to = now - 2 * DAY - 12 * HOUR;
    const body = await overview(from, to, 30);
    expect(body.window.resolution).toBe('daily');
    // Now is noon: the window is whole UTC days, as the daily rows hold them. Last is the last day's mean.
    expectFromRaw(body, from, to, true);
  });

  // Last: packing raw rows into trend blocks turns windows the 5-minute tier served into raw ones.
  it('reads the 5-minute tier where the built-in trends are read from packed raw rows in buckets it nests in', async () => {
    await buildClosedHourBlocks({ db: t.storage.db, reader: t.storage.reader, fields: RAW_TREND_COLUMNS, clusterIds: () => Promise.resolve([clusterId]), retentionDays: 1 }, now);
    const from = now - 20 * HOUR - 2 * MIN;
    const to = now - 7 * MIN;
    const body = await overview(from, to, 80);
    expect(body.window).toMatchObject({ resolution: 'raw', bucket_seconds: 900 });
    expectFromRaw(body, from, to, false);
  });
});
