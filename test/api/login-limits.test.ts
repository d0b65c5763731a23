/**
 * Password guessing is bounded: per account and per client address, over real HTTP handling
 * (app.inject with a remote address), with a clock moved by hand.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, createTestApp, type TestApp } from '../helpers/test-app.js';

let t: TestApp;
afterEach(async () => {
  await t.close();
});

const LIMITS = { failuresPerAccount: 3, failuresPerAddress: 5, lockoutMs: 60_000 };

function login(username: string, password: string, remoteAddress: string) {
  return t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password }, remoteAddress });
}

describe('login limits', () => {
  it('locks an account after repeated failures, the right password included, until the lockout ends', async () => {
    t = await createTestApp({ loginLimits: LIMITS });
    for (const [i, address] of ['10.0.0.1', '10.0.0.2', '10.0.0.3'].entries()) {
      expect((await login('admin', `wrong-${i}`, address)).statusCode).toBe(401);
    }
    const locked = await login('admin', ADMIN_PASSWORD, '10.0.0.9');
    expect(locked.statusCode).toBe(429);
    expect(locked.headers['retry-after']).toBe('60');
    expect(locked.json()).toEqual({ code: 'STELLAR_ERR_AUTH_RATE_LIMITED', message: 'too many failed logins; try again in 60 s', details: null });
    const basic = await t.app.inject({ method: 'GET', url: '/api/auth/me', headers: { authorization: `Basic ${Buffer.from(`admin:${ADMIN_PASSWORD}x`).toString('base64')}` }, remoteAddress: '10.0.0.9' });
    expect(basic.statusCode).toBe(429);

    t.clock.advance(45_000);
    expect((await login('admin', ADMIN_PASSWORD, '10.0.0.9')).headers['retry-after']).toBe('15');
    t.clock.advance(15_000);
    expect((await login('admin', ADMIN_PASSWORD, '10.0.0.9')).statusCode).toBe(200);
  });

  it('locks a client address guessing across names, not the others', async () => {
    t = await createTestApp({ loginLimits: LIMITS });
    for (let i = 0; i < LIMITS.failuresPerAddress; i += 1) {
      expect((await login(`user-${i}`, 'guess', '192.0.2.7')).statusCode).toBe(401);
    }
    const refused = await login('admin', ADMIN_PASSWORD, '192.0.2.7');
    expect(refused.statusCode).toBe(429);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    expect((await login('admin', ADMIN_PASSWORD, '192.0.2.8')).statusCode).toBe(200);
  });

  it('logs each failure with the client address and never the password, nor a name that is no account', async () => {
    t = await createTestApp({ loginLimits: LIMITS });
    await login('admin', 'Guess-Pw-4417', '198.51.100.4');
    await login('Typed-Pw-Into-Name-9931', 'Guess-Pw-5529', '198.51.100.5');
    const failures = t.logs.filter((line) => line.includes('"login failed"')).map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(failures).toEqual([
      expect.objectContaining({ level: 40, address: '198.51.100.4', user: 'admin', known_user: true }),
      expect.objectContaining({ level: 40, address: '198.51.100.5', user: null, known_user: false }),
    ]);
    const logs = t.logs.join('');
    for (const secret of ['Guess-Pw-4417', 'Guess-Pw-5529', 'Typed-Pw-Into-Name-9931']) expect(logs).not.toContain(secret);
  });
});
