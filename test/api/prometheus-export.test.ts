/**
 * /metrics and /federate after collections of a simulated fleet by the real collector, which
 * tells the app's telemetry of each one: both parsed with Stellar's own Prometheus parser; the
 * per-cluster, collector, database and HTTP families of /metrics; every /federate value against
 * the overview API's latest snapshot of the same cluster; and who may read them.
 */
import { spawnSync } from 'node:child_process';
import { gunzipSync } from 'node:zlib';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { acceptsGzip } from '../../src/api/routes/prometheus.js';
import { federatedFields, federatedName } from '../../src/api/telemetry/federation.js';
import { ServiceTelemetry } from '../../src/api/telemetry/service-telemetry.js';
import { Collector } from '../../src/collector/collector.js';
import { ClusterRegistry } from '../../src/registry/cluster-registry.js';
import type { ClusterJson } from '../../src/shared/api/clusters.js';
import type { ClusterOverviewJson } from '../../src/shared/api/overview.js';
import { SNAPSHOT_FIELDS } from '../../src/shared/snapshot-fields.js';
import { startSimulatedFleet, type SimulatedFleet } from '../../src/simulator/fleet.js';
import { type MetricFamily, parsePrometheusText } from '../../src/starrocks/parse/prometheus-text.js';
import { skipNote, skipReason } from '../helpers/requirements.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';

let t: TestApp;
let fleet: SimulatedFleet;
let collector: Collector;
let telemetry: ServiceTelemetry | undefined;
const clusters: ClusterJson[] = [];

const get = (url: string, authorization: string | null = t.auth) => t.app.inject({ method: 'GET', url, headers: authorization === null ? {} : { authorization } });

async function scrape(url: string): Promise<Map<string, MetricFamily>> {
  const response = await get(url);
  expect(response.statusCode, response.body).toBe(200);
  expect(response.headers['content-type']).toBe('text/plain; version=0.0.4; charset=utf-8');
  const parsed = parsePrometheusText(response.body);
  expect(parsed.skippedLines).toBe(0);
  expect(parsed.duplicates).toBe(0);
  return new Map(parsed.families.map((f) => [f.name, f]));
}

/** The value of the family's sample whose labels include `labels`. */
function valueOf(families: Map<string, MetricFamily>, family: string, labels: Record<string, string> = {}): number | undefined {
  const samples = families.get(family)?.samples.filter((s) => s.name === family && Object.entries(labels).every(([k, v]) => s.labels[k] === v));
  expect(samples?.length ?? 0, `${family} ${JSON.stringify(labels)}`).toBeLessThanOrEqual(1);
  return samples?.[0]?.value;
}

beforeAll(async () => {
  t = await createTestApp({ telemetry: (storage) => (telemetry = new ServiceTelemetry({ db: storage.db, dialect: storage.dialect, schedule: () => null })) });
  // The third cluster's only FE is down from the start: every collection of it fails.
  fleet = await startSimulatedFleet({ clusters: 3, fes: 2, bes: 2, clock: t.clock.now, beMetrics: true, faults: '3:fe_down@0' });
  for (const d of fleet.details()) {
    const body = { name: d.name, fe_host: d.fe_host, fe_http_port: d.fe_http_port, fe_query_port: d.fe_query_port, username: d.username, connection_timeout: 1 };
    clusters.push((await t.app.inject({ method: 'POST', url: '/api/clusters', headers: { authorization: t.auth }, payload: body })).json<ClusterJson>());
  }
  const registry = new ClusterRegistry({ db: t.storage.db, dialect: t.storage.dialect, secrets: t.secrets, now: t.clock.now });
  collector = new Collector({
    storage: t.storage,
    registry,
    logger: pino({ level: 'silent' }),
    now: t.clock.now,
    options: { scrapeFollowers: true, scrapeBackends: true, runtimeInfo: false, maxConcurrency: 3 },
    observer: telemetry,
  });
  for (let i = 0; i < 3; i += 1) {
    await collector.collectAll();
    t.clock.advance(30_000);
  }
});

afterAll(async () => {
  await collector.close();
  await fleet.close();
  await t.close();
});

