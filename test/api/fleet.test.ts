/** GET /api/fleet/overview: health of every cluster, sorting, the tag, name and status filters, sparklines. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ClusterJson } from '../../src/shared/api/clusters.js';
import type { ErrorJson } from '../../src/shared/api/common.js';
import type { FleetOverviewJson } from '../../src/shared/api/fleet.js';
import { writeCollectionStates } from '../../src/storage/repos/collection-state.repo.js';
import { clusterBody } from '../helpers/factories.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';
import { failedRow, insertRows, snapshotRow } from './snapshot-rows.js';

const NOW = Date.UTC(2026, 10, 24, 12, 0, 0);
const MIN = 60_000;

let t: TestApp;
beforeEach(async () => {
  t = await createTestApp();
});
afterEach(async () => {
  await t.close();
});

async function create(name: string, tags: string[] = []): Promise<ClusterJson> {
  const response = await t.app.inject({ method: 'POST', url: '/api/clusters', headers: { authorization: t.auth }, payload: clusterBody({ name, tags }) });
  return response.json<ClusterJson>();
}

async function fleet(query = ''): Promise<FleetOverviewJson> {
  const response = await t.app.inject({ method: 'GET', url: `/api/fleet/overview${query}`, headers: { authorization: t.auth } });
  expect(response.statusCode, response.body).toBe(200);
  return response.json<FleetOverviewJson>();
}

/** Four clusters: healthy, critical (a BE down, disk full), unreachable, pending. */
async function seed(): Promise<{ ok: ClusterJson; bad: ClusterJson; down: ClusterJson; fresh: ClusterJson }> {
  const ok = await create('ok-eu', ['prod', 'eu']);
  const bad = await create('bad-us', ['prod', 'us']);
  const down = await create('down-eu', ['staging', 'eu']);
  const fresh = await create('fresh', []);
  await insertRows(t.storage, [
    snapshotRow(ok.id, NOW - 2 * MIN, { qps: 100 }),
    snapshotRow(ok.id, NOW - MIN, { qps: 200, avg_cpu_usage: 20 }),
    snapshotRow(bad.id, NOW - MIN, { qps: 50, backend_alive: 2, disk_max_usage_pct: 93, avg_cpu_usage: 70, disk_usage_pct: 80 }),
    snapshotRow(down.id, NOW - 5 * MIN, { qps: 10 }),
    failedRow(down.id, NOW - MIN),
  ]);
  return { ok, bad, down, fresh };
}

