import { describe, expect, it } from 'vitest';
import { DIALECTS } from '../../test/helpers/dialects.js';
import { manualClock } from '../../test/helpers/factories.js';
import { StellarError } from '../errors.js';
import { hashPassword } from '../security/password-hash.js';
import { migrateToLatest } from '../storage/migrate.js';
import { insertUserIfAbsent } from '../storage/repos/users.repo.js';
import { AuthService } from './auth-service.js';

const HOUR = 3_600_000;

async function errorOf(promise: Promise<unknown>): Promise<StellarError> {
  const error = await promise.then(
    () => undefined,
    (err: unknown) => err,
  );
  if (!(error instanceof StellarError)) throw new Error(`expected a StellarError, got ${String(error)}`);
  return error;
}

describe.each(DIALECTS)('AuthService on $name', (dialect) => {
  async function setup() {
    const storage = await dialect.open();
    await migrateToLatest(storage);
    const clock = manualClock();
    await insertUserIfAbsent(storage.db, 'admin', await hashPassword('right-password'), 'admin', clock.now());
    const auth = new AuthService({ db: storage.db, tokenTtlMs: HOUR, now: clock.now });
    return { storage, clock, auth };
  }

  it('logs in with the right password and accepts the token until it expires', async () => {
    const { auth, clock, storage } = await setup();
    const issued = await auth.login('admin', 'right-password');
    expect(issued.token).toMatch(/^stl_[A-Za-z0-9_-]{43}$/);
    expect(issued.expiresAt).toBe(clock.now() + HOUR);
    expect(await auth.authenticateToken(issued.token)).toMatchObject({ username: 'admin', method: 'bearer' });

    clock.advance(HOUR - 1);
    await expect(auth.authenticateToken(issued.token)).resolves.toMatchObject({ username: 'admin' });
    clock.advance(1);
    expect((await errorOf(auth.authenticateToken(issued.token))).code).toBe('STELLAR_ERR_AUTH_TOKEN_EXPIRED');
    await storage.close();
  });

  it('stores only a hash of each token', async () => {
    const { auth, storage } = await setup();
    const issued = await auth.login('admin', 'right-password');
    const rows = await storage.db.selectFrom('auth_tokens').select('token_hash').execute();
    expect(rows).toHaveLength(1);
    expect(rows[0]?.token_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(rows)).not.toContain(issued.token.slice(4));
    await storage.close();
  });

  it('answers a wrong password and an unknown user with the same error', async () => {
    const { auth, storage } = await setup();
    const wrongPassword = await errorOf(auth.login('admin', 'wrong'));
    const unknownUser = await errorOf(auth.login('nobody', 'right-password'));
    expect([wrongPassword.code, wrongPassword.message]).toEqual([unknownUser.code, unknownUser.message]);
    expect(wrongPassword.code).toBe('STELLAR_ERR_AUTH_INVALID_CREDENTIALS');
    expect((await errorOf(auth.authenticateBasic('admin', 'wrong'))).code).toBe('STELLAR_ERR_AUTH_INVALID_CREDENTIALS');
    await expect(auth.authenticateBasic('admin', 'right-password')).resolves.toMatchObject({ method: 'basic', tokenId: null });
    await storage.close();
  });

  it('refuses unknown and revoked tokens', async () => {
    const { auth, storage } = await setup();
    expect((await errorOf(auth.authenticateToken('stl_made-up'))).code).toBe('STELLAR_ERR_AUTH_TOKEN_INVALID');
    expect((await errorOf(auth.authenticateToken('not-even-a-token'))).code).toBe('STELLAR_ERR_AUTH_TOKEN_INVALID');
    const issued = await auth.login('admin', 'right-password');
    await auth.logout(await auth.authenticateToken(issued.token));
    expect((await errorOf(auth.authenticateToken(issued.token))).code).toBe('STELLAR_ERR_AUTH_TOKEN_INVALID');
    await storage.close();
  });

  it('changes a password only with the current one, and revokes every other token', async () => {
    const { auth, storage } = await setup();
    const current = await auth.login('admin', 'right-password');
    const other = await auth.login('admin', 'right-password');
    const principal = await auth.authenticateToken(current.token);

    expect((await errorOf(auth.changePassword(principal, 'wrong', 'new-password-1'))).code).toBe('STELLAR_ERR_AUTH_WRONG_PASSWORD');
    await auth.changePassword(principal, 'right-password', 'new-password-1');

    await expect(auth.authenticateToken(current.token)).resolves.toMatchObject({ username: 'admin' });
    expect((await errorOf(auth.authenticateToken(other.token))).code).toBe('STELLAR_ERR_AUTH_TOKEN_INVALID');
    expect((await errorOf(auth.login('admin', 'right-password'))).code).toBe('STELLAR_ERR_AUTH_INVALID_CREDENTIALS');
    await expect(auth.login('admin', 'new-password-1')).resolves.toMatchObject({ username: 'admin' });
    await storage.close();
  });

  it('stops accepting a remembered Basic pair the moment the password changes', async () => {
    const { auth, storage } = await setup();
    const principal = await auth.authenticateBasic('admin', 'right-password');
    await expect(auth.authenticateBasic('admin', 'right-password')).resolves.toMatchObject({ username: 'admin' });
    await auth.changePassword(principal, 'right-password', 'changed-password');
    expect((await errorOf(auth.authenticateBasic('admin', 'right-password'))).code).toBe('STELLAR_ERR_AUTH_INVALID_CREDENTIALS');
    await expect(auth.authenticateBasic('admin', 'changed-password')).resolves.toMatchObject({ username: 'admin' });
    await storage.close();
  });

  it('drops expired tokens from the database at the next login', async () => {
    const { auth, clock, storage } = await setup();
    await auth.login('admin', 'right-password');
    clock.advance(2 * HOUR);
    await auth.login('admin', 'right-password');
    expect(await storage.db.selectFrom('auth_tokens').selectAll().execute()).toHaveLength(1);
    await storage.close();
  });
});
