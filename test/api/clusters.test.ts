import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ClusterJson } from '../../src/shared/api/clusters.js';
import type { ErrorJson } from '../../src/shared/api/common.js';
import { clusterBody } from '../helpers/factories.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';

let t: TestApp;
beforeEach(async () => {
  t = await createTestApp();
});
afterEach(async () => {
  await t.close();
});

function request(method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, payload?: unknown) {
  return t.app.inject({ method, url, headers: { authorization: t.auth }, ...(payload === undefined ? {} : { payload: payload as object }) });
}

async function create(overrides: Record<string, unknown> = {}): Promise<ClusterJson> {
  const response = await request('POST', '/api/clusters', clusterBody(overrides));
  expect(response.statusCode, response.body).toBe(201);
  return response.json<ClusterJson>();
}

describe('POST /api/clusters', () => {
  it('registers a cluster with the documented defaults and answers 201 with its location', async () => {
    const response = await request('POST', '/api/clusters', { name: ' prod-eu ', fe_host: ' fe1.example.com ', username: 'root' });
    expect(response.statusCode).toBe(201);
    const body = response.json();
    expect(response.headers.location).toBe(`/api/clusters/${body.id}`);
    expect(body).toEqual({
      id: body.id,
      name: 'prod-eu',
      description: '',
      fe_host: 'fe1.example.com',
      fe_http_port: 8030,
      fe_query_port: 9030,
      username: 'root',
      password_set: false,
      enable_ssl: false,
      connection_timeout: 10,
      collect_interval: null,
      collection: null,
      tags: [],
      deployment_mode: 'shared_nothing',
      engine: 'starrocks',
      node_list_source: 'http',
      sources: null,
      effective_sources: ['follower_metrics'],
      created_at: '2026-11-24T12:00:00.000Z',
      updated_at: '2026-11-24T12:00:00.000Z',
    });
  });

  it('takes every field', async () => {
    const body = await create({
      description: 'Doris in the lab',
      fe_host: '10.0.0.5',
      fe_http_port: 8130,
      fe_query_port: 9130,
      password: 'pw',
      enable_ssl: true,
      connection_timeout: 30,
      tags: ['lab', 'doris', 'lab'],
      deployment_mode: 'shared_data',
      engine: 'doris',
      node_list_source: 'mysql',
    });
    expect(body).toMatchObject({
      description: 'Doris in the lab',
      fe_host: '10.0.0.5',
      fe_http_port: 8130,
      fe_query_port: 9130,
      password_set: true,
      enable_ssl: true,
      connection_timeout: 30,
      tags: ['lab', 'doris'],
      deployment_mode: 'shared_data',
      engine: 'doris',
      node_list_source: 'mysql',
    });
    expect(body).not.toHaveProperty('password');
  });

  it.each([
    [{ name: undefined }, 'name', 'is required'],
    [{ name: '   ' }, 'name', 'must not be empty'],
    [{ name: 'x'.repeat(101) }, 'name', 'must be at most 100 characters'],
    [{ name: 'bad\nname' }, 'name', 'must not contain control characters'],
    [{ name: 42 }, 'name', 'must be a string'],
    [{ fe_host: 'http://fe1:8030' }, 'fe_host', 'must be a host name or IP address, without scheme, port or path (e.g. fe1.example.com or 10.0.0.5)'],
    [{ fe_host: 'fe1.example.com:8030' }, 'fe_host', 'must be a host name or IP address, without scheme, port or path (e.g. fe1.example.com or 10.0.0.5)'],
    [{ fe_host: undefined }, 'fe_host', 'is required'],
    [{ fe_http_port: 0 }, 'fe_http_port', 'must be a whole number from 1 to 65535'],
    [{ fe_http_port: 65536 }, 'fe_http_port', 'must be a whole number from 1 to 65535'],
    [{ fe_http_port: 80.5 }, 'fe_http_port', 'must be a whole number from 1 to 65535'],
    [{ fe_http_port: '8030' }, 'fe_http_port', 'must be a whole number from 1 to 65535'],
    [{ fe_query_port: -1 }, 'fe_query_port', 'must be a whole number from 1 to 65535'],
    [{ username: '' }, 'username', 'must not be empty'],
    [{ password: 5 }, 'password', 'must be a string'],
    [{ enable_ssl: 'yes' }, 'enable_ssl', 'must be true or false'],
    [{ connection_timeout: 0 }, 'connection_timeout', 'must be a whole number from 1 to 300'],
    [{ connection_timeout: 301 }, 'connection_timeout', 'must be a whole number from 1 to 300'],
    [{ tags: 'prod' }, 'tags', 'must be an array of strings'],
    [{ tags: ['ok', ''] }, 'tags[1]', 'must not be empty'],
    [{ tags: ['a,b'] }, 'tags[0]', 'must not contain commas'],
    [{ tags: Array.from({ length: 33 }, (_, i) => `t${i}`) }, 'tags', 'must have at most 32 tags'],
    [{ deployment_mode: 'shared' }, 'deployment_mode', 'must be one of shared_nothing, shared_data'],
    [{ engine: 'clickhouse' }, 'engine', 'must be one of starrocks, doris'],
    [{ node_list_source: 'jdbc' }, 'node_list_source', 'must be one of http, mysql'],
    [{ fe_port: 8030 }, 'fe_port', 'is not a known field'],
  ])('answers 400 for %j, naming %s', async (overrides, field, message) => {
    const response = await request('POST', '/api/clusters', clusterBody(overrides));
    expect(response.statusCode).toBe(400);
    expect(response.json()).toEqual({ code: 'STELLAR_ERR_VALIDATION', message: `${field}: ${message}`, details: [{ field, message }] });
  });

  it('lists every problem of a body at once', async () => {
    const response = await request('POST', '/api/clusters', { fe_http_port: 0, engine: 'x' });
    expect(response.json<ErrorJson>().details?.map((d) => d.field).sort()).toEqual(['engine', 'fe_host', 'fe_http_port', 'name', 'username']);
  });

  it('answers 400 for a body that is not a JSON object', async () => {
    for (const payload of [[], 'text', 42, null]) {
      const response = await t.app.inject({
        method: 'POST',
        url: '/api/clusters',
        headers: { authorization: t.auth, 'content-type': 'application/json' },
        payload: JSON.stringify(payload),
      });
      expect(response.statusCode, JSON.stringify(payload)).toBe(400);
      expect(response.json().code).toBe('STELLAR_ERR_VALIDATION');
    }
  });

  it('answers 400 for malformed or empty JSON, 415 for another content type, 413 for a huge body', async () => {
    const post = (headers: Record<string, string>, payload: string) =>
      t.app.inject({ method: 'POST', url: '/api/clusters', headers: { authorization: t.auth, ...headers }, payload });
    const malformed = await post({ 'content-type': 'application/json' }, '{"name": ');
    expect([malformed.statusCode, malformed.json().code]).toEqual([400, 'STELLAR_ERR_BAD_REQUEST']);
    const empty = await post({ 'content-type': 'application/json' }, '');
    expect([empty.statusCode, empty.json().code]).toEqual([400, 'STELLAR_ERR_BAD_REQUEST']);
    const form = await post({ 'content-type': 'application/x-www-form-urlencoded' }, 'name=x');
    expect([form.statusCode, form.json().code]).toEqual([415, 'STELLAR_ERR_UNSUPPORTED_MEDIA_TYPE']);
    const huge = await post({ 'content-type': 'application/json' }, JSON.stringify(clusterBody({ description: 'x'.repeat(2 * 1024 * 1024) })));
    expect([huge.statusCode, huge.json().code]).toEqual([413, 'STELLAR_ERR_PAYLOAD_TOO_LARGE']);
  });

  it('answers 409 for a name already taken, in any case', async () => {
    await create({ name: 'Prod' });
    const response = await request('POST', '/api/clusters', clusterBody({ name: 'PROD' }));
    expect(response.statusCode).toBe(409);
    expect(response.json()).toEqual({
      code: 'STELLAR_ERR_CLUSTER_NAME_TAKEN',
      message: 'a cluster named "PROD" already exists',
      details: [{ field: 'name', message: 'is already used by another cluster' }],
    });
  });
});

