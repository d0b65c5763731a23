/**
 * No input produces a 500: arbitrary JSON bodies, ids, query strings and Authorization headers
 * all get a 2xx or a 4xx with the JSON error shape.
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