describe('GET /api/fleet/overview', () => {
  it('answers an empty fleet', async () => {
    expect(await fleet()).toEqual({
      timestamp: new Date(NOW).toISOString(),
      total: 0,
      counts: { healthy: 0, warning: 0, critical: 0, unreachable: 0, pending: 0 },
      tags: [],
      matched: 0,
      clusters: [],
    });
  });

  it('gives every cluster its status, score with reasons, key figures and sparkline', async () => {
    const { ok, bad, down, fresh } = await seed();
    const body = await fleet();
    expect(body.counts).toEqual({ healthy: 1, warning: 0, critical: 1, unreachable: 1, pending: 1 });
    expect(body.tags).toEqual(['eu', 'prod', 'staging', 'us']);
    expect(body.clusters.map((c) => c.name)).toEqual(['bad-us', 'down-eu', 'fresh', 'ok-eu']);
    const byId = new Map(body.clusters.map((c) => [c.id, c]));

    expect(byId.get(ok.id)).toMatchObject({
      health: { status: 'healthy', score: 100, reasons: [] },
      collect_status: 'ok',
      last_collected_at: new Date(NOW - MIN).toISOString(),
      qps: 200,
      avg_cpu_usage: 20,
      backend_alive: 3,
      backend_total: 3,
      tags: ['prod', 'eu'],
      collection: null,
    });
    // 5-minute buckets of the last two hours, the current one last: both collections are in the one before it.
    expect(byId.get(ok.id)?.qps_sparkline).toEqual({ start: new Date(NOW - 115 * MIN).toISOString(), step_seconds: 300, values: [...new Array(22).fill(null), 150, null] });

    const critical = byId.get(bad.id);
    expect(critical?.health.status).toBe('critical');
    expect(critical?.health.score).toBe(50);
    expect(critical?.health.reasons.map((r) => [r.code, r.level])).toEqual([
      ['backend_down', 'critical'],
      ['disk_usage', 'critical'],
    ]);

    expect(byId.get(down.id)).toMatchObject({ health: { status: 'unreachable', score: 0 }, collect_status: 'failed', qps: null });
    expect(byId.get(down.id)?.health.reasons[0]).toMatchObject({ code: 'collection_failing', message: expect.stringContaining('frontends (refused)') });
    expect(byId.get(down.id)?.qps_sparkline.values.at(-2)).toBe(10);

    expect(byId.get(fresh.id)).toMatchObject({ health: { status: 'pending', score: null, reasons: [] }, collect_status: 'pending', last_collected_at: null, qps: null });
    expect(byId.get(fresh.id)?.qps_sparkline.values).toEqual(new Array(24).fill(null));
  });

  it('keeps the sparkline to the last two hours in 24 buckets of 5 minutes, from the 5-minute tier', async () => {
    const c = await create('busy');
    // Two hours at 30 s: the first 5 minutes fall before the first bucket.
    await insertRows(t.storage, Array.from({ length: 240 }, (_, i) => snapshotRow(c.id, NOW - 120 * MIN + i * 30_000, { qps: i })));
    const [entry] = (await fleet()).clusters;
    expect(entry?.qps_sparkline.values).toHaveLength(24);
    expect(entry?.qps_sparkline.values[0]).toBe(14.5);
    expect(entry?.qps_sparkline.values.at(-2)).toBe(234.5);
    // Read from the tier: the raw rows may go.
    await t.storage.db.deleteFrom('metrics_snapshots').where('collected_at', '<', NOW - 10 * MIN).execute();
    expect((await fleet()).clusters[0]?.qps_sparkline.values[0]).toBe(14.5);
  });

  it('gives a page of the ordered clusters, and how many every filter keeps', async () => {
    await seed();
    const page = await fleet('?sort=name&limit=2&offset=1');
    expect(page.clusters.map((c) => c.name)).toEqual(['down-eu', 'fresh']);
    expect(page).toMatchObject({ total: 4, matched: 4 });
    expect((await fleet('?tag=eu&limit=1')).matched).toBe(2);
  });

  it('sorts by status, score, qps, cpu and disk in either order', async () => {
    await seed();
    const names = async (query: string) => (await fleet(query)).clusters.map((c) => c.name);
    expect(await names('?sort=status&order=desc')).toEqual(['down-eu', 'bad-us', 'fresh', 'ok-eu']);
    expect(await names('?sort=status')).toEqual(['ok-eu', 'fresh', 'bad-us', 'down-eu']);
    expect(await names('?sort=score&order=desc')).toEqual(['ok-eu', 'bad-us', 'down-eu', 'fresh']);
    expect(await names('?sort=qps&order=desc')).toEqual(['ok-eu', 'bad-us', 'down-eu', 'fresh']);
    expect(await names('?sort=cpu')).toEqual(['ok-eu', 'bad-us', 'down-eu', 'fresh']);
    expect(await names('?sort=disk&order=desc')).toEqual(['bad-us', 'ok-eu', 'down-eu', 'fresh']);
    expect(await names('?sort=name&order=desc')).toEqual(['ok-eu', 'fresh', 'down-eu', 'bad-us']);
    expect(await names('?sort=latency&order=desc')).toEqual(['bad-us', 'ok-eu', 'down-eu', 'fresh']);
    expect(await names('?sort=memory&order=desc')).toEqual(['bad-us', 'ok-eu', 'down-eu', 'fresh']);
  });

  it('filters by status and by a part of the name; counts ignore the status filter', async () => {
    await seed();
    const all = await fleet();
    expect(all.total).toBe(4);
    const critical = await fleet('?status=critical');
    expect(critical.clusters.map((c) => c.name)).toEqual(['bad-us']);
    expect(critical.counts).toEqual(all.counts);
    expect(critical.total).toBe(4);
    expect((await fleet('?status=unreachable,critical&sort=status&order=desc')).clusters.map((c) => c.name)).toEqual(['down-eu', 'bad-us']);
    expect((await fleet('?status=critical&status=healthy')).clusters.map((c) => c.name)).toEqual(['bad-us', 'ok-eu']);

    const eu = await fleet('?name=EU');
    expect(eu.clusters.map((c) => c.name)).toEqual(['down-eu', 'ok-eu']);
    expect(eu.counts).toEqual({ healthy: 1, warning: 0, critical: 0, unreachable: 1, pending: 0 });
    const euProd = await fleet('?name=-eu&tag=prod&status=unreachable');
    expect(euProd.clusters).toEqual([]);
    expect(euProd.counts).toEqual({ healthy: 1, warning: 0, critical: 0, unreachable: 0, pending: 0 });
    expect(euProd.total).toBe(4);
  });

  it('filters by tags: a cluster must have every tag, repeated or comma-separated', async () => {
    await seed();
    const names = async (query: string) => (await fleet(query)).clusters.map((c) => c.name);
    expect(await names('?tag=eu')).toEqual(['down-eu', 'ok-eu']);
    expect(await names('?tag=eu&tag=prod')).toEqual(['ok-eu']);
    expect(await names('?tag=eu,prod')).toEqual(['ok-eu']);
    expect(await names('?tag=nope')).toEqual([]);
    const filtered = await fleet('?tag=us');
    expect(filtered.counts).toEqual({ healthy: 0, warning: 0, critical: 1, unreachable: 0, pending: 0 });
    // Every tag stays listed for the filter.
    expect(filtered.tags).toEqual(['eu', 'prod', 'staging', 'us']);
  });

  // What a cluster's entry takes from the kept inputs is serialized once per read of them: never served after they changed.
  it('answers a cluster renamed or re-tagged at once', async () => {
    const { ok } = await seed();
    expect((await fleet('?name=ok')).clusters[0]).toMatchObject({ name: 'ok-eu', tags: ['prod', 'eu'] });
    const put = await t.app.inject({ method: 'PUT', url: `/api/clusters/${ok.id}`, headers: { authorization: t.auth }, payload: clusterBody({ name: 'ok-asia', tags: ['asia'] }) });
    expect(put.statusCode, put.body).toBe(200);
    const after = await fleet('?name=ok');
    expect(after.clusters[0]).toMatchObject({ id: ok.id, name: 'ok-asia', tags: ['asia'], qps: 200 });
    expect(after.tags).toEqual(['asia', 'eu', 'prod', 'staging', 'us']);
  });

  it('answers the figures and sparkline of a collection landed since', async () => {
    const { ok } = await seed();
    const before = (await fleet('?name=ok')).clusters[0];
    expect(before).toMatchObject({ qps: 200, last_collected_at: new Date(NOW - MIN).toISOString() });
    await insertRows(t.storage, [snapshotRow(ok.id, NOW + 4 * MIN, { qps: 400, avg_cpu_usage: 35.123456789 })]);
    // Into the next 5-minute bucket: the sparkline moves on a bucket and the inputs are read again.
    t.clock.advance(5 * MIN);
    const after = (await fleet('?name=ok')).clusters[0];
    expect(after).toMatchObject({ qps: 400, avg_cpu_usage: 35.123456789, last_collected_at: new Date(NOW + 4 * MIN).toISOString() });
    expect(after?.qps_sparkline.start).toBe(new Date(NOW - 110 * MIN).toISOString());
    expect(after?.qps_sparkline.values.slice(-3)).toEqual([150, 400, null]);
  });

  it('works out the staleness and the collection lag at each request, the stored figures unchanged', async () => {
    const { ok } = await seed();
    const state = { lastStatus: 'ok', consecutiveFailures: 0, lastAttemptAt: NOW - MIN, lastSuccessAt: NOW - MIN, lastDurationMs: 80, lastError: null, nextAttemptAt: NOW - 5_000, running: false, lagMs: 0, intervalMs: 30_000 } as const;
    await writeCollectionStates(t.storage.db, new Map([[ok.id, state]]), NOW);
    const first = (await fleet('?name=ok')).clusters[0];
    expect(first).toMatchObject({ health: { status: 'healthy', score: 100 }, collection: { lag_ms: 5_000, late: false } });
    // Three minutes on, in the same 5-minute bucket (the same kept inputs): the latest snapshot is 4 minutes old.
    t.clock.advance(3 * MIN);
    const later = (await fleet('?name=ok')).clusters[0];
    expect(later?.health).toMatchObject({ status: 'warning', score: 90, reasons: [{ code: 'data_stale', message: expect.stringContaining('240 s old') }] });
    expect(later?.collection).toMatchObject({ lag_ms: 185_000, late: true });
    expect(later?.qps_sparkline).toEqual(first?.qps_sparkline);
    t.clock.advance(MIN);
    expect((await fleet('?name=ok')).clusters[0]?.health.reasons[0]?.message).toContain('300 s old');
  });

  it('names a bad parameter and what it accepts', async () => {
    const bad = async (query: string) => {
      const response = await t.app.inject({ method: 'GET', url: `/api/fleet/overview${query}`, headers: { authorization: t.auth } });
      expect(response.statusCode).toBe(400);
      return response.json<ErrorJson>().details;
    };
    expect(await bad('?sort=size')).toEqual([{ field: 'sort', message: 'must be one of name, status, score, qps, latency, cpu, memory, disk' }]);
    expect(await bad('?order=up')).toEqual([{ field: 'order', message: 'must be one of asc, desc' }]);
    expect(await bad('?tags=prod')).toEqual([{ field: 'tags', message: 'is not a known parameter; accepted: sort, order, tag, status, name, limit, offset' }]);
    expect(await bad('?limit=0')).toEqual([{ field: 'limit', message: 'must be a whole number from 1 to 5000' }]);
    expect(await bad('?status=critical,broken')).toEqual([{ field: 'status', message: 'has "broken"; accepted: unreachable, critical, warning, pending, healthy' }]);
  });

  it('needs credentials', async () => {
    expect((await t.app.inject({ method: 'GET', url: '/api/fleet/overview' })).statusCode).toBe(401);
  });
});
