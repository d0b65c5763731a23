import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { notFoundHandler } from '../error-handler.js';
import { webConsoleRoutes } from './web-console.js';

const dirs: string[] = [];
const apps: FastifyInstance[] = [];

afterEach(async () => {
  for (const app of apps.splice(0)) await app.close();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** An app shaped like buildApp's: a JSON not-found handler, an API route, the console at `/`. */
async function appServing(root: string): Promise<FastifyInstance> {
  const app = Fastify({ routerOptions: { ignoreTrailingSlash: true } });
  app.setNotFoundHandler(notFoundHandler);
  app.get('/api/ping', () => ({ pong: true }));
  app.get('/healthz', () => ({ status: 'ok' }));
  await app.register(webConsoleRoutes, { root });
  apps.push(app);
  return app;
}

function builtConsole(): string {
  const root = mkdtempSync(join(tmpdir(), 'stellar-web-'));
  dirs.push(root);
  mkdirSync(join(root, 'assets'));
  writeFileSync(join(root, 'index.html'), '<!doctype html><div id="root"></div>');
  writeFileSync(join(root, 'assets', 'index-abc123.js'), 'console.log(1)');
  writeFileSync(join(root, 'favicon.svg'), '<svg/>');
  return root;
}

const html = { accept: 'text/html,application/xhtml+xml,*/*;q=0.8' };

describe('web console routes', () => {
  it('serves index.html at / without caching, and hashed assets for a year', async () => {
    const app = await appServing(builtConsole());
    const index = await app.inject({ url: '/', headers: html });
    expect(index.statusCode).toBe(200);
    expect(index.headers['content-type']).toContain('text/html');
    expect(index.headers['cache-control']).toBe('no-cache');
    expect(index.body).toContain('id="root"');

    const asset = await app.inject({ url: '/assets/index-abc123.js' });
    expect(asset.statusCode).toBe(200);
    expect(asset.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect((await app.inject({ url: '/favicon.svg' })).statusCode).toBe(200);
  });

  it('answers deep links of the console with index.html, and only to browsers', async () => {
    const app = await appServing(builtConsole());
    for (const url of ['/clusters', '/clusters/3', '/login?next=%2F', '/clusters/']) {
      const page = await app.inject({ url, headers: html });
      expect(page.statusCode, url).toBe(200);
      expect(page.body).toContain('id="root"');
    }
    const script = await app.inject({ url: '/clusters/3', headers: { accept: 'application/json' } });
    expect(script.statusCode).toBe(404);
    expect(script.json()).toMatchObject({ code: 'STELLAR_ERR_ROUTE_NOT_FOUND' });
  });

  it('keeps the API, the probes and missing assets as JSON 404s', async () => {
    const app = await appServing(builtConsole());
    expect((await app.inject({ url: '/api/ping', headers: html })).json()).toEqual({ pong: true });
    expect((await app.inject({ url: '/healthz', headers: html })).json()).toEqual({ status: 'ok' });
    for (const url of ['/api/nope', '/api', '/readyz', '/assets/gone.js']) {
      const response = await app.inject({ url, headers: html });
      expect(response.statusCode, url).toBe(404);
      expect(response.json(), url).toMatchObject({ code: 'STELLAR_ERR_ROUTE_NOT_FOUND' });
    }
    for (const url of ['/../../etc/passwd', '/..%2f..%2fetc/passwd', '/assets/../../../etc/passwd', '/assets/..%2f..%2f..%2fetc/passwd']) {
      expect((await app.inject({ url, headers: html })).body, url).not.toContain('root:');
    }
  });

  it('says to run npm run build when the console is not built', async () => {
    const app = await appServing(join(tmpdir(), 'stellar-no-such-web-dir'));
    const page = await app.inject({ url: '/', headers: html });
    expect(page.statusCode).toBe(404);
    expect(page.headers['content-type']).toContain('text/html');
    expect(page.body).toContain('npm run build');
    const json = await app.inject({ url: '/' });
    expect(json.statusCode).toBe(404);
    expect(json.json()).toMatchObject({ code: 'STELLAR_ERR_ROUTE_NOT_FOUND', message: expect.stringContaining('npm run build') });
    expect((await app.inject({ url: '/api/nope', headers: html })).json()).toMatchObject({ message: 'no route GET /api/nope' });
  });
});
