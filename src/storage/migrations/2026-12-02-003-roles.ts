/**
 * Roles and personal API tokens. Every existing user becomes `admin`, so nobody loses access
 * on upgrade (until now every account could do everything). A personal token is an
 * auth_tokens row with a `name` and a `role` (at most its owner's); login tokens have neither.
 * `last_used_at` tells a token in use from a forgotten one.
 */
import type { Kysely, Migration } from 'kysely';

export const roles: Migration = {
  async up(db: Kysely<any>) {
    // One column per statement: SQLite's ALTER TABLE adds one at a time.
    await db.schema.alterTable('users').addColumn('role', 'text', (c) => c.notNull().defaultTo('admin')).execute();
    await db.schema.alterTable('auth_tokens').addColumn('name', 'text').execute();
    await db.schema.alterTable('auth_tokens').addColumn('role', 'text').execute();
    await db.schema.alterTable('auth_tokens').addColumn('last_used_at', 'bigint').execute();
  },
};