describe('GET /api/clusters and /api/clusters/:id', () => {
  it('lists clusters in the order they were registered', async () => {
    expect((await request('GET', '/api/clusters')).json()).toEqual([]);
    const a = await create({ name: 'b-cluster' });
    const b = await create({ name: 'a-cluster' });
    const response = await request('GET', '/api/clusters');
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual([a, b]);
  });

  it('shows one cluster', async () => {
    const cluster = await create();
    const response = await request('GET', `/api/clusters/${cluster.id}`);
    expect([response.statusCode, response.json()]).toEqual([200, cluster]);
    expect((await request('GET', `/api/clusters/${cluster.id}/`)).statusCode).toBe(200);
  });

  it('answers 404 for an unknown id and 400 for an id that is not a positive whole number', async () => {
    expect((await request('GET', '/api/clusters/999')).json()).toEqual({
      code: 'STELLAR_ERR_CLUSTER_NOT_FOUND',
      message: 'no cluster with id 999',
      details: null,
    });
    expect((await request('GET', '/api/clusters/999')).statusCode).toBe(404);
    for (const id of ['abc', '0', '-1', '1.5', '1e3', '99999999999999999999']) {
      const response = await request('GET', `/api/clusters/${id}`);
      expect(response.statusCode, id).toBe(400);
      expect(response.json().details, id).toEqual([{ field: 'id', message: 'must be a positive whole number' }]);
    }
  });
});

