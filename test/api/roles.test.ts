/**
 * Roles, user management and personal API tokens, over real HTTP on loopback: what a viewer
 * may not do (every change route, found in the app's own route list), the last admin, and a
 * token's life from shown-once to revoked or expired.
 */
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/test-app.js';

let t: TestApp;
let base: string;
afterEach(async () => {
  await t.close();
});

async function start(options: Parameters<typeof createTestApp>[0] = {}) {
  t = await createTestApp(options);
  await t.app.listen({ host: '127.0.0.1', port: 0 });
  base = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
}

interface Answer {
  readonly status: number;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- a JSON answer, read field by field as Fastify's inject().json() is
  readonly body: any;
}

async function call(method: string, path: string, authorization: string | null, body?: unknown): Promise<Answer> {
  const response = await fetch(`${base}${path}`, {
    method,
    headers: { ...(authorization === null ? {} : { authorization }), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, body: text === '' ? null : JSON.parse(text) };
}

const VIEWER_PASSWORD = 'viewer-password-1';

/** Creates a viewer as the admin and logs it in; returns its `Authorization` header value. */
async function viewer(): Promise<{ id: number; auth: string }> {
  const created = await call('POST', '/api/users', t.auth, { username: 'vera', password: VIEWER_PASSWORD, role: 'viewer' });
  expect(created.status).toBe(201);
  const login = await call('POST', '/api/auth/login', null, { username: 'vera', password: VIEWER_PASSWORD });
  return { id: created.body.id, auth: `Bearer ${login.body.token}` };
}

/** Every route of the API that is not a read, from the app's own description of its routes. */
async function changeRoutes(): Promise<{ method: string; path: string }[]> {
  const spec = (await call('GET', '/api/openapi.json', null)).body as { paths: Record<string, Record<string, unknown>> };
  return Object.entries(spec.paths).flatMap(([path, operations]) =>
    Object.keys(operations)
      .filter((method) => !['get', 'head', 'parameters'].includes(method))
      .map((method) => ({ method: method.toUpperCase(), path: path.replace(/\{[^}]+\}/g, '1') })),
  );
}

/** The changes a user makes to their own account; every other change is for admins. */
const SELF_SERVICE = ['POST /api/auth/login', 'POST /api/auth/logout', 'PUT /api/auth/password', 'POST /api/auth/tokens', 'DELETE /api/auth/tokens/1'];

describe('roles', () => {
  it('refuses a viewer every change route with 403 STELLAR_ERR_AUTH_FORBIDDEN, and no user was added or deleted', async () => {
    await start();
    const vera = await viewer();
    const routes = await changeRoutes();
    expect(routes.map((r) => `${r.method} ${r.path}`)).toEqual(expect.arrayContaining([...SELF_SERVICE, 'POST /api/clusters', 'DELETE /api/users/1']));
    const adminOnly = routes.filter((r) => !SELF_SERVICE.includes(`${r.method} ${r.path}`));
    expect(adminOnly.length).toBeGreaterThanOrEqual(8);
    for (const route of adminOnly) {
      const answer = await call(route.method, route.path, vera.auth, {});
      expect(answer.status, `${route.method} ${route.path}`).toBe(403);
      expect(answer.body.code, `${route.method} ${route.path}`).toBe('STELLAR_ERR_AUTH_FORBIDDEN');
    }
    const users = await call('GET', '/api/users', vera.auth);
    expect(users.body.users.map((u: { username: string; role: string }) => [u.username, u.role])).toEqual([
      ['admin', 'admin'],
      ['vera', 'viewer'],
    ]);
  });

  it('lets a viewer read, and make changes to their own account', async () => {
    await start();
    const vera = await viewer();
    expect((await call('GET', '/api/clusters', vera.auth)).status).toBe(200);
    expect((await call('GET', '/api/auth/me', vera.auth)).body).toMatchObject({ user: { username: 'vera' }, role: 'viewer' });
    expect((await call('PUT', '/api/auth/password', vera.auth, { current_password: VIEWER_PASSWORD, new_password: 'another-password' })).status).toBe(204);
    const token = await call('POST', '/api/auth/tokens', vera.auth, { name: 'grafana', expires_in_days: 30 });
    expect(token.status).toBe(201);
    expect(token.body.role).toBe('viewer');
    expect((await call('DELETE', `/api/auth/tokens/${token.body.id}`, vera.auth)).status).toBe(204);
    expect((await call('POST', '/api/auth/logout', vera.auth)).status).toBe(204);
  });

  it('takes a role change into account at the next request, for login and personal tokens alike', async () => {
    await start();
    const vera = await viewer();
    expect((await call('PUT', `/api/users/${vera.id}/role`, t.auth, { role: 'admin' })).body.role).toBe('admin');
    const token = (await call('POST', '/api/auth/tokens', vera.auth, { name: 'ci', expires_in_days: 1, role: 'admin' })).body.token as string;
    expect((await call('POST', '/api/users', `Bearer ${token}`, { username: 'bob', password: 'bob-password', role: 'viewer' })).status).toBe(201);
    await call('PUT', `/api/users/${vera.id}/role`, t.auth, { role: 'viewer' });
    expect((await call('DELETE', '/api/users/3', `Bearer ${token}`)).status).toBe(403);
    expect((await call('DELETE', '/api/users/3', vera.auth)).status).toBe(403);
  });
});

describe('user management', () => {
  it('never deletes nor demotes the last admin; with a second admin, it can', async () => {
    await start();
    const deleted = await call('DELETE', '/api/users/1', t.auth);
    expect(deleted.status).toBe(409);
    expect(deleted.body.code).toBe('STELLAR_ERR_USER_LAST_ADMIN');
    expect((await call('PUT', '/api/users/1/role', t.auth, { role: 'viewer' })).body.code).toBe('STELLAR_ERR_USER_LAST_ADMIN');
    expect((await call('GET', '/api/auth/me', t.auth)).body.role).toBe('admin');

    const second = await call('POST', '/api/users', t.auth, { username: 'ada', password: 'ada-password', role: 'admin' });
    expect((await call('DELETE', '/api/users/1', `Basic ${Buffer.from('ada:ada-password').toString('base64')}`)).status).toBe(204);
    expect((await call('GET', '/api/users', `Basic ${Buffer.from('ada:ada-password').toString('base64')}`)).body.users.map((u: { id: number }) => u.id)).toEqual([second.body.id]);
    // The deleted admin's token went with the account.
    expect((await call('GET', '/api/clusters', t.auth)).status).toBe(401);
  });

  it('answers bad input with 4xx JSON naming the field', async () => {
    await start();
    const bad = await call('POST', '/api/users', t.auth, { username: 'x\u202Ey', password: 'short', role: 'root' });
    expect(bad.status).toBe(400);
    expect(bad.body.code).toBe('STELLAR_ERR_VALIDATION');
    expect(bad.body.details.map((d: { field: string }) => d.field).sort()).toEqual(['password', 'role', 'username']);
    const taken = await call('POST', '/api/users', t.auth, { username: 'admin', password: 'long-enough', role: 'viewer' });
    expect([taken.status, taken.body.code]).toEqual([409, 'STELLAR_ERR_USER_NAME_TAKEN']);
    const missing = await call('PUT', '/api/users/99/role', t.auth, { role: 'viewer' });
    expect([missing.status, missing.body.code]).toEqual([404, 'STELLAR_ERR_USER_NOT_FOUND']);
    expect((await call('DELETE', '/api/users/abc', t.auth)).status).toBe(400);
  });

  it('resets a password, which revokes every token of the user', async () => {
    await start();
    const vera = await viewer();
    const token = (await call('POST', '/api/auth/tokens', vera.auth, { name: 'script', expires_in_days: 7 })).body.token as string;
    expect((await call('PUT', `/api/users/${vera.id}/password`, t.auth, { new_password: 'reset-by-admin' })).status).toBe(204);
    expect((await call('GET', '/api/clusters', vera.auth)).status).toBe(401);
    expect((await call('GET', '/api/clusters', `Bearer ${token}`)).status).toBe(401);
    expect((await call('POST', '/api/auth/login', null, { username: 'vera', password: 'reset-by-admin' })).status).toBe(200);
  });
});

describe('personal API tokens', () => {
  it('shows the value once, works as a bearer token, lists without the value, then fails once revoked', async () => {
    await start();
    const created = await call('POST', '/api/auth/tokens', t.auth, { name: 'backup script', expires_in_days: 30 });
    expect(created.status).toBe(201);
    expect(created.body).toEqual({
      id: expect.any(Number),
      name: 'backup script',
      role: 'admin',
      created_at: '2026-11-24T12:00:00.000Z',
      expires_at: '2026-12-24T12:00:00.000Z',
      last_used_at: null,
      token: expect.stringMatching(/^stl_/),
    });
    const value = created.body.token as string;
    expect((await call('GET', '/api/auth/me', `Bearer ${value}`)).body).toMatchObject({ user: { username: 'admin' }, role: 'admin', auth_method: 'bearer' });

    const listed = await call('GET', '/api/auth/tokens', t.auth);
    const described = Object.fromEntries(Object.entries(created.body as object).filter(([key]) => key !== 'token'));
    expect(listed.body.tokens).toEqual([{ ...described, last_used_at: '2026-11-24T12:00:00.000Z' }]);
    expect(JSON.stringify(listed.body)).not.toContain(value);
    const stored = await t.storage.db.selectFrom('auth_tokens').select('token_hash').execute();
    expect(stored.map((r) => r.token_hash)).not.toContain(value);

    expect((await call('DELETE', `/api/auth/tokens/${created.body.id}`, t.auth)).status).toBe(204);
    const revoked = await call('GET', '/api/clusters', `Bearer ${value}`);
    expect([revoked.status, revoked.body.code]).toEqual([401, 'STELLAR_ERR_AUTH_TOKEN_INVALID']);
    expect((await call('GET', '/api/auth/tokens', t.auth)).body.tokens).toEqual([]);
    expect((await call('DELETE', `/api/auth/tokens/${created.body.id}`, t.auth)).body.code).toBe('STELLAR_ERR_AUTH_TOKEN_NOT_FOUND');
  });

  it('fails once expired, and stays listed as expired until revoked', async () => {
    await start();
    const created = await call('POST', '/api/auth/tokens', t.auth, { name: 'short', expires_in_days: 1 });
    t.clock.advance(86_400_000);
    const expired = await call('GET', '/api/clusters', `Bearer ${created.body.token}`);
    expect([expired.status, expired.body.code]).toEqual([401, 'STELLAR_ERR_AUTH_TOKEN_EXPIRED']);
    const fresh = (await call('POST', '/api/auth/login', null, { username: 'admin', password: 'admin-password-for-tests' })).body.token as string;
    expect((await call('GET', '/api/auth/tokens', `Bearer ${fresh}`)).body.tokens.map((tk: { name: string }) => tk.name)).toEqual(['short']);
  });

  it('never gets a role above its maker’s, and a viewer token of an admin only reads', async () => {
    await start();
    const vera = await viewer();
    const above = await call('POST', '/api/auth/tokens', vera.auth, { name: 'sneaky', expires_in_days: 1, role: 'admin' });
    expect([above.status, above.body.code]).toEqual([403, 'STELLAR_ERR_AUTH_FORBIDDEN']);
    const readOnly = (await call('POST', '/api/auth/tokens', t.auth, { name: 'dashboard', expires_in_days: 1, role: 'viewer' })).body.token as string;
    expect((await call('GET', '/api/users', `Bearer ${readOnly}`)).status).toBe(200);
    expect((await call('DELETE', `/api/users/${vera.id}`, `Bearer ${readOnly}`)).status).toBe(403);
    const tooLong = await call('POST', '/api/auth/tokens', t.auth, { name: '', expires_in_days: 366 });
    expect(tooLong.body.details.map((d: { field: string }) => d.field).sort()).toEqual(['expires_in_days', 'name']);
  });

  it('belong to their maker: another user cannot revoke one', async () => {
    await start();
    const vera = await viewer();
    const adminToken = await call('POST', '/api/auth/tokens', t.auth, { name: 'mine', expires_in_days: 1 });
    const attempt = await call('DELETE', `/api/auth/tokens/${adminToken.body.id}`, vera.auth);
    expect([attempt.status, attempt.body.code]).toEqual([404, 'STELLAR_ERR_AUTH_TOKEN_NOT_FOUND']);
    expect((await call('GET', '/api/auth/me', `Bearer ${adminToken.body.token}`)).status).toBe(200);
  });
});
