/**
 * Remembers, for a few minutes, that a user name and password pair was verified, so scripts
 * that send HTTP Basic credentials on every request do not pay a full scrypt check (≈100 ms
 * of CPU) each time. Prometheus' exporter-toolkit caches its bcrypt checks the same way.
 *
 * Entries are keyed by an HMAC of the pair under a key that lives only in this process, and
 * hold the stored hash they were checked against: a password change makes every entry of that
 * user stale at once. Failed checks are never remembered, so guessing stays expensive.
 */
import { createHmac, randomBytes } from 'node:crypto';

interface Entry {
  readonly passwordHash: string;
  readonly expiresAt: number;
}

export class VerifiedCredentials {
  readonly #key = randomBytes(32);
  readonly #entries = new Map<string, Entry>();
  readonly #ttlMs: number;
  readonly #maxEntries: number;

  constructor(options: { ttlMs: number; maxEntries: number }) {
    this.#ttlMs = options.ttlMs;
    this.#maxEntries = options.maxEntries;
  }

  /** True when this pair was verified against `passwordHash` less than the TTL ago. */
  has(username: string, password: string, passwordHash: string, now: number): boolean {
    const id = this.#id(username, password);
    const entry = this.#entries.get(id);
    if (!entry) return false;
    if (entry.passwordHash === passwordHash && entry.expiresAt > now) return true;
    this.#entries.delete(id);
    return false;
  }

  remember(username: string, password: string, passwordHash: string, now: number): void {
    const id = this.#id(username, password);
    this.#entries.delete(id);
    if (this.#entries.size >= this.#maxEntries) {
      const oldest = this.#entries.keys().next();
      if (!oldest.done) this.#entries.delete(oldest.value);
    }
    this.#entries.set(id, { passwordHash, expiresAt: now + this.#ttlMs });
  }

  #id(username: string, password: string): string {
    return createHmac('sha256', this.#key).update(username).update('\0').update(password).digest('base64');
  }
}
