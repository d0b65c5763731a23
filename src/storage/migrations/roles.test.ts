import { Migrator, sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { DIALECTS } from '../../../test/helpers/dialects.js';
import { migrateToLatest } from '../migrate.js';
import { allMigrations } from './index.js';

const ROLES_MIGRATION = '2026-12-02-003-roles';

describe.each(DIALECTS)('the roles migration on $name', (dialect) => {
  it('makes every existing user an admin, so an upgrade locks nobody out, and keeps their tokens as login tokens', async () => {
    const storage = await dialect.open();
    const all = allMigrations(storage.dialect);
    const before = Object.fromEntries(Object.entries(all).filter(([name]) => name < ROLES_MIGRATION));
    const migrator = new Migrator({
      db: storage.db,
      provider: { getMigrations: () => Promise.resolve(before) },
      migrationTableName: 'stellar_migrations',
      migrationLockTableName: 'stellar_migrations_lock',
    });
    expect((await migrator.migrateToLatest()).error).toBeUndefined();
    await sql`insert into users (username, password_hash, created_at, updated_at) values ('admin', 'h', 1, 1), ('ops', 'h', 1, 1)`.execute(storage.db);
    await sql`insert into auth_tokens (user_id, token_hash, created_at, expires_at) values (2, 'x', 1, 2)`.execute(storage.db);

    // The roles migration first, then any written after it.
    expect((await migrateToLatest(storage))[0]).toBe(ROLES_MIGRATION);
    expect(await storage.db.selectFrom('users').select(['username', 'role']).orderBy('id').execute()).toEqual([
      { username: 'admin', role: 'admin' },
      { username: 'ops', role: 'admin' },
    ]);
    expect(await storage.db.selectFrom('auth_tokens').select(['name', 'role', 'last_used_at']).execute()).toEqual([{ name: null, role: null, last_used_at: null }]);
    await storage.close();
  });
});