describe('GET /metrics', () => {
  it('reports each cluster’s last collection: up, status, duration, bytes and series scraped', async () => {
    const families = await scrape('/metrics');
    const [healthy, , failed] = clusters.map((c) => ({ cluster: c.name, cluster_id: String(c.id) }));
    expect(valueOf(families, 'stellar_cluster_up', healthy)).toBe(1);
    expect(valueOf(families, 'stellar_cluster_up', failed)).toBe(0);
    expect(valueOf(families, 'stellar_cluster_collection_status', { ...healthy, status: 'ok' })).toBe(1);
    expect(valueOf(families, 'stellar_cluster_collection_status', { ...healthy, status: 'failed' })).toBe(0);
    expect(valueOf(families, 'stellar_cluster_collection_status', { ...failed, status: 'failed' })).toBe(1);
    // Two FEs and two BEs answered: tens of kilobytes and hundreds of series; the failed cluster sent none.
    expect(valueOf(families, 'stellar_cluster_scraped_bytes', healthy)).toBeGreaterThan(10_000);
    expect(valueOf(families, 'stellar_cluster_scraped_series', healthy)).toBeGreaterThan(100);
    expect(valueOf(families, 'stellar_cluster_scraped_bytes', failed)).toBe(0);
    expect(valueOf(families, 'stellar_cluster_last_collection_timestamp_seconds', healthy)).toBe((t.clock.now() - 30_000) / 1000);
    expect(valueOf(families, 'stellar_cluster_collection_duration_seconds', healthy)).toBeGreaterThanOrEqual(0);
    expect(families.get('stellar_cluster_up')?.samples).toHaveLength(3);
  });

  it('reports the collector’s totals, the database’s write latency and size, and the Node process', async () => {
    const families = await scrape('/metrics');
    expect(valueOf(families, 'stellar_collector_collections_total', { status: 'ok' })).toBe(6);
    expect(valueOf(families, 'stellar_collector_collections_total', { status: 'failed' })).toBe(3);
    expect(valueOf(families, 'stellar_collector_collections_total', { status: 'partial' })).toBe(0);
    expect(families.get('stellar_collector_collection_duration_seconds')?.samples.find((s) => s.name.endsWith('_count'))?.value).toBe(9);
    expect(families.get('stellar_database_write_duration_seconds')?.samples.find((s) => s.name.endsWith('_count'))?.value).toBe(9);
    expect(valueOf(families, 'stellar_database_size_bytes')).toBeGreaterThan(100_000);
    for (const name of ['process_cpu_seconds_total', 'process_resident_memory_bytes', 'nodejs_eventloop_lag_seconds', 'nodejs_heap_size_used_bytes']) expect(families.has(name), name).toBe(true);
  });

  it('times HTTP requests by route pattern, not by raw URL', async () => {
    for (const c of clusters) expect((await get(`/api/clusters/${c.id}/overview?time_range=1h`)).statusCode).toBe(200);
    await get('/no/such/page/12345');
    const families = await scrape('/metrics');
    const routes = new Set(families.get('stellar_http_request_duration_seconds')?.samples.map((s) => s.labels.route));
    expect(routes).toContain('/api/clusters/:id/overview');
    expect(routes).toContain('unmatched');
    expect([...routes].filter((r) => r !== undefined && /\d/.test(r))).toEqual([]);
    const count = families.get('stellar_http_request_duration_seconds')?.samples.find((s) => s.name.endsWith('_count') && s.labels.route === '/api/clusters/:id/overview' && s.labels.status_code === '200');
    expect(count?.value).toBeGreaterThanOrEqual(3);
  });
});