describe('PUT /api/clusters/:id', () => {
  it('changes only the fields sent', async () => {
    const cluster = await create({ name: 'prod', tags: ['eu'], password: 'old' });
    t.clock.advance(60_000);
    const response = await request('PUT', `/api/clusters/${cluster.id}`, { fe_http_port: 8040, tags: ['eu', 'tier1'], keep_password: true });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ ...cluster, fe_http_port: 8040, tags: ['eu', 'tier1'], updated_at: '2026-11-24T12:01:00.000Z' });
    expect((await request('GET', `/api/clusters/${cluster.id}`)).json()).toEqual(response.json());
  });

  it('accepts an empty body as "change nothing"', async () => {
    const cluster = await create();
    const response = await request('PUT', `/api/clusters/${cluster.id}`, {});
    expect(response.statusCode).toBe(200);
    expect(response.json().name).toBe(cluster.name);
  });

  it('validates like POST and answers 404 and 409 like it', async () => {
    const cluster = await create({ name: 'one' });
    await create({ name: 'two' });
    const invalid = await request('PUT', `/api/clusters/${cluster.id}`, { fe_http_port: 0, bogus: 1 });
    expect(invalid.statusCode).toBe(400);
    expect(invalid.json().details).toEqual([
      { field: 'fe_http_port', message: 'must be a whole number from 1 to 65535' },
      { field: 'bogus', message: 'is not a known field' },
    ]);
    expect((await request('PUT', `/api/clusters/${cluster.id}`, { name: 'TWO' })).statusCode).toBe(409);
    expect((await request('PUT', '/api/clusters/404', { name: 'x' })).statusCode).toBe(404);
    expect((await request('PUT', `/api/clusters/${cluster.id}`, { name: null })).json().details).toEqual([{ field: 'name', message: 'must be a string' }]);
  });
});

