/**
 * A cluster's own optional sources in the API: `sources` on create, update, get and list (null
 * follows `[metrics] sources`, shown in `effective_sources`), GET /api/clusters/sources, the
 * overview, and the connection test, which asks what the cluster's collections would.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_METRICS_SETTINGS } from '../../src/api/stored-data-deps.js';
import type { ClusterJson } from '../../src/shared/api/clusters.js';
import type { ConnectionTestJson } from '../../src/shared/api/connection-test.js';
import type { ClusterOverviewJson } from '../../src/shared/api/overview.js';
import { startSimulatedFleet, type SimulatedFleet } from '../../src/simulator/fleet.js';
import { clusterBody } from '../helpers/factories.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';

let t: TestApp;
let fleet: SimulatedFleet;

beforeAll(async () => {
  // The global set: followers and BEs.
  t = await createTestApp({ metrics: { ...DEFAULT_METRICS_SETTINGS, sources: new Set(['be_metrics', 'follower_metrics']) } });
  fleet = await startSimulatedFleet({ clusters: 1, fes: 2, bes: 2, password: 'pw', clock: t.clock.now, beMetrics: true });
});
afterAll(async () => {
  await fleet.close();
  await t.close();
});

function request(method: 'GET' | 'POST' | 'PUT', url: string, payload?: object) {
  return t.app.inject({ method, url, headers: { authorization: t.auth }, ...(payload === undefined ? {} : { payload }) });
}

async function create(overrides: Record<string, unknown> = {}): Promise<ClusterJson> {
  const response = await request('POST', '/api/clusters', clusterBody(overrides));
  expect(response.statusCode, response.body).toBe(201);
  return response.json<ClusterJson>();
}

const ACCEPTED = 'follower_metrics, runtime_info, be_metrics';

describe('a cluster’s sources in /api/clusters', () => {
  it('is null by default, and the cluster then gets the global set', async () => {
    const cluster = await create();
    expect(cluster).toMatchObject({ sources: null, effective_sources: ['follower_metrics', 'be_metrics'] });
  });

  it('takes a list of its own ([] is none), stored once each in the canonical order, shown by get and list', async () => {
    const none = await create({ sources: [] });
    expect(none).toMatchObject({ sources: [], effective_sources: [] });
    const own = await create({ sources: ['be_metrics', 'runtime_info', 'be_metrics'] });
    expect(own).toMatchObject({ sources: ['runtime_info', 'be_metrics'], effective_sources: ['runtime_info', 'be_metrics'] });
    expect((await request('GET', `/api/clusters/${own.id}`)).json()).toMatchObject({ sources: ['runtime_info', 'be_metrics'] });
    const listed = (await request('GET', '/api/clusters')).json<ClusterJson[]>();
    expect(listed.find((c) => c.id === none.id)).toMatchObject({ sources: [], effective_sources: [] });
  });

  it('is changed by PUT, back to the global set with null, and left alone by a PUT without it', async () => {
    const cluster = await create();
    const switched = (await request('PUT', `/api/clusters/${cluster.id}`, { sources: ['be_metrics'] })).json<ClusterJson>();
    expect(switched).toMatchObject({ sources: ['be_metrics'], effective_sources: ['be_metrics'] });
    expect((await request('PUT', `/api/clusters/${cluster.id}`, { description: 'x' })).json()).toMatchObject({ sources: ['be_metrics'] });
    expect((await request('PUT', `/api/clusters/${cluster.id}`, { sources: null })).json()).toMatchObject({ sources: null, effective_sources: ['follower_metrics', 'be_metrics'] });
  });

  it.each([
    [{ sources: 'be_metrics' }, 'sources', `must be null or an array of ${ACCEPTED}`],
    [{ sources: ['cpu'] }, 'sources[0]', `must be one of ${ACCEPTED}`],
    [{ sources: ['be_metrics', 'scrape_backends'] }, 'sources[1]', `must be one of ${ACCEPTED}`],
  ])('answers 400 for %j on POST and PUT, naming %s and the accepted values', async (body, field, message) => {
    const posted = await request('POST', '/api/clusters', clusterBody(body));
    expect(posted.statusCode).toBe(400);
    expect(posted.json()).toEqual({ code: 'STELLAR_ERR_VALIDATION', message: `${field}: ${message}`, details: [{ field, message }] });
    const cluster = await create();
    const put = await request('PUT', `/api/clusters/${cluster.id}`, body);
    expect(put.statusCode).toBe(400);
    expect(put.json()).toMatchObject({ details: [{ field, message }] });
  });

  it('GET /api/clusters/sources names every source and the global set', async () => {
    const response = await request('GET', '/api/clusters/sources');
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ available: ['follower_metrics', 'runtime_info', 'be_metrics'], global: ['follower_metrics', 'be_metrics'] });
  });

  it('the overview carries the cluster’s own and effective sources', async () => {
    const own = await create({ sources: ['runtime_info'] });
    const following = await create();
    expect((await request('GET', `/api/clusters/${own.id}/overview`)).json<ClusterOverviewJson>()).toMatchObject({ sources: ['runtime_info'], effective_sources: ['runtime_info'] });
    expect((await request('GET', `/api/clusters/${following.id}/overview`)).json<ClusterOverviewJson>()).toMatchObject({ sources: null, effective_sources: ['follower_metrics', 'be_metrics'] });
  });
});

describe('the connection test follows the cluster’s sources', () => {
  const sim = () => {
    const d = fleet.details()[0]!;
    return { fe_host: d.fe_host, fe_http_port: d.fe_http_port, fe_query_port: d.fe_query_port, password: 'pw', connection_timeout: 2 };
  };
  const optional = (body: ConnectionTestJson) => body.checks.map((c) => c.source.split(' ')[0]).filter((s) => s !== 'frontends' && s !== 'backends' && s !== 'compute_nodes');

  it('of a registered cluster: [] asks only the configured FE’s /metrics, null asks the global set', async () => {
    const none = await create({ ...sim(), sources: [] });
    const noneTest = (await request('POST', `/api/clusters/${none.id}/test`)).json<ConnectionTestJson>();
    expect(noneTest.ok).toBe(true);
    expect(optional(noneTest)).toEqual(['metrics']);
    const following = await create(sim());
    const followingTest = (await request('POST', `/api/clusters/${following.id}/test`)).json<ConnectionTestJson>();
    expect(followingTest.ok).toBe(true);
    expect(optional(followingTest)).toEqual(['metrics', 'metrics', 'be_metrics', 'be_metrics']);
  });

  it('of a cluster not registered yet: the body’s sources', async () => {
    const body = (await request('POST', '/api/clusters/test-connection', clusterBody({ ...sim(), sources: ['runtime_info'] }))).json<ConnectionTestJson>();
    expect(optional(body)).toEqual(['metrics', 'runtime_info']);
  });
});
