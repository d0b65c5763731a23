/**
 * Bounds password guessing: failed password checks are counted per account and per client
 * address, and once either reaches its limit within the lockout period, further checks for it
 * are refused (429 with Retry-After) until the period has passed, without spending scrypt on
 * them. A success clears the account's count, not the address's: one valid account must not
 * let an address guess at the others.
 *
 * In memory: a restart forgets the counts, and each process counts its own. The number of
 * keys kept is bounded, the oldest dropped first, so a flood of names cannot grow it.
 */
import { StellarError } from '../errors.js';

export interface LoginLimits {
  /** Failed checks of one account, within `lockoutMs`, after which it is locked. */
  readonly failuresPerAccount: number;
  /** Failed checks from one client address, within `lockoutMs`, after which it is locked. */
  readonly failuresPerAddress: number;
  /** How long failures count, and how long a lock lasts. */
  readonly lockoutMs: number;
}

/** `[auth]` defaults: 5 failures per account, 20 per address, 15 minutes. */
export const DEFAULT_LOGIN_LIMITS: LoginLimits = { failuresPerAccount: 5, failuresPerAddress: 20, lockoutMs: 15 * 60_000 };

const MAX_KEYS = 10_000;

interface Count {
  failures: number;
  /** When the first counted failure happened; the count ends lockoutMs later. */
  since: number;
}

export class LoginLimiter {
  readonly #limits: LoginLimits;
  readonly #counts = new Map<string, Count>();

  constructor(limits: LoginLimits) {
    this.#limits = limits;
  }

  /** Throws STELLAR_ERR_AUTH_RATE_LIMITED when the account or the address is locked. */
  check(username: string, address: string, now: number): void {
    const waits = [this.#lockedFor(accountKey(username), this.#limits.failuresPerAccount, now), this.#lockedFor(addressKey(address), this.#limits.failuresPerAddress, now)];
    const waitMs = Math.max(...waits);
    if (waitMs > 0) throw new RateLimitedError(waitMs);
  }

  failed(username: string, address: string, now: number): void {
    this.#count(accountKey(username), now);
    this.#count(addressKey(address), now);
  }

  succeeded(username: string): void {
    this.#counts.delete(accountKey(username));
  }

  #lockedFor(key: string, limit: number, now: number): number {
    const count = this.#counts.get(key);
    if (!count) return 0;
    const endsAt = count.since + this.#limits.lockoutMs;
    if (endsAt <= now) {
      this.#counts.delete(key);
      return 0;
    }
    return count.failures >= limit ? endsAt - now : 0;
  }

  #count(key: string, now: number): void {
    const count = this.#counts.get(key);
    if (count && count.since + this.#limits.lockoutMs > now) {
      count.failures += 1;
      return;
    }
    this.#counts.delete(key);
    if (this.#counts.size >= MAX_KEYS) this.#counts.delete(this.#counts.keys().next().value as string);
    this.#counts.set(key, { failures: 1, since: now });
  }
}

const accountKey = (username: string) => `user:${username.normalize('NFC').toLowerCase()}`;
const addressKey = (address: string) => `addr:${address}`;

export class RateLimitedError extends StellarError {
  /** Whole seconds until the lock ends, for Retry-After. */
  readonly retryAfterSeconds: number;

  constructor(waitMs: number) {
    const seconds = Math.max(1, Math.ceil(waitMs / 1000));
    super('STELLAR_ERR_AUTH_RATE_LIMITED', `too many failed logins; try again in ${seconds} s`);
    this.retryAfterSeconds = seconds;
  }
}
