import { afterEach, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, createTestApp, type TestApp } from '../helpers/test-app.js';

let t: TestApp;
afterEach(async () => {
  await t.close();
});

async function login(password = ADMIN_PASSWORD) {
  return t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'admin', password } });
}

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

describe('authentication on', () => {
  it('requires credentials on every /api route but login, answering 401 in JSON', async () => {
    t = await createTestApp();
    for (const [method, url] of [
      ['GET', '/api/clusters'],
      ['POST', '/api/clusters'],
      ['GET', '/api/clusters/1'],
      ['PUT', '/api/clusters/1'],
      ['DELETE', '/api/clusters/1'],
      ['GET', '/api/auth/me'],
      ['POST', '/api/auth/logout'],
      ['PUT', '/api/auth/password'],
    ] as const) {
      const response = await t.app.inject({ method, url });
      expect(response.statusCode, `${method} ${url}`).toBe(401);
      expect(response.json().code).toBe('STELLAR_ERR_AUTH_REQUIRED');
      expect(response.headers['www-authenticate']).toBe('Bearer realm="stellar"');
    }
  });

  it('logs in with a password and gives a bearer token that works on the API', async () => {
    t = await createTestApp({ tokenTtlMs: 3_600_000 });
    const response = await login();
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(body).toEqual({
      token: expect.stringMatching(/^stl_/),
      token_type: 'Bearer',
      expires_at: '2026-11-24T13:00:00.000Z',
      user: { id: 1, username: 'admin' },
    });
    const me = await t.app.inject({ method: 'GET', url: '/api/auth/me', headers: bearer(body.token) });
    expect(me.json()).toEqual({ user: { id: 1, username: 'admin' }, role: 'admin', auth_method: 'bearer', auth_enabled: true });
    expect((await t.app.inject({ method: 'GET', url: '/api/clusters', headers: bearer(body.token) })).statusCode).toBe(200);
  });

  it('accepts HTTP Basic credentials for scripts', async () => {
    t = await createTestApp();
    const me = await t.app.inject({ method: 'GET', url: '/api/auth/me', headers: { authorization: t.basicAuth } });
    expect(me.json()).toEqual({ user: { id: 1, username: 'admin' }, role: 'admin', auth_method: 'basic', auth_enabled: true });
  });

  it('answers wrong passwords and unknown users alike, never saying which', async () => {
    t = await createTestApp();
    const wrong = await login('wrong-password');
    const unknown = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'ghost', password: ADMIN_PASSWORD } });
    const expected = { code: 'STELLAR_ERR_AUTH_INVALID_CREDENTIALS', message: 'invalid user name or password', details: null };
    expect([wrong.statusCode, wrong.json()]).toEqual([401, expected]);
    expect([unknown.statusCode, unknown.json()]).toEqual([401, expected]);
    for (const credentials of ['admin:wrong', 'ghost:x', 'no-colon', '']) {
      const response = await t.app.inject({
        method: 'GET',
        url: '/api/clusters',
        headers: { authorization: `Basic ${Buffer.from(credentials).toString('base64')}` },
      });
      expect([response.statusCode, response.json()], credentials).toEqual([401, expected]);
    }
  });

  it('refuses unknown, malformed, expired and revoked tokens', async () => {
    t = await createTestApp({ tokenTtlMs: 60_000 });
    const get = (headers: Record<string, string>) => t.app.inject({ method: 'GET', url: '/api/clusters', headers });
    expect((await get(bearer('stl_unknown'))).json().code).toBe('STELLAR_ERR_AUTH_TOKEN_INVALID');
    expect((await get({ authorization: 'Bearer' })).json().code).toBe('STELLAR_ERR_AUTH_TOKEN_INVALID');
    const unsupported = await get({ authorization: 'stl_sent-without-scheme' });
    expect([unsupported.statusCode, unsupported.json().code]).toEqual([401, 'STELLAR_ERR_AUTH_REQUIRED']);
    expect(unsupported.body).not.toContain('stl_sent-without-scheme');

    const { token } = (await login()).json();
    t.clock.advance(60_000);
    const expired = await get(bearer(token));
    expect([expired.statusCode, expired.json().code]).toEqual([401, 'STELLAR_ERR_AUTH_TOKEN_EXPIRED']);

    const { token: fresh } = (await login()).json();
    expect((await t.app.inject({ method: 'POST', url: '/api/auth/logout', headers: bearer(fresh) })).statusCode).toBe(204);
    expect((await get(bearer(fresh))).json().code).toBe('STELLAR_ERR_AUTH_TOKEN_INVALID');
  });

  it('validates the login body', async () => {
    t = await createTestApp();
    const response = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { user: 'admin' } });
    expect(response.statusCode).toBe(400);
    expect(response.json().details).toEqual([
      { field: 'username', message: 'is required' },
      { field: 'password', message: 'is required' },
      { field: 'user', message: 'is not a known field' },
    ]);
  });

  it('changes the password with the current one and revokes the other tokens', async () => {
    t = await createTestApp();
    const { token: mine } = (await login()).json();
    const { token: other } = (await login()).json();
    const change = (payload: object) => t.app.inject({ method: 'PUT', url: '/api/auth/password', headers: bearer(mine), payload });

    const wrong = await change({ current_password: 'nope', new_password: 'a-new-password' });
    expect([wrong.statusCode, wrong.json().code]).toEqual([403, 'STELLAR_ERR_AUTH_WRONG_PASSWORD']);
    const short = await change({ current_password: ADMIN_PASSWORD, new_password: 'short' });
    expect([short.statusCode, short.json().details]).toEqual([400, [{ field: 'new_password', message: 'must be at least 8 characters' }]]);

    expect((await change({ current_password: ADMIN_PASSWORD, new_password: 'a-new-password' })).statusCode).toBe(204);
    expect((await t.app.inject({ method: 'GET', url: '/api/auth/me', headers: bearer(mine) })).statusCode).toBe(200);
    expect((await t.app.inject({ method: 'GET', url: '/api/auth/me', headers: bearer(other) })).statusCode).toBe(401);
    expect((await login()).statusCode).toBe(401);
    expect((await login('a-new-password')).statusCode).toBe(200);
  });
});

describe('authentication off ([auth] enabled = false)', () => {
  it('opens the API, still checks credentials that are sent, and cannot change a password without them', async () => {
    t = await createTestApp({ authEnabled: false });
    const open = await t.app.inject({ method: 'GET', url: '/api/clusters' });
    expect(open.statusCode).toBe(200);
    expect((await t.app.inject({ method: 'GET', url: '/api/auth/me' })).json()).toEqual({ user: null, role: null, auth_method: 'none', auth_enabled: false });
    expect((await t.app.inject({ method: 'GET', url: '/api/auth/me', headers: { authorization: t.basicAuth } })).json().auth_method).toBe('basic');
    expect((await t.app.inject({ method: 'GET', url: '/api/clusters', headers: bearer('stl_bad') })).statusCode).toBe(401);
    const change = await t.app.inject({ method: 'PUT', url: '/api/auth/password', payload: { current_password: 'x', new_password: 'yyyyyyyy' } });
    expect([change.statusCode, change.json().code]).toEqual([401, 'STELLAR_ERR_AUTH_REQUIRED']);
  });
});
