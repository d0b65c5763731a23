import { afterEach, describe, expect, it } from 'vitest';
import { allMigrations } from '../../src/storage/migrations/index.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';

let t: TestApp | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

describe('GET /healthz', () => {
  it('answers 200 without credentials', async () => {
    t = await createTestApp();
    const response = await t.app.inject({ method: 'GET', url: '/healthz' });
    expect([response.statusCode, response.json(), response.headers['cache-control']]).toEqual([200, { status: 'ok' }, 'no-store']);
  });
});

describe('GET /readyz', () => {
  it('answers 200 when the database answers and every migration is applied', async () => {
    t = await createTestApp();
    const response = await t.app.inject({ method: 'GET', url: '/readyz' });
    expect(response.statusCode).toBe(200);
    const applied = Object.keys(allMigrations(t.storage.dialect)).length;
    expect(response.json()).toEqual({
      status: 'ready',
      checks: { database: { status: 'ok' }, migrations: { status: 'ok', applied, pending: [] } },
    });
  });

  it('answers 503 naming the pending migrations on a database not yet migrated', async () => {
    t = await createTestApp({ migrate: false });
    const response = await t.app.inject({ method: 'GET', url: '/readyz' });
    expect(response.statusCode).toBe(503);
    const pending = Object.keys(allMigrations(t.storage.dialect));
    expect(pending[0]).toBe('2026-11-24-001-init');
    expect(response.json()).toEqual({
      status: 'not_ready',
      checks: { database: { status: 'ok' }, migrations: { status: 'pending', applied: 0, pending } },
    });
  });

  it('answers 503 when the database does not answer', async () => {
    const app = await createTestApp();
    await app.storage.close();
    const response = await app.app.inject({ method: 'GET', url: '/readyz' });
    expect(response.statusCode).toBe(503);
    expect(response.json().checks.database.status).toBe('failed');
    await app.app.close();
  });
});