describe('PUT /api/clusters/:id with a stored password', () => {
  it('refuses a new host or port without the password, naming the field', async () => {
    const cluster = await create({ password: 'stored-pw' });
    for (const change of [{ fe_host: 'elsewhere.example.com' }, { fe_http_port: 8040 }, { fe_query_port: 9040, name: 'renamed' }]) {
      const response = await request('PUT', `/api/clusters/${cluster.id}`, change);
      expect(response.statusCode, JSON.stringify(change)).toBe(400);
      const body = response.json<ErrorJson>();
      expect(body.code).toBe('STELLAR_ERR_VALIDATION');
      expect(body.details).toEqual([{ field: 'password', message: expect.stringContaining(`${Object.keys(change)[0]} changes`) }]);
    }
    expect((await request('GET', `/api/clusters/${cluster.id}`)).json()).toEqual(cluster);
  });

  it('accepts the move with the password again, or with keep_password from an administrator', async () => {
    const cluster = await create({ password: 'stored-pw' });
    const withPassword = await request('PUT', `/api/clusters/${cluster.id}`, { fe_host: 'fe2.example.com', password: 'new-pw' });
    expect(withPassword.statusCode).toBe(200);
    const kept = await request('PUT', `/api/clusters/${cluster.id}`, { fe_http_port: 8040, keep_password: true });
    expect(kept.statusCode).toBe(200);
    expect(kept.json()).toMatchObject({ fe_host: 'fe2.example.com', fe_http_port: 8040, password_set: true });
  });

  it('needs nothing more for a cluster without a password, the same address, or other fields', async () => {
    const bare = await create();
    expect((await request('PUT', `/api/clusters/${bare.id}`, { fe_host: 'fe9.example.com' })).statusCode).toBe(200);
    const cluster = await create({ password: 'stored-pw' });
    const same = await request('PUT', `/api/clusters/${cluster.id}`, { fe_host: cluster.fe_host.toUpperCase(), fe_http_port: cluster.fe_http_port, description: 'x' });
    expect(same.statusCode).toBe(200);
  });

  it('lets only an administrator keep the password: an anonymous caller (auth off) gets 403', async () => {
    const open = await createTestApp({ authEnabled: false });
    try {
      const created = await open.app.inject({ method: 'POST', url: '/api/clusters', payload: clusterBody({ password: 'stored-pw' }) });
      const response = await open.app.inject({ method: 'PUT', url: `/api/clusters/${created.json().id}`, payload: { fe_http_port: 8040, keep_password: true } });
      expect(response.statusCode).toBe(403);
      expect(response.json()).toMatchObject({ code: 'STELLAR_ERR_AUTH_FORBIDDEN', details: [{ field: 'keep_password' }] });
    } finally {
      await open.close();
    }
  });
});

describe('DELETE /api/clusters/:id', () => {
  it('deletes the cluster and its snapshots, then answers 404', async () => {
    const cluster = await create();
    await t.storage.db.insertInto('metrics_snapshots').values({ cluster_id: cluster.id, collected_at: 1 }).execute();
    const response = await request('DELETE', `/api/clusters/${cluster.id}`);
    expect([response.statusCode, response.body]).toEqual([204, '']);
    expect(await t.storage.db.selectFrom('metrics_snapshots').selectAll().execute()).toEqual([]);
    expect((await request('GET', `/api/clusters/${cluster.id}`)).statusCode).toBe(404);
    expect((await request('DELETE', `/api/clusters/${cluster.id}`)).statusCode).toBe(404);
  });
});

describe('unknown routes', () => {
  it('answer 404 in the API error shape', async () => {
    const response = await request('GET', '/api/nothing-here?x=1');
    expect(response.statusCode).toBe(404);
    expect(response.json()).toEqual({ code: 'STELLAR_ERR_ROUTE_NOT_FOUND', message: 'no route GET /api/nothing-here', details: null });
    expect((await request('PUT', '/api/clusters')).statusCode).toBe(404);
  });
});

describe('collect_interval', () => {
  it('takes whole seconds or null, and names the field when it is wrong', async () => {
    const t = await createTestApp();
    try {
      const created = await t.app.inject({ method: 'POST', url: '/api/clusters', headers: { authorization: t.auth }, payload: clusterBody({ collect_interval: 120 }) });
      expect(created.json().collect_interval).toBe(120);
      const cleared = await t.app.inject({ method: 'PUT', url: `/api/clusters/${created.json().id}`, headers: { authorization: t.auth }, payload: { collect_interval: null } });
      expect(cleared.json().collect_interval).toBeNull();
      const bad = await t.app.inject({ method: 'POST', url: '/api/clusters', headers: { authorization: t.auth }, payload: clusterBody({ collect_interval: 0.5 }) });
      expect(bad.statusCode).toBe(400);
      expect(bad.json().details).toEqual([{ field: 'collect_interval', message: 'must be a whole number from 1 to 86400' }]);
    } finally {
      await t.close();
    }
  });
});

