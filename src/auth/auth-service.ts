/**
 * Who is calling: logs users in with a password, hands out bearer tokens (random, stored only
 * as a SHA-256, expiring, revocable), makes personal API tokens (named, with a role and an
 * expiry, shown once) and checks tokens or HTTP Basic credentials on each request.
 * Every failure says as little as possible: never whether a user name exists.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import { StellarError } from '../errors.js';
import { hashPassword, verifyAgainstDummy, verifyPassword } from '../security/password-hash.js';
import type { Logger } from '../logger.js';
import type { Database } from '../storage/database.js';
import {
  deleteExpiredTokens,
  deleteToken,
  deleteUserTokens,
  deletePersonalToken,
  findToken,
  findUserById,
  findUserByName,
  insertToken,
  listPersonalTokens,
  setUserPassword,
  touchToken,
  type PersonalTokenRow,
  type UserRow,
} from '../storage/repos/users.repo.js';
import { lesserRole, ROLES, type Role } from '../shared/roles.js';
import { DEFAULT_LOGIN_LIMITS, LoginLimiter, type LoginLimits } from './login-limiter.js';
import { VerifiedCredentials } from './verified-credentials.js';

/** The caller of a request. `tokenId` is set when a token was used (as a bearer token or in the console's session cookie). */
export interface Principal {
  readonly userId: number;
  readonly username: string;
  readonly method: 'bearer' | 'cookie' | 'basic';
  readonly tokenId: number | null;
  /** What this request may do: the user's role, or a personal token's if lower. */
  readonly role: Role;
}

/**
 * Whether the caller may administer Stellar (change clusters, users, settings; keep a cluster's
 * stored password while its address changes). A caller without credentials (possible only with
 * auth.enabled = false) is not.
 */
export function isAdmin(principal: Principal | null): boolean {
  return principal?.role === 'admin';
}

export interface NewPersonalToken {
  readonly name: string;
  /** Epoch milliseconds. */
  readonly expiresAt: number;
  /** At most the caller's role; the caller's role when absent. */
  readonly role?: Role;
}

export interface CreatedPersonalToken {
  /** The token itself: shown once, never stored. */
  readonly token: string;
  readonly row: PersonalTokenRow;
}

/** A personal token's last use is written at most this often: a polling script is not a write per request. */
const LAST_USED_RESOLUTION_MS = 60_000;

export interface IssuedToken {
  readonly token: string;
  /** Epoch milliseconds. */
  readonly issuedAt: number;
  /** Epoch milliseconds. */
  readonly expiresAt: number;
  readonly userId: number;
  readonly username: string;
}

export interface AuthServiceDeps {
  readonly db: Kysely<Database>;
  /** Token lifetime in milliseconds; read at each login, so a getter follows a configuration reload. */
  readonly tokenTtlMs: number;
  readonly now: () => number;
  /** How long a verified HTTP Basic pair is trusted without a new scrypt check; 0 turns it off. */
  readonly basicCacheMs?: number;
  /** `[auth]` login limits, read at each check as tokenTtlMs is; DEFAULT_LOGIN_LIMITS when absent. */
  readonly loginLimits?: LoginLimits;
  /** Where failed logins are logged (with the client address, never the password). */
  readonly logger?: Logger;
}

/** The client address of a check made from inside the process (tests, the CLI), not over HTTP. */
const IN_PROCESS = 'in-process';

const TOKEN_PREFIX = 'stl_';

export class AuthService {
  readonly #deps: AuthServiceDeps;
  readonly #verified: VerifiedCredentials;
  readonly #limiter: LoginLimiter;

  constructor(deps: AuthServiceDeps) {
    this.#deps = deps;
    this.#limiter = new LoginLimiter(deps.loginLimits ?? DEFAULT_LOGIN_LIMITS);
    this.#verified = new VerifiedCredentials({ ttlMs: deps.basicCacheMs ?? 5 * 60_000, maxEntries: 1000 });
  }

