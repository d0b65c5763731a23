/** GET /api/clusters/:id/nodes, POST /api/clusters/test-connection and POST /api/clusters/:id/test. */
import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClusterJson } from '../../src/shared/api/clusters.js';
import type { ErrorJson } from '../../src/shared/api/common.js';
import type { ClusterNodesJson } from '../../src/shared/api/nodes.js';
import type { ConnectionTestJson } from '../../src/shared/api/connection-test.js';
import { upsertClusterNodes } from '../../src/storage/repos/nodes.repo.js';
import { clusterBody } from '../helpers/factories.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';

const NOW = Date.UTC(2026, 10, 24, 12, 0, 0);

let t: TestApp;
let closedPort: number;
beforeAll(async () => {
  t = await createTestApp();
  // A port nothing listens on: bound, noted, closed.
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  closedPort = (server.address() as { port: number }).port;
  await new Promise((resolve) => server.close(resolve));
});
afterAll(async () => {
  await t.close();
});

function request(method: 'GET' | 'POST' | 'PUT', url: string, payload?: object) {
  return t.app.inject({ method, url, headers: { authorization: t.auth }, ...(payload === undefined ? {} : { payload }) });
}

async function create(overrides: Record<string, unknown> = {}): Promise<ClusterJson> {
  return (await request('POST', '/api/clusters', clusterBody(overrides))).json<ClusterJson>();
}

describe('GET /api/clusters/:id/nodes', () => {
  it('is null per list until collected, then each list with its own time', async () => {
    const cluster = await create();
    expect((await request('GET', `/api/clusters/${cluster.id}/nodes`)).json()).toEqual({ cluster_id: cluster.id, frontends: null, backends: null, compute_nodes: null });
    await upsertClusterNodes(t.storage.db, cluster.id, {
      at: NOW,
      frontends: JSON.stringify([{ name: 'fe1', host: '10.0.0.1', httpPort: 8030, queryPort: 9030, role: 'LEADER', alive: true, replayedJournalId: 9, lastHeartbeatMs: NOW - 1000, startTimeMs: NOW - 3_600_000, version: '3.3.5', errMsg: null }]),
      backends: JSON.stringify([{ kind: 'backend', id: '10001', host: '10.0.0.2', heartbeatPort: 9050, httpPort: 8040, alive: false, decommissioned: false, lastStartMs: null, lastHeartbeatMs: null, errMsg: 'down', version: '3.3.5', tablets: 5, dataUsedBytes: 1, availBytes: 2, totalBytes: 3, maxDiskUsedPct: 4, cpuCores: 8, memLimitBytes: null, runningQueries: 0, memUsedPct: 10, cpuUsedPct: 20 }]),
      computeNodes: null,
    });
    const body = (await request('GET', `/api/clusters/${cluster.id}/nodes`)).json<ClusterNodesJson>();
    expect(body.frontends).toEqual({ collected_at: new Date(NOW).toISOString(), nodes: [expect.objectContaining({ name: 'fe1', http_port: 8030, role: 'LEADER', alive: true, start_time: new Date(NOW - 3_600_000).toISOString() })] });
    expect(body.backends?.nodes).toEqual([expect.objectContaining({ kind: 'backend', id: '10001', alive: false, err_msg: 'down', cpu_used_pct: 20, mem_limit_bytes: null })]);
    expect(body.compute_nodes).toBeNull();
  });

  it('answers 404 for an unknown cluster and 400 for a bad id', async () => {
    expect((await request('GET', '/api/clusters/999/nodes')).statusCode).toBe(404);
    expect((await request('GET', '/api/clusters/x/nodes')).statusCode).toBe(400);
  });
});

describe('connection tests', () => {
  it('answers 200 with ok false and each failed source when nothing answers', async () => {
    const response = await request('POST', '/api/clusters/test-connection', clusterBody({ fe_host: '127.0.0.1', fe_http_port: closedPort, fe_query_port: closedPort, connection_timeout: 2, password: 'secret' }));
    expect(response.statusCode, response.body).toBe(200);
    const body = response.json<ConnectionTestJson>();
    expect(body.ok).toBe(false);
    expect(body.version).toBeNull();
    expect(body.checks.map((c) => [c.source, c.ok, c.error_kind])).toEqual([
      ['frontends', false, 'refused'],
      ['backends', false, 'refused'],
      ['compute_nodes', false, 'refused'],
      [`metrics 127.0.0.1:${closedPort}`, false, 'refused'],
    ]);
    for (const check of body.checks) expect(check.duration_ms).toBeGreaterThanOrEqual(0);
    expect(response.body).not.toContain('secret');
  });

  it('asks no compute-node list of a Doris cluster', async () => {
    const body = (await request('POST', '/api/clusters/test-connection', clusterBody({ fe_host: '127.0.0.1', fe_http_port: closedPort, engine: 'doris', connection_timeout: 1 }))).json<ConnectionTestJson>();
    expect(body.checks.map((c) => c.source)).not.toContain('compute_nodes');
  });

  it('tests a registered cluster with its stored settings', async () => {
    const cluster = await create({ fe_host: '127.0.0.1', fe_http_port: closedPort, connection_timeout: 1 });
    const response = await request('POST', `/api/clusters/${cluster.id}/test`);
    expect(response.statusCode).toBe(200);
    expect(response.json<ConnectionTestJson>()).toMatchObject({ ok: false, checks: expect.arrayContaining([expect.objectContaining({ source: 'frontends', error_kind: 'refused' })]) });
    expect((await request('POST', '/api/clusters/999/test')).statusCode).toBe(404);
  });

  it('answers bad input with 400 naming the fields, as cluster creation does', async () => {
    const response = await request('POST', '/api/clusters/test-connection', { fe_host: 'http://x', fe_http_port: 0, nonsense: 1 });
    expect(response.statusCode).toBe(400);
    const fields = response.json<ErrorJson>().details?.map((d) => d.field);
    expect(fields).toEqual(expect.arrayContaining(['name', 'username', 'fe_host', 'fe_http_port', 'nonsense']));
  });

  it('is never taken for /api/clusters/:id', async () => {
    expect((await request('GET', '/api/clusters/test-connection')).statusCode).toBe(400);
    expect((await request('PUT', '/api/clusters/test-connection', {})).json()).toMatchObject({ code: 'STELLAR_ERR_VALIDATION', details: [{ field: 'id' }] });
    expect((await t.app.inject({ method: 'POST', url: '/api/clusters/test-connection', payload: clusterBody() })).statusCode).toBe(401);
  });
});
