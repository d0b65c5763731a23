/**
 * End to end: a simulated fleet collected by the real collector into the API's database; the
 * overview shows what was collected, and the connection test finds every source of a healthy
 * cluster and the one a fault breaks.
 */
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Collector } from '../../src/collector/collector.js';
import { ClusterRegistry } from '../../src/registry/cluster-registry.js';
import type { ClusterJson } from '../../src/shared/api/clusters.js';
import type { ClusterNodesJson } from '../../src/shared/api/nodes.js';
import type { ClusterOverviewJson } from '../../src/shared/api/overview.js';
import type { ConnectionTestJson } from '../../src/shared/api/connection-test.js';
import type { FleetOverviewJson } from '../../src/shared/api/fleet.js';
import { parseFaults } from '../../src/simulator/faults.js';
import { startSimulatedFleet, type SimulatedFleet } from '../../src/simulator/fleet.js';
import { latestSnapshotRow } from '../../src/storage/repos/snapshots.repo.js';
import { DEFAULT_METRICS_SETTINGS } from '../../src/api/stored-data-deps.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';
import { trendPoints } from '../helpers/trend-points.js';

let t: TestApp;
let fleet: SimulatedFleet;
let collector: Collector;
const clusters: ClusterJson[] = [];

function request(method: 'GET' | 'POST', url: string, payload?: object) {
  return t.app.inject({ method, url, headers: { authorization: t.auth }, ...(payload === undefined ? {} : { payload }) });
}

beforeAll(async () => {
  // Every optional source on, so the connection test asks all of them.
  t = await createTestApp({ metrics: { ...DEFAULT_METRICS_SETTINGS, sources: new Set(['follower_metrics', 'runtime_info', 'be_metrics']) } });
  fleet = await startSimulatedFleet({ clusters: 2, fes: 3, bes: 3, password: 'pw', clock: t.clock.now, beMetrics: true });
  for (const d of fleet.details()) {
    const body = { name: d.name, fe_host: d.fe_host, fe_http_port: d.fe_http_port, fe_query_port: d.fe_query_port, username: d.username, password: 'pw', connection_timeout: 2, tags: ['sim'] };
    clusters.push((await request('POST', '/api/clusters', body)).json<ClusterJson>());
  }
  // The collector writes into the API's database, with the registry the API uses.
  const registry = new ClusterRegistry({ db: t.storage.db, dialect: t.storage.dialect, secrets: t.secrets, now: t.clock.now });
  collector = new Collector({
    storage: t.storage,
    registry,
    logger: pino({ level: 'silent' }),
    now: t.clock.now,
    options: { scrapeFollowers: true, scrapeBackends: false, runtimeInfo: false, maxConcurrency: 2 },
  });
  for (let i = 0; i < 4; i += 1) {
    await collector.collectAll();
    t.clock.advance(30_000);
  }
});

afterAll(async () => {
  await collector.close();
  await fleet.close();
  await t.close();
});

describe('the overview of collected clusters', () => {
  it('shows the latest collection and trends of what was collected', async () => {
    const [cluster] = clusters;
    const id = cluster?.id ?? 0;
    const row = await latestSnapshotRow(t.storage.db, id);
    const response = await request('GET', `/api/clusters/${id}/overview?time_range=15m`);
    expect(response.statusCode).toBe(200);
    const body = response.json<ClusterOverviewJson>();
    expect(body.collect_status).toBe('ok');
    expect(body.health.reasons).toEqual([]);
    // The leader's Version column, e.g. "3.3.5-…" for a simulated 3.3.
    expect(body.version?.startsWith(fleet.details()[0]?.version ?? '?')).toBe(true);
    expect(body.latest_snapshot).toMatchObject({
      collected_at: new Date(row?.collected_at ?? 0).toISOString(),
      qps: row?.qps,
      backend_alive: 3,
      backend_total: 3,
      frontend_alive: 3,
      frontend_total: 3,
      frontends_scraped: 3,
      failed_sources: [],
    });
    // Between the last two collections the figures are those of the simulator's ground truth.
    const truth = fleet.clusters[0]?.truth((row?.collected_at ?? 0) - 30_000, row?.collected_at ?? 0);
    expect(body.latest_snapshot?.qps).toBeCloseTo(truth?.qps ?? Number.NaN, 6);
    expect(body.latest_snapshot?.tablet_count).toBe(truth?.tablet_count);
    // One bucket per collection: four collections, 30 s apart.
    expect(body.window.bucket_seconds).toBe(30);
    expect(body.performance_trends.qps).toHaveLength(4);
    expect(trendPoints(body, body.performance_trends.qps).at(-1)).toEqual({ timestamp: new Date(row?.collected_at ?? 0).toISOString(), value: row?.qps });
    expect(body.statistics).toMatchObject({ samples: 4, availability_pct: 100 });

    const nodes = (await request('GET', `/api/clusters/${id}/nodes`)).json<ClusterNodesJson>();
    expect(nodes.frontends?.nodes).toHaveLength(3);
    expect(nodes.frontends?.nodes.filter((f) => f.role === 'LEADER')).toHaveLength(1);
    expect(nodes.backends?.nodes.every((b) => b.alive)).toBe(true);
  });

  it('lists both clusters healthy in the fleet with their sparklines', async () => {
    const body = (await request('GET', '/api/fleet/overview?tag=sim')).json<FleetOverviewJson>();
    expect(body.counts.healthy).toBe(2);
    for (const entry of body.clusters) {
      expect(entry.version).not.toBeNull();
      expect(entry.qps_sparkline.values.filter((v) => v !== null).length).toBeGreaterThanOrEqual(1);
    }
  });
});

