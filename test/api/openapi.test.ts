/** The OpenAPI spec at /api/openapi.json and Swagger UI at /api/docs. */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/test-app.js';

/** Every method and path Fastify routes, read from its route tree (HEAD is Fastify's own twin of GET). */
function registeredRoutes(app: FastifyInstance): string[] {
  const routes: string[] = [];
  const stack: string[] = [];
  for (const line of app.printRoutes({ commonPrefix: false }).split('\n')) {
    const match = /^((?:│ {3}| {4})*)[├└]── (\S+)(?: \(([A-Z, ]+)\))?$/u.exec(line);
    if (!match) continue;
    const depth = (match[1] ?? '').length / 4;
    stack.length = depth;
    stack.push(match[2] ?? '');
    for (const method of (match[3] ?? '').split(', ').filter((m) => m !== '' && m !== 'HEAD')) routes.push(`${method} ${stack.join('')}`);
  }
  return routes;
}

/** `/api/clusters/:id` → `/api/clusters/{id}` */
const openApiPath = (path: string) => path.replace(/:(\w+)/g, '{$1}');

describe.each([true, false])('with [auth] enabled = %s', (authEnabled) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ authEnabled });
  });
  afterAll(async () => {
    await t.close();
  });

  it('serves the spec without credentials', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/api/openapi.json' });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toContain('application/json');
    const spec = JSON.parse(response.body) as { openapi: string; info: { title: string }; paths: Record<string, Record<string, unknown>> };
    expect(spec.openapi).toBe('3.1.0');
    expect(spec.info.title).toBe('Stellar API');
  });

  it('serves Swagger UI as HTML without credentials', async () => {
    for (const url of ['/api/docs', '/api/docs/']) {
      const response = await t.app.inject({ method: 'GET', url });
      expect(response.statusCode, url).toBe(200);
      expect(response.headers['content-type']).toContain('text/html');
      expect(response.body).toContain('swagger-ui');
    }
    const script = await t.app.inject({ method: 'GET', url: '/api/docs/static/swagger-initializer.js' });
    expect(script.statusCode).toBe(200);
  });
});

describe('the spec', () => {
  let t: TestApp;
  let spec: {
    paths: Record<string, Record<string, { summary?: string; tags?: string[]; security?: unknown[]; responses: Record<string, { description: string; content?: Record<string, { schema: unknown }> }> }>>;
    components: { schemas: Record<string, unknown>; securitySchemes: Record<string, unknown> };
  };
  beforeAll(async () => {
    t = await createTestApp();
    spec = (await t.app.inject({ method: 'GET', url: '/api/openapi.json' })).json();
  });
  afterAll(async () => {
    await t.close();
  });

  it('lists every route registered under /api, and the probes', () => {
    const routes = registeredRoutes(t.app).filter((r) => !/ \/api\/(docs|openapi\.json)/.test(r));
    expect(routes.length).toBeGreaterThan(15);
    const documented = Object.entries(spec.paths).flatMap(([path, methods]) => Object.keys(methods).map((m) => `${m.toUpperCase()} ${path}`));
    expect(documented.sort()).toEqual(routes.map((r) => { const [m, p] = r.split(' '); return `${m} ${openApiPath(p ?? '')}`; }).sort());
    for (const route of ['GET /api/clusters/overview', 'GET /api/clusters/{id}/overview', 'GET /api/fleet/overview', 'GET /api/clusters/{id}/snapshots', 'GET /api/clusters/{id}/daily', 'GET /api/clusters/{id}/nodes', 'POST /api/clusters/test-connection', 'POST /api/clusters/{id}/test', 'POST /api/admin/reload', 'GET /healthz']) {
      expect(documented).toContain(route);
    }
  });

  it('gives each operation a summary, a tag and described responses', () => {
    for (const [path, methods] of Object.entries(spec.paths)) {
      for (const [method, operation] of Object.entries(methods)) {
        expect(operation.summary, `${method} ${path}`).toBeTruthy();
        expect(operation.tags?.length, `${method} ${path}`).toBe(1);
        for (const [status, response] of Object.entries(operation.responses)) {
          expect(response.description, `${method} ${path} ${status}`).not.toBe('Default Response');
        }
      }
    }
    expect(spec.paths['/api/clusters/{id}/snapshots']?.get?.responses['200']?.content).toHaveProperty('text/csv');
    expect(spec.paths['/api/clusters/overview']?.get?.responses['200']?.content?.['application/json']?.schema).toEqual({ $ref: '#/components/schemas/ClusterOverview' });
  });

  it('describes the response shapes and how to authenticate', () => {
    expect(Object.keys(spec.components.schemas)).toEqual(expect.arrayContaining(['ClusterOverview', 'FleetOverview', 'Snapshot', 'Cluster', 'Error', 'ConnectionTest', 'ClusterNodes']));
    expect(Object.keys(spec.components.schemas).filter((name) => name.endsWith('Input'))).toEqual([]);
    expect(spec.components.securitySchemes).toEqual({ bearer: expect.objectContaining({ scheme: 'bearer' }), basic: expect.objectContaining({ scheme: 'basic' }), session: expect.objectContaining({ in: 'cookie', name: 'stellar_session' }) });
    expect(spec.paths['/api/auth/login']?.post?.security).toEqual([]);
    expect(spec.paths['/healthz']?.get?.security).toEqual([]);
  });
});
