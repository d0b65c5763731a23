/**
 * The web surface as a browser meets it: security headers on every answer (API, console, docs,
 * errors), no source maps, Fastify's own errors in the API's error shape, names that cannot
 * disguise themselves, and a database file only its owner can read.
 */
import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStorage } from '../../src/storage/open-storage.js';
import { migrateToLatest } from '../../src/storage/migrate.js';
import { clusterBody } from '../helpers/factories.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';

let t: TestApp;
let webRoot: string;
beforeAll(async () => {
  webRoot = mkdtempSync(join(tmpdir(), 'stellar-web-'));
  mkdirSync(join(webRoot, 'assets'));
  writeFileSync(join(webRoot, 'index.html'), '<!doctype html><div id="root"></div><script src="/theme-init.js"></script>');
  writeFileSync(join(webRoot, 'theme-init.js'), '/* theme */');
  writeFileSync(join(webRoot, 'assets', 'index-abc123.js'), 'console.log(1)');
  writeFileSync(join(webRoot, 'assets', 'index-abc123.js.map'), '{"version":3,"sources":["../src/main.tsx"]}');
  t = await createTestApp({ webRoot });
});
afterAll(async () => {
  await t.close();
  rmSync(webRoot, { recursive: true, force: true });
});

const html = { accept: 'text/html' };

describe('security headers', () => {
  it('are on every answer: API, probes, console, assets, docs, 401, 404 and framework errors', async () => {
    const answers = await Promise.all([
      t.app.inject({ url: '/healthz' }),
      t.app.inject({ url: '/api/clusters', headers: { authorization: t.auth } }),
      t.app.inject({ url: '/api/clusters' }),
      t.app.inject({ url: '/api/nothing-here', headers: { authorization: t.auth } }),
      t.app.inject({ url: '/', headers: html }),
      t.app.inject({ url: '/clusters/3', headers: html }),
      t.app.inject({ url: '/assets/index-abc123.js' }),
      t.app.inject({ url: '/theme-init.js' }),
      t.app.inject({ url: '/api/openapi.json' }),
      t.app.inject({ url: '/api/docs/' }),
      t.app.inject({ url: '/api/clusters/%ff' }),
    ]);
    for (const answer of answers) {
      const where = `${answer.statusCode} ${answer.body.slice(0, 60)}`;
      expect(answer.headers['content-security-policy'], where).toMatch(/frame-ancestors 'none'/);
      expect(answer.headers['content-security-policy'], where).toMatch(/script-src 'self'(;|$)/);
      expect(answer.headers['x-frame-options'], where).toBe('DENY');
      expect(answer.headers['x-content-type-options'], where).toBe('nosniff');
      expect(answer.headers['referrer-policy'], where).toBe('no-referrer');
    }
    expect(answers[0]?.headers['content-security-policy']).toContain("style-src 'self';");
  });

  it('does not serve source maps', async () => {
    const map = await t.app.inject({ url: '/assets/index-abc123.js.map' });
    expect(map.statusCode).toBe(404);
    expect(map.body).not.toContain('sources');
  });
});

describe('Fastify’s own errors', () => {
  it('answer in the documented {code, message, details} shape, without echoing the path', async () => {
    // Without the console: its catch-all route would answer an over-long id as a page not found.
    const apiOnly = await createTestApp();
    for (const [app, url] of [
      [t.app, '/api/clusters/%ff'],
      [t.app, '/%ff'],
      [apiOnly.app, `/api/clusters/${'9'.repeat(500)}`],
    ] as const) {
      const response = await app.inject({ url, headers: { authorization: t.auth } });
      expect(response.statusCode, url).toBe(400);
      expect(Object.keys(response.json<object>()).sort(), url).toEqual(['code', 'details', 'message']);
      expect(response.json(), url).toMatchObject({ code: 'STELLAR_ERR_BAD_REQUEST', details: null });
      expect(response.body).not.toContain('999999');
    }
    await apiOnly.close();
    const badJson = await t.app.inject({ method: 'POST', url: '/api/clusters', headers: { authorization: t.auth, 'content-type': 'application/json' }, payload: '{"name":' });
    expect(badJson.statusCode).toBe(400);
    expect(Object.keys(badJson.json<object>()).sort()).toEqual(['code', 'details', 'message']);
  });
});

describe('names', () => {
  it('refuse bidirectional controls such as U+202E, naming the field', async () => {
    for (const [field, value] of [
      ['name', 'prod\u202Eved'],
      ['name', 'a\u2066b'],
      ['username', 'ro\u200Fot'],
      ['fe_host', 'fe1\u202Dexample.com'],
    ] as const) {
      const response = await t.app.inject({ method: 'POST', url: '/api/clusters', headers: { authorization: t.auth }, payload: clusterBody({ [field]: value }) });
      expect(response.statusCode).toBe(400);
      expect(response.json().details).toContainEqual({ field, message: 'must not contain bidirectional control characters (such as U+202E)' });
    }
    const tag = await t.app.inject({ method: 'POST', url: '/api/clusters', headers: { authorization: t.auth }, payload: clusterBody({ tags: ['ok', 'x\u202Ey'] }) });
    expect(tag.json().details).toEqual([{ field: 'tags[1]', message: 'must not contain bidirectional control characters (such as U+202E)' }]);
  });
});

describe('the database file', () => {
  it('is created readable by its owner only, outside data_dir too', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'stellar-db-'));
    try {
      const path = join(dir, 'elsewhere', 'stellar.db');
      const storage = openStorage({ url: path, dataDir: join(dir, 'data') });
      await migrateToLatest(storage);
      for (const file of [path, `${path}-wal`]) expect((statSync(file).mode & 0o777).toString(8), file).toBe('600');
      await storage.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