describe('GET /federate', () => {
  it('gives every cluster’s latest snapshot, value for value as the overview API, stamped with its collection time', async () => {
    const families = await scrape('/federate');
    let compared = 0;
    for (const c of clusters) {
      const overview = (await get(`/api/clusters/${c.id}/overview`)).json<ClusterOverviewJson>();
      const latest = overview.latest_snapshot as Record<string, unknown> | null;
      expect(latest).not.toBeNull();
      for (const field of federatedFields(SNAPSHOT_FIELDS)) {
        const family = families.get(federatedName(field));
        expect(family?.type, field.name).toBe('gauge');
        expect(family?.help, field.name).toBeTruthy();
        const samples = family?.samples.filter((s) => s.labels.cluster === c.name && s.labels.cluster_id === String(c.id)) ?? [];
        const expected = latest?.[field.name];
        if (expected === null) {
          expect(samples, `${c.name} ${field.name}`).toEqual([]);
        } else {
          expect(samples.map((s) => [s.value, s.timestampMs]), `${c.name} ${field.name}`).toEqual([[expected, Date.parse(String(latest?.collected_at))]]);
          compared += 1;
        }
      }
    }
    // The healthy clusters fill most fields; the failed one, few or none.
    expect(compared).toBeGreaterThan(federatedFields(SNAPSHOT_FIELDS).length);
    expect(families.has('stellar_frontend_leader')).toBe(false);
  });
});

describe('compression', () => {
  it('gzips a large answer for a scraper that accepts it, and reads back the same text', async () => {
    const plain = await get('/federate');
    expect(plain.headers['content-encoding']).toBeUndefined();
    const compressed = await t.app.inject({ method: 'GET', url: '/federate', headers: { authorization: t.auth, 'accept-encoding': 'gzip' } });
    expect(compressed.headers['content-encoding']).toBe('gzip');
    expect(compressed.rawPayload.length).toBeLessThan(plain.rawPayload.length / 4);
    expect(gunzipSync(compressed.rawPayload).toString('utf8')).toBe(plain.body);
  });

  it('reads Accept-Encoding as HTTP means it', () => {
    expect(['gzip', 'deflate, gzip;q=0.5', '*', 'GZIP'].map(acceptsGzip)).toEqual([true, true, true, true]);
    expect([undefined, '', 'identity', 'gzip;q=0', 'br, gzip; q=0.000'].map(acceptsGzip)).toEqual([false, false, false, false, false]);
  });
});

describe('who may read them', () => {
  it('asks for credentials as the API does with metrics_auth = "token" (the default)', async () => {
    for (const url of ['/metrics', '/federate']) {
      const anonymous = await get(url, null);
      expect(anonymous.statusCode, url).toBe(401);
      expect(anonymous.json()).toMatchObject({ code: 'STELLAR_ERR_AUTH_REQUIRED' });
      expect((await get(url, t.basicAuth)).statusCode, url).toBe(200);
    }
  });

  it('leaves them open with metrics_auth = "none", and the API closed', async () => {
    const open = await createTestApp({ metricsAuth: 'none' });
    try {
      for (const url of ['/metrics', '/federate']) expect((await open.app.inject({ method: 'GET', url })).statusCode, url).toBe(200);
      expect((await open.app.inject({ method: 'GET', url: '/api/clusters' })).statusCode).toBe(401);
    } finally {
      await open.close();
    }
  });
});

/** Prometheus' own checker, when the machine has it (Debian's `prometheus` package; CI installs it). */
const promtoolMissing = skipReason(spawnSync('promtool', ['--version']).error ? 'promtool (Debian package prometheus) is not installed: the format is not checked with Prometheus\' own tool' : null, 'STELLAR_REQUIRE_PROMETHEUS');

describe.skipIf(promtoolMissing !== null)(`promtool check metrics${skipNote(promtoolMissing)}`, () => {
  it('reads both as valid exposition text; /metrics lints clean but for prom-client’s Node gauges named _total', async () => {
    for (const url of ['/metrics', '/federate']) {
      const checked = spawnSync('promtool', ['check', 'metrics'], { input: (await get(url)).body, encoding: 'utf8' });
      // 0: clean; 3: lint problems only; 1: the text could not be parsed.
      expect([0, 3], `${url}: ${checked.stdout}${checked.stderr}`).toContain(checked.status);
      expect(checked.stderr + checked.stdout).not.toContain('error while linting');
      if (url === '/metrics') {
        const problems = (checked.stdout + checked.stderr).split('\n').filter((line) => line.trim() !== '');
        expect(problems.filter((line) => !/^nodejs_active_\w+_total non-counter/.test(line)), url).toEqual([]);
      }
    }
  });
});
