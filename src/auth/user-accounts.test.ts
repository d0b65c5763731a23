/**
 * The last administrator on every engine: two admins demoting each other, or deleting each
 * other, at the same moment never leave Stellar without one; the change that loses is refused
 * with its reason (PostgreSQL refuses one of the overlapping transactions, and it is run again).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { DIALECTS } from '../../test/helpers/dialects.js';
import { StellarError } from '../errors.js';
import type { Storage } from '../storage/dialect/dialect.js';
import { migrateToLatest } from '../storage/migrate.js';
import { UserAccounts } from './user-accounts.js';

let storage: Storage | null = null;
afterEach(async () => {
  await storage?.close();
  storage = null;
});

describe.each(DIALECTS)('user accounts on $name', (dialect) => {
  async function twoAdmins() {
    storage = await dialect.open();
    await migrateToLatest(storage);
    const accounts = new UserAccounts({ db: storage.db, now: () => Date.UTC(2026, 11, 2) });
    const a = await accounts.create('alice', 'a-long-password', 'admin');
    const b = await accounts.create('bob', 'b-long-password', 'admin');
    return { accounts, a, b };
  }
  const codeOf = (result: PromiseSettledResult<unknown>) => (result.status === 'fulfilled' ? 'ok' : result.reason instanceof StellarError ? result.reason.code : String(result.reason));

  it('of two admins demoting each other at once, one succeeds and one is refused as the last admin', async () => {
    const { accounts, a, b } = await twoAdmins();
    for (let round = 0; round < 5; round += 1) {
      const results = await Promise.allSettled([accounts.setRole(a.id, 'viewer'), accounts.setRole(b.id, 'viewer')]);
      expect(results.map(codeOf).sort()).toEqual(['STELLAR_ERR_USER_LAST_ADMIN', 'ok']);
      expect((await accounts.list()).filter((u) => u.role === 'admin')).toHaveLength(1);
      await accounts.setRole(a.id, 'admin');
      await accounts.setRole(b.id, 'admin');
    }
  });

  it('of two admins deleting each other at once, one remains', async () => {
    const { accounts, a, b } = await twoAdmins();
    const results = await Promise.allSettled([accounts.delete(a.id), accounts.delete(b.id)]);
    expect(results.map(codeOf).sort()).toEqual(['STELLAR_ERR_USER_LAST_ADMIN', 'ok']);
    expect((await accounts.list()).map((u) => u.role)).toEqual(['admin']);
  });
});
