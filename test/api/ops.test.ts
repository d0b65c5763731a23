import { afterEach, describe, expect, it } from 'vitest';
import { openSqlite } from '../../src/storage/dialect/sqlite/sqlite-dialect.js';
import { allMigrations } from '../../src/storage/migrations/index.js';
import { clusterBody } from '../helpers/factories.js';
import { fillSqlite } from '../helpers/full-sqlite.js';
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
      checks: { database: { status: 'ok' }, writes: { status: 'ok' }, migrations: { status: 'ok', applied, pending: [] } },
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
      checks: { database: { status: 'ok' }, writes: { status: 'ok' }, migrations: { status: 'pending', applied: 0, pending } },
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

  it('answers 503 while the disk is full (writes fail with SQLITE_FULL, select 1 still answers), as do API writes, and recovers with the next write', async () => {
    t = await createTestApp({ storage: openSqlite(':memory:') });
    const app = t;
    const makeRoom = await fillSqlite(app.storage);
    let n = 0;
    const create = () => app.app.inject({ method: 'POST', url: '/api/clusters', headers: { authorization: app.auth }, payload: clusterBody({ name: `c${(n += 1)}` }) });
    // The clusters' own pages keep a little room: clusters are created until it is gone.
    let response = await create();
    while (response.statusCode === 201 && n < 500) response = await create();
    expect(response.statusCode).toBe(503);
    expect(response.json()).toMatchObject({ code: 'STELLAR_ERR_STORAGE_UNAVAILABLE', message: expect.stringContaining('the disk is full (SQLITE_FULL)') });
    expect((await create()).statusCode).toBe(503);

    const ready = await app.app.inject({ method: 'GET', url: '/readyz' });
    expect(ready.statusCode).toBe(503);
    expect(ready.json()).toMatchObject({ status: 'not_ready', checks: { database: { status: 'ok' }, writes: { status: 'failed', message: 'the last write failed: the disk is full (SQLITE_FULL)' } } });
    // One line names the real error for the whole outage; never the rollback that hid it, never a 500.
    const failing = app.logs.filter((line) => line.includes('database writes fail'));
    expect(failing).toHaveLength(1);
    expect(failing[0]).toContain('SQLITE_FULL');
    expect(app.logs.filter((line) => line.includes('cannot rollback') || line.includes('request failed'))).toEqual([]);
    // Probes repeat; the log says once that the service is not ready.
    await app.app.inject({ method: 'GET', url: '/readyz' });
    expect(app.logs.filter((line) => line.includes('"msg":"not ready"'))).toHaveLength(1);

    await makeRoom();
    expect((await create()).statusCode).toBe(201);
    const recovered = await app.app.inject({ method: 'GET', url: '/readyz' });
    expect([recovered.statusCode, recovered.json().checks.writes]).toEqual([200, { status: 'ok' }]);
    expect(app.logs.filter((line) => line.includes('database writes succeed again'))).toHaveLength(1);
    expect(app.logs.filter((line) => line.includes('"msg":"ready again"'))).toHaveLength(1);
  });
});