  /** Throws STELLAR_ERR_AUTH_INVALID_CREDENTIALS, or STELLAR_ERR_AUTH_RATE_LIMITED while the account or address is locked. */
  async login(username: string, password: string, clientAddress = IN_PROCESS): Promise<IssuedToken> {
    const user = await this.#checkPassword(username, password, clientAddress);
    const now = this.#deps.now();
    const token = newToken();
    const expiresAt = now + this.#deps.tokenTtlMs;
    await deleteExpiredTokens(this.#deps.db, now);
    await insertToken(this.#deps.db, { userId: user.id, tokenHash: hashToken(token), createdAt: now, expiresAt });
    return { token, issuedAt: now, expiresAt, userId: user.id, username: user.username };
  }

  /**
   * Makes a personal API token for the caller. Throws STELLAR_ERR_AUTH_FORBIDDEN when the role
   * asked for is above the caller's, or the caller has no account (authentication off).
   */
  async createPersonalToken(principal: Principal | null, request: NewPersonalToken): Promise<CreatedPersonalToken> {
    if (!principal) throw new StellarError('STELLAR_ERR_AUTH_FORBIDDEN', 'a personal token belongs to a user: send the credentials of the user it is for');
    const role = request.role ?? principal.role;
    if (ROLES.indexOf(role) > ROLES.indexOf(principal.role)) {
      throw new StellarError('STELLAR_ERR_AUTH_FORBIDDEN', `a token cannot have more power than its maker: role "${role}" is above yours ("${principal.role}")`, [
        { field: 'role', message: `must be at most "${principal.role}"` },
      ]);
    }
    const token = newToken();
    const now = this.#deps.now();
    const id = await insertToken(this.#deps.db, { userId: principal.userId, tokenHash: hashToken(token), createdAt: now, expiresAt: request.expiresAt, personal: { name: request.name, role } });
    const row = (await listPersonalTokens(this.#deps.db, principal.userId)).find((t) => t.id === id);
    if (!row) throw new Error(`personal token ${id} vanished right after it was written`);
    return { token, row };
  }

  async listPersonalTokens(principal: Principal | null): Promise<PersonalTokenRow[]> {
    return principal ? listPersonalTokens(this.#deps.db, principal.userId) : [];
  }

  /** Throws STELLAR_ERR_AUTH_TOKEN_NOT_FOUND unless the caller has a personal token with this id. */
  async revokePersonalToken(principal: Principal | null, tokenId: number): Promise<void> {
    if (!principal || !(await deletePersonalToken(this.#deps.db, principal.userId, tokenId))) {
      throw new StellarError('STELLAR_ERR_AUTH_TOKEN_NOT_FOUND', `you have no personal token with id ${tokenId}`);
    }
  }

  /** Throws STELLAR_ERR_AUTH_TOKEN_INVALID or STELLAR_ERR_AUTH_TOKEN_EXPIRED. */
  async authenticateToken(token: string): Promise<Principal> {
    const row = token.startsWith(TOKEN_PREFIX) ? await findToken(this.#deps.db, hashToken(token)) : undefined;
    if (!row) throw new StellarError('STELLAR_ERR_AUTH_TOKEN_INVALID', 'the bearer token is not valid (unknown or revoked)');
    if (Number(row.expires_at) <= this.#deps.now()) {
      throw new StellarError('STELLAR_ERR_AUTH_TOKEN_EXPIRED', 'the bearer token has expired; log in again');
    }
    const now = this.#deps.now();
    if (row.token_name !== null && (row.last_used_at === null || now - Number(row.last_used_at) >= LAST_USED_RESOLUTION_MS)) {
      await touchToken(this.#deps.db, row.token_id, now);
    }
    const role = row.token_role === null ? row.user_role : lesserRole(row.token_role, row.user_role);
    return { userId: row.user_id, username: row.username, method: 'bearer', tokenId: row.token_id, role };
  }

  /** Throws STELLAR_ERR_AUTH_INVALID_CREDENTIALS, or STELLAR_ERR_AUTH_RATE_LIMITED as login does. */
  async authenticateBasic(username: string, password: string, clientAddress = IN_PROCESS): Promise<Principal> {
    const now = this.#deps.now();
    const found = await findUserByName(this.#deps.db, username);
    const user = found && this.#verified.has(username, password, found.password_hash, now) ? found : await this.#checkPassword(username, password, clientAddress);
    this.#verified.remember(username, password, user.password_hash, now);
    return { userId: user.id, username: user.username, method: 'basic', tokenId: null, role: user.role };
  }

  /** Revokes the token the principal used, if any. */
  async logout(principal: Principal): Promise<void> {
    if (principal.tokenId !== null) await deleteToken(this.#deps.db, principal.tokenId);
  }

  /**
   * Sets a new password after checking the current one, and revokes every other token of the
   * user, so a leaked token dies with the old password. Throws STELLAR_ERR_AUTH_WRONG_PASSWORD.
   */
  async changePassword(principal: Principal, currentPassword: string, newPassword: string): Promise<void> {
    const user = await findUserById(this.#deps.db, principal.userId);
    if (!user || !(await verifyPassword(user.password_hash, currentPassword))) {
      throw new StellarError('STELLAR_ERR_AUTH_WRONG_PASSWORD', 'the current password is wrong', [
        { field: 'current_password', message: 'is wrong' },
      ]);
    }
    await setUserPassword(this.#deps.db, user.id, await hashPassword(newPassword), this.#deps.now());
    await deleteUserTokens(this.#deps.db, user.id, principal.tokenId);
  }

  /**
   * Checks the password of a user by name (unknown: a dummy check of the same cost), unless the
   * account or address is locked. A failure is counted and logged with the address; the name
   * only when it is a real account, since a mistyped password often lands in the name field.
   */
  async #checkPassword(username: string, password: string, clientAddress: string): Promise<UserRow> {
    this.#limiter.check(username, clientAddress, this.#deps.now());
    const user = await findUserByName(this.#deps.db, username);
    const valid = user ? await verifyPassword(user.password_hash, password) : await verifyAgainstDummy(password);
    if (!user || !valid) {
      this.#limiter.failed(username, clientAddress, this.#deps.now());
      this.#deps.logger?.warn({ address: clientAddress, user: user?.username ?? null, known_user: user !== undefined }, 'login failed');
      throw new StellarError('STELLAR_ERR_AUTH_INVALID_CREDENTIALS', 'invalid user name or password');
    }
    this.#limiter.succeeded(username);
    return user;
  }
}

function newToken(): string {
  return `${TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`;
}

function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}
