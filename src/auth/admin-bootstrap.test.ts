import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DIALECTS } from '../../test/helpers/dialects.js';
import { verifyPassword } from '../security/password-hash.js';
import { migrateToLatest } from '../storage/migrate.js';
import { findUserByName } from '../storage/repos/users.repo.js';
import { ensureAdminUser } from './admin-bootstrap.js';

describe.each(DIALECTS)('ensureAdminUser on $name', (dialect) => {
  async function setup() {
    const storage = await dialect.open();
    await migrateToLatest(storage);
    const passwordFile = join(mkdtempSync(join(tmpdir(), 'stellar-admin-')), 'initial-admin-password');
    return { storage, passwordFile };
  }

  it('creates admin with a generated password, written to a file only its owner can read', async () => {
    const { storage, passwordFile } = await setup();
    const result = await ensureAdminUser({ db: storage.db, configuredPassword: '', passwordFile, now: 1 });
    if (!result.created || result.generatedPassword === null) throw new Error('expected a generated password');
    expect(result.generatedPassword).toMatch(/^[A-Za-z0-9_-]{24}$/);
    expect(readFileSync(passwordFile, 'utf8')).toBe(`${result.generatedPassword}\n`);
    expect(statSync(passwordFile).mode & 0o777).toBe(0o600);
    const admin = await findUserByName(storage.db, 'admin');
    expect(await verifyPassword(admin?.password_hash ?? '', result.generatedPassword)).toBe(true);
    await storage.close();
  });

  it('uses auth.admin_password when set, and writes no file', async () => {
    const { storage, passwordFile } = await setup();
    expect(await ensureAdminUser({ db: storage.db, configuredPassword: 'from-the-env-1', passwordFile, now: 1 })).toEqual({
      created: true,
      generatedPassword: null,
    });
    expect(() => statSync(passwordFile)).toThrow();
    const admin = await findUserByName(storage.db, 'admin');
    expect(await verifyPassword(admin?.password_hash ?? '', 'from-the-env-1')).toBe(true);
    await storage.close();
  });

  it('does nothing once a user exists, whatever the configured password says', async () => {
    const { storage, passwordFile } = await setup();
    await ensureAdminUser({ db: storage.db, configuredPassword: 'first-password', passwordFile, now: 1 });
    expect(await ensureAdminUser({ db: storage.db, configuredPassword: 'second-password', passwordFile, now: 2 })).toEqual({ created: false });
    const admin = await findUserByName(storage.db, 'admin');
    expect(await verifyPassword(admin?.password_hash ?? '', 'first-password')).toBe(true);
    await storage.close();
  });
});
