/** Queries on users and their bearer tokens. */
import type { Kysely, Selectable } from 'kysely';
import type { Database } from '../database.js';
import type { UsersTable } from '../tables/users.table.js';

export type UserRow = Selectable<UsersTable>;

export async function countUsers(db: Kysely<Database>): Promise<number> {
  const row = await db.selectFrom('users').select((eb) => eb.fn.countAll<number | string>().as('n')).executeTakeFirstOrThrow();
  return Number(row.n);
}

export function findUserByName(db: Kysely<Database>, username: string): Promise<UserRow | undefined> {
  return db.selectFrom('users').selectAll().where('username', '=', username).executeTakeFirst();
}

export function findUserById(db: Kysely<Database>, id: number): Promise<UserRow | undefined> {
  return db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Inserts the user unless the name is taken (e.g. by a second instance starting at the same time). */
export function insertUserIfAbsent(db: Kysely<Database>, username: string, passwordHash: string, now: number): Promise<UserRow | undefined> {
  return db
    .insertInto('users')
    .values({ username, password_hash: passwordHash, created_at: now, updated_at: now })
    .onConflict((oc) => oc.column('username').doNothing())
    .returningAll()
    .executeTakeFirst();
}

export async function setUserPassword(db: Kysely<Database>, id: number, passwordHash: string, now: number): Promise<void> {
  await db.updateTable('users').set({ password_hash: passwordHash, updated_at: now }).where('id', '=', id).execute();
}

export async function insertToken(db: Kysely<Database>, userId: number, tokenHash: string, now: number, expiresAt: number): Promise<void> {
  await db.insertInto('auth_tokens').values({ user_id: userId, token_hash: tokenHash, created_at: now, expires_at: expiresAt }).execute();
}

/** The token row and its user, found by the token's hash. */
export function findToken(db: Kysely<Database>, tokenHash: string) {
  return db
    .selectFrom('auth_tokens')
    .innerJoin('users', 'users.id', 'auth_tokens.user_id')
    .select(['auth_tokens.id as token_id', 'auth_tokens.expires_at', 'users.id as user_id', 'users.username'])
    .where('auth_tokens.token_hash', '=', tokenHash)
    .executeTakeFirst();
}

export async function deleteToken(db: Kysely<Database>, tokenId: number): Promise<void> {
  await db.deleteFrom('auth_tokens').where('id', '=', tokenId).execute();
}

/** Revokes every token of a user except `keepTokenId` (the one making the request, if any). */
export async function deleteUserTokens(db: Kysely<Database>, userId: number, keepTokenId: number | null): Promise<void> {
  let query = db.deleteFrom('auth_tokens').where('user_id', '=', userId);
  if (keepTokenId !== null) query = query.where('id', '!=', keepTokenId);
  await query.execute();
}

export async function deleteExpiredTokens(db: Kysely<Database>, now: number): Promise<void> {
  await db.deleteFrom('auth_tokens').where('expires_at', '<=', now).execute();
}
