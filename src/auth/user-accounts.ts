/**
 * User management for administrators: list, create, change a role, reset a password, delete.
 * There is always at least one admin: a change that would leave none is refused, checked in a
 * serializable transaction with the change, so two admins demoting each other at the same
 * moment cannot both succeed (SQLite runs one write transaction at a time anyway; PostgreSQL
 * would otherwise let both see two admins).
 */
import type { Kysely } from 'kysely';
import { StellarError } from '../errors.js';
import { hashPassword } from '../security/password-hash.js';
import type { Role } from '../shared/roles.js';
import type { Database } from '../storage/database.js';
import {
  countAdmins,
  deleteUser,
  deleteUserTokens,
  findUserById,
  insertUserIfAbsent,
  listUsers,
  setUserPassword,
  setUserRole,
  type UserRow,
} from '../storage/repos/users.repo.js';

export interface UserAccountsDeps {
  readonly db: Kysely<Database>;
  readonly now: () => number;
}

export class UserAccounts {
  readonly #deps: UserAccountsDeps;

  constructor(deps: UserAccountsDeps) {
    this.#deps = deps;
  }

  list(): Promise<UserRow[]> {
    return listUsers(this.#deps.db);
  }

  /** Throws STELLAR_ERR_USER_NAME_TAKEN. */
  async create(username: string, password: string, role: Role): Promise<UserRow> {
    const user = await insertUserIfAbsent(this.#deps.db, username, await hashPassword(password), role, this.#deps.now());
    if (!user) throw new StellarError('STELLAR_ERR_USER_NAME_TAKEN', `a user named "${username}" already exists`, [{ field: 'username', message: 'is taken' }]);
    return user;
  }

  /** Throws STELLAR_ERR_USER_NOT_FOUND, or STELLAR_ERR_USER_LAST_ADMIN when it would demote the last admin. */
  async setRole(id: number, role: Role): Promise<UserRow> {
    return serializably(this.#deps.db, async (trx) => {
      const user = await existing(trx, id);
      if (user.role === 'admin' && role !== 'admin') await refuseIfLastAdmin(trx, 'make the last administrator a viewer');
      await setUserRole(trx, id, role, this.#deps.now());
      return existing(trx, id);
    });
  }

  /** Sets the password and revokes every token of the user (login and personal). Throws STELLAR_ERR_USER_NOT_FOUND. */
  async resetPassword(id: number, password: string): Promise<void> {
    const hash = await hashPassword(password);
    await this.#deps.db.transaction().execute(async (trx) => {
      await existing(trx, id);
      await setUserPassword(trx, id, hash, this.#deps.now());
      await deleteUserTokens(trx, id, null);
    });
  }

  /** Deletes the user and their tokens. Throws STELLAR_ERR_USER_NOT_FOUND or STELLAR_ERR_USER_LAST_ADMIN. */
  async delete(id: number): Promise<void> {
    await serializably(this.#deps.db, async (trx) => {
      const user = await existing(trx, id);
      if (user.role === 'admin') await refuseIfLastAdmin(trx, 'delete the last administrator');
      await deleteUser(trx, id);
    });
  }
}

/** SQLSTATE 40001, the SQL standard's serialization failure: the engine refused one of two transactions that overlapped. */
const SERIALIZATION_FAILURE = '40001';
const SERIALIZABLE_ATTEMPTS = 5;

/**
 * `body` in a serializable transaction, run again when the engine refused it for overlapping
 * another (PostgreSQL does, and expects the client to retry): the second run sees the first's
 * change, so of two admins demoting each other one succeeds and the other is told why not.
 */
async function serializably<T>(db: Kysely<Database>, body: (trx: Kysely<Database>) => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await db.transaction().setIsolationLevel('serializable').execute(body);
    } catch (error) {
      if ((error as { code?: unknown } | null)?.code !== SERIALIZATION_FAILURE || attempt >= SERIALIZABLE_ATTEMPTS) throw error;
    }
  }
}

async function existing(db: Kysely<Database>, id: number): Promise<UserRow> {
  const user = await findUserById(db, id);
  if (!user) throw new StellarError('STELLAR_ERR_USER_NOT_FOUND', `no user with id ${id}`);
  return user;
}

async function refuseIfLastAdmin(db: Kysely<Database>, what: string): Promise<void> {
  if ((await countAdmins(db)) <= 1) {
    throw new StellarError('STELLAR_ERR_USER_LAST_ADMIN', `cannot ${what}: Stellar would have no administrator left; make another user admin first`);
  }
}
