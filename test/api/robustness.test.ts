/**
 * No input produces a 500: arbitrary JSON bodies, ids, query strings (of every route that reads
 * one) and Authorization headers all get a 2xx or a 4xx with the JSON error shape.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/test-app.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => {
  await t.close();
});

const FIELDS = ['name', 'description', 'fe_host', 'fe_http_port', 'fe_query_port', 'username', 'password', 'enable_ssl', 'connection_timeout', 'tags', 'deployment_mode', 'engine', 'node_list_source'];

/** Bodies that look like cluster bodies, with every field taking any JSON value. */
const clusterish = fc.dictionary(fc.oneof(fc.constantFrom(...FIELDS), fc.string()), fc.jsonValue(), { maxKeys: 14 });

function expectNoServerError(response: { statusCode: number; body: string }) {
  expect(response.statusCode, response.body).toBeLessThan(500);
  if (response.statusCode >= 400) expect(JSON.parse(response.body)).toMatchObject({ code: expect.stringMatching(/^STELLAR_ERR_/) });
}

describe('the API under arbitrary input', () => {
  it('answers cluster bodies of any shape with 2xx or 4xx', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom('POST', 'PUT'), fc.oneof(clusterish, fc.jsonValue()), async (method, body) => {
        const url = method === 'POST' ? '/api/clusters' : '/api/clusters/1';
        const response = await t.app.inject({
          method,
          url,
          headers: { authorization: t.auth, 'content-type': 'application/json' },
          payload: JSON.stringify(body) ?? '',
        });
        expectNoServerError(response);
      }),
      { numRuns: 300 },
    );
  });

  it('answers any path id and query string with 2xx or 4xx', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string(), fc.string(), async (id, query) => {
        const url = `/api/clusters/${encodeURIComponent(id)}?${encodeURIComponent(query)}=${encodeURIComponent(id)}`;
        expectNoServerError(await t.app.inject({ method: 'GET', url, headers: { authorization: t.auth } }));
      }),
      { numRuns: 300 },
    );
  });

  const QUERY_PARAMS = ['cluster_id', 'time_range', 'from', 'to', 'max_points', 'sort', 'order', 'tag', 'fields', 'format', 'limit', 'cursor'];
  /** Values that are sometimes right: presets, instants, numbers, field names, or anything. */
  const paramValue = fc.oneof(
    fc.string(),
    fc.constantFrom('1', '0', '-1', '15m', '30d', 'custom', 'qps,rps', 'csv', 'json', 'status', 'desc', '2026-11-24', '2026-11-24T12:00:00Z', '9999-12-31', '1e3', ''),
    fc.integer().map(String),
    fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
  );
  const queryString = fc
    .array(fc.tuple(fc.oneof(fc.constantFrom(...QUERY_PARAMS), fc.string()), paramValue), { maxLength: 6 })
    .map((pairs) => pairs.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&'));

  it('answers any query string on the overview, fleet, export and node routes with 2xx or 4xx', async () => {
    const cluster = await t.app.inject({ method: 'POST', url: '/api/clusters', headers: { authorization: t.auth }, payload: { name: 'fuzzed', fe_host: 'fe1.example.com', username: 'root' } });
    const id = cluster.json<{ id: number }>().id;
    const paths = ['/api/clusters/overview', `/api/clusters/${id}/overview`, '/api/fleet/overview', `/api/clusters/${id}/snapshots`, `/api/clusters/${id}/daily`, `/api/clusters/${id}/nodes`];
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...paths), fc.oneof(fc.constant(''), fc.constant(`cluster_id=${id}&`)), queryString, async (path, prefix, query) => {
        expectNoServerError(await t.app.inject({ method: 'GET', url: `${path}?${prefix}${query}`, headers: { authorization: t.auth } }));
      }),
      { numRuns: 400 },
    );
  });

  it('answers any test-connection body with 2xx or 4xx', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(clusterish, fc.jsonValue()), async (body) => {
        // Whatever else is sent, a body that passes validation costs at most a second.
        const payload = typeof body === 'object' && body !== null && !Array.isArray(body) ? { ...body, connection_timeout: 1 } : body;
        const response = await t.app.inject({
          method: 'POST',
          url: '/api/clusters/test-connection',
          headers: { authorization: t.auth, 'content-type': 'application/json' },
          payload: JSON.stringify(payload) ?? '',
        });
        expectNoServerError(response);
      }),
      { numRuns: 200 },
    );
  });

  it('answers any Authorization header with 2xx or 401', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ unit: 'binary-ascii' }), async (header) => {
        const value = header.replace(/[\r\n\0]/g, '');
        const response = await t.app.inject({ method: 'GET', url: '/api/auth/me', headers: { authorization: value } });
        expectNoServerError(response);
      }),
      { numRuns: 100 },
    );
  });
});
