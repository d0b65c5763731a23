/** Queries on users and their bearer tokens (login tokens and personal API tokens). */
import type { Kysely, NotNull, Selectable } from 'kysely';
import type { Role } from '../../shared/roles.js';
import type { Database } from '../database.js';
import type { AuthTokensTable, UsersTable } from '../tables/users.table.js';

export type UserRow = Selectable<UsersTable>;
export type TokenRow = Selectable<AuthTokensTable>;
/** A personal token's row: unlike a login token's, its name and role are set. */
export type PersonalTokenRow = Omit<TokenRow, 'name' | 'role'> & { name: string; role: Role };

/** What a token is besides its hash: a personal token has a name and a role. */
export interface NewToken {
  readonly userId: number;
  readonly tokenHash: string;
  readonly createdAt: number;
  readonly expiresAt: number;
  readonly personal?: { readonly name: string; readonly role: Role };
}

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
export function insertUserIfAbsent(db: Kysely<Database>, username: string, passwordHash: string, role: Role, now: number): Promise<UserRow | undefined> {
  return db
    .insertInto('users')
    .values({ username, password_hash: passwordHash, role, created_at: now, updated_at: now })
    .onConflict((oc) => oc.column('username').doNothing())
    .returningAll()
    .executeTakeFirst();
}

export async function setUserPassword(db: Kysely<Database>, id: number, passwordHash: string, now: number): Promise<void> {
  await db.updateTable('users').set({ password_hash: passwordHash, updated_at: now }).where('id', '=', id).execute();
}

export function listUsers(db: Kysely<Database>): Promise<UserRow[]> {
  return db.selectFrom('users').selectAll().orderBy('id').execute();
}

export async function countAdmins(db: Kysely<Database>): Promise<number> {
  const row = await db.selectFrom('users').select((eb) => eb.fn.countAll<number | string>().as('n')).where('role', '=', 'admin').executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function setUserRole(db: Kysely<Database>, id: number, role: Role, now: number): Promise<void> {
  await db.updateTable('users').set({ role, updated_at: now }).where('id', '=', id).execute();
}

/** Deletes the user; their tokens go with them (foreign key, on delete cascade). */
export async function deleteUser(db: Kysely<Database>, id: number): Promise<void> {
  await db.deleteFrom('users').where('id', '=', id).execute();
}

/** Returns the new token's id. */
export async function insertToken(db: Kysely<Database>, token: NewToken): Promise<number> {
  const row = await db
    .insertInto('auth_tokens')
    .values({
      user_id: token.userId,
      token_hash: token.tokenHash,
      created_at: token.createdAt,
      expires_at: token.expiresAt,
      name: token.personal?.name ?? null,
      role: token.personal?.role ?? null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** A user's personal tokens (never login tokens), oldest first. */
export function listPersonalTokens(db: Kysely<Database>, userId: number): Promise<PersonalTokenRow[]> {
  return db
    .selectFrom('auth_tokens')
    .selectAll()
    .where('user_id', '=', userId)
    .where('name', 'is not', null)
    .where('role', 'is not', null)
    .$narrowType<{ name: NotNull; role: NotNull }>()
    .orderBy('id')
    .execute();
}

/** Deletes one personal token of this user; false when the user has none with this id. */
export async function deletePersonalToken(db: Kysely<Database>, userId: number, tokenId: number): Promise<boolean> {
  const result = await db.deleteFrom('auth_tokens').where('id', '=', tokenId).where('user_id', '=', userId).where('name', 'is not', null).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

export async function touchToken(db: Kysely<Database>, tokenId: number, now: number): Promise<void> {
  await db.updateTable('auth_tokens').set({ last_used_at: now }).where('id', '=', tokenId).execute();
}

/** The token row and its user, found by the token's hash. */
export function findToken(db: Kysely<Database>, tokenHash: string) {
  return db
    .selectFrom('auth_tokens')
    .innerJoin('users', 'users.id', 'auth_tokens.user_id')
    .select(['auth_tokens.id as token_id', 'auth_tokens.expires_at', 'auth_tokens.role as token_role', 'auth_tokens.name as token_name', 'auth_tokens.last_used_at', 'users.id as user_id', 'users.username', 'users.role as user_role'])
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

/** Expired login tokens go; expired personal tokens stay listed (as expired) until revoked. */
export async function deleteExpiredTokens(db: Kysely<Database>, now: number): Promise<void> {
  await db.deleteFrom('auth_tokens').where('expires_at', '<=', now).where('name', 'is', null).execute();
}
