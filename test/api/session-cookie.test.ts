/**
 * The web console's session: login sets an HttpOnly session cookie and a readable CSRF cookie;
 * a change made with the cookie needs the CSRF header, bearer and Basic callers need none;
 * logout (and a dead session) clears the cookies.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { csrfTokenFor } from '../../src/api/session-cookies.js';
import { ADMIN_PASSWORD, createTestApp, type TestApp } from '../helpers/test-app.js';

let t: TestApp;
afterEach(async () => {
  await t.close();
});

interface Session {
  readonly token: string;
  readonly cookies: string[];
  /** The Cookie header a browser would send back. */
  readonly cookieHeader: string;
  readonly csrf: string;
}

function setCookies(headers: Record<string, unknown>): string[] {
  const value = headers['set-cookie'];
  return Array.isArray(value) ? (value as string[]) : typeof value === 'string' ? [value] : [];
}

async function login(headers: Record<string, string> = {}): Promise<Session> {
  const response = await t.app.inject({ method: 'POST', url: '/api/auth/login', headers, payload: { username: 'admin', password: ADMIN_PASSWORD } });
  expect(response.statusCode).toBe(200);
  const cookies = setCookies(response.headers);
  const valueOf = (name: string) => cookies.find((c) => c.startsWith(`${name}=`))?.split(';')[0]?.slice(name.length + 1) ?? '';
  return {
    token: response.json<{ token: string }>().token,
    cookies,
    cookieHeader: `stellar_session=${valueOf('stellar_session')}; stellar_csrf=${valueOf('stellar_csrf')}`,
    csrf: valueOf('stellar_csrf'),
  };
}

const newToken = { name: 'script', expires_in_days: 30 };

describe('the console session cookie', () => {
  it('is set at login: the token HttpOnly and SameSite=Strict, the CSRF value readable and not the token', async () => {
    t = await createTestApp({ tokenTtlMs: 3_600_000 });
    const session = await login();
    const [sessionCookie, csrfCookie] = session.cookies;
    expect(sessionCookie).toBe(`stellar_session=${session.token}; Path=/; Max-Age=3600; SameSite=Strict; HttpOnly`);
    expect(csrfCookie).toBe(`stellar_csrf=${csrfTokenFor(session.token)}; Path=/; Max-Age=3600; SameSite=Strict`);
    expect(session.csrf).toMatch(/^[0-9a-f]{64}$/);
    expect(session.csrf).not.toContain(session.token);
  });

  it('marks the cookies Secure when a TLS-terminating proxy says the browser uses https', async () => {
    t = await createTestApp();
    const session = await login({ 'x-forwarded-proto': 'https' });
    expect(session.cookies).toHaveLength(2);
    for (const c of session.cookies) expect(c).toMatch(/; Secure$/);
  });

  it('authenticates reads by itself, and /api/auth/me says the method is the cookie', async () => {
    t = await createTestApp();
    const session = await login();
    const me = await t.app.inject({ method: 'GET', url: '/api/auth/me', headers: { cookie: session.cookieHeader } });
    expect(me.statusCode).toBe(200);
    expect(me.json()).toMatchObject({ user: { username: 'admin' }, auth_method: 'cookie' });
  });

  it('refuses a change without the CSRF header, or with a wrong one, and changes nothing', async () => {
    t = await createTestApp();
    const session = await login();
    for (const headers of [{ cookie: session.cookieHeader }, { cookie: session.cookieHeader, 'x-csrf-token': csrfTokenFor('stl_other') }, { cookie: session.cookieHeader, 'x-csrf-token': session.token }]) {
      const refused = await t.app.inject({ method: 'POST', url: '/api/auth/tokens', headers, payload: newToken });
      expect(refused.statusCode).toBe(403);
      expect(refused.json()).toMatchObject({ code: 'STELLAR_ERR_AUTH_CSRF', message: expect.stringContaining('X-CSRF-Token') });
    }
    const deleted = await t.app.inject({ method: 'DELETE', url: '/api/clusters/1', headers: { cookie: session.cookieHeader } });
    expect(deleted.json().code).toBe('STELLAR_ERR_AUTH_CSRF');
    const listed = await t.app.inject({ method: 'GET', url: '/api/auth/tokens', headers: { cookie: session.cookieHeader } });
    expect(listed.json()).toEqual({ tokens: [] });
  });

  it('accepts a change whose CSRF header equals the CSRF cookie', async () => {
    t = await createTestApp();
    const session = await login();
    const created = await t.app.inject({ method: 'POST', url: '/api/auth/tokens', headers: { cookie: session.cookieHeader, 'x-csrf-token': session.csrf }, payload: newToken });
    expect(created.statusCode).toBe(201);
  });

  it('leaves bearer and Basic callers as they were: no CSRF header, and the Authorization header wins over a cookie', async () => {
    t = await createTestApp();
    const session = await login();
    const viaBearer = await t.app.inject({ method: 'POST', url: '/api/auth/tokens', headers: { authorization: `Bearer ${session.token}` }, payload: newToken });
    expect(viaBearer.statusCode).toBe(201);
    const viaBasic = await t.app.inject({ method: 'POST', url: '/api/auth/tokens', headers: { authorization: t.basicAuth, cookie: 'stellar_session=stl_dead' }, payload: newToken });
    expect(viaBasic.statusCode).toBe(201);
    const me = await t.app.inject({ method: 'GET', url: '/api/auth/me', headers: { authorization: `Bearer ${session.token}`, cookie: session.cookieHeader } });
    expect(me.json().auth_method).toBe('bearer');
  });

  it('is revoked and cleared by logout', async () => {
    t = await createTestApp();
    const session = await login();
    const logout = await t.app.inject({ method: 'POST', url: '/api/auth/logout', headers: { cookie: session.cookieHeader, 'x-csrf-token': session.csrf } });
    expect(logout.statusCode).toBe(204);
    expect(setCookies(logout.headers)).toEqual([expect.stringMatching(/^stellar_session=; Path=\/; Max-Age=0;.* HttpOnly$/), expect.stringMatching(/^stellar_csrf=; Path=\/; Max-Age=0;/)]);
    const after = await t.app.inject({ method: 'GET', url: '/api/auth/me', headers: { cookie: session.cookieHeader } });
    expect(after.statusCode).toBe(401);
    expect(after.json().code).toBe('STELLAR_ERR_AUTH_TOKEN_INVALID');
    // The bearer token was the same session: it is gone too.
    expect((await t.app.inject({ method: 'GET', url: '/api/auth/me', headers: { authorization: `Bearer ${session.token}` } })).statusCode).toBe(401);
  });

  it('clears a dead session cookie in its 401, so a service with authentication off opens again', async () => {
    t = await createTestApp({ authEnabled: false });
    const dead = await t.app.inject({ method: 'GET', url: '/api/clusters', headers: { cookie: 'stellar_session=stl_expired; stellar_csrf=x' } });
    expect(dead.statusCode).toBe(401);
    expect(setCookies(dead.headers).map((c) => c.split(';')[0])).toEqual(['stellar_session=', 'stellar_csrf=']);
    expect((await t.app.inject({ method: 'GET', url: '/api/clusters' })).statusCode).toBe(200);
  });
});