describe('connection tests against the simulator', () => {
  it('reports every source ok for a healthy cluster, the optional ones of [metrics] sources included', async () => {
    const response = await request('POST', `/api/clusters/${clusters[0]?.id}/test`);
    expect(response.statusCode).toBe(200);
    const body = response.json<ConnectionTestJson>();
    const sim = fleet.clusters[0]!;
    const fes = sim.details().frontends.map((fe) => `${fe.host}:${fe.http_port}`);
    const configured = `${fleet.details()[0]?.fe_host}:${fleet.details()[0]?.fe_http_port}`;
    const followers = fes.filter((fe) => fe !== configured);
    expect(body.checks.map((c) => c.source).slice(0, 4 + followers.length)).toEqual(['frontends', 'backends', 'compute_nodes', `metrics ${configured}`, ...followers.map((fe) => `metrics ${fe}`)]);
    expect(body.checks.filter((c) => c.source.startsWith('runtime_info ')).map((c) => c.source.slice('runtime_info '.length)).sort()).toEqual([...fes].sort());
    expect(body.checks.filter((c) => c.source.startsWith('be_metrics '))).toHaveLength(3);
    expect(body.checks.filter((c) => !c.ok)).toEqual([]);
    expect(body.ok).toBe(true);
    expect(body.version).not.toBeNull();
    expect(body.checks[0]?.message).toMatch(/^3 frontends, 3 alive, leader /);
    expect(body.checks[1]?.message).toBe('3 backends, 3 alive');
  });

  it('reports the source a fault breaks, and only that one', async () => {
    const sim = fleet.clusters[1];
    await sim?.setFaults(parseFaults('garbage'));
    try {
      const d = fleet.details()[1];
      const body = (await request('POST', '/api/clusters/test-connection', { name: 'candidate', fe_host: d?.fe_host, fe_http_port: d?.fe_http_port, fe_query_port: d?.fe_query_port, username: d?.username, password: 'pw', connection_timeout: 2 })).json<ConnectionTestJson>();
      expect(body.ok).toBe(false);
      // The configured FE's /metrics is garbage; the other FEs, the lists, runtime info and BE metrics are fine.
      expect(body.checks.filter((c) => !c.ok).map((c) => [c.source, c.error_kind])).toEqual([[`metrics ${d?.fe_host}:${d?.fe_http_port}`, 'malformed']]);
      expect(body.checks.length).toBeGreaterThan(10);
    } finally {
      await sim?.setFaults([]);
    }
  });

  it('says the password is wrong where the cluster checks it', async () => {
    const d = fleet.details()[1];
    const body = (await request('POST', '/api/clusters/test-connection', { name: 'candidate', fe_host: d?.fe_host, fe_http_port: d?.fe_http_port, username: d?.username, password: 'wrong', connection_timeout: 2 })).json<ConnectionTestJson>();
    expect(body.ok).toBe(false);
    expect(body.checks.filter((c) => !c.ok).map((c) => [c.source, c.error_kind])).toEqual([
      ['frontends', 'auth'],
      ['backends', 'auth'],
      ['compute_nodes', 'auth'],
    ]);
  });
});
