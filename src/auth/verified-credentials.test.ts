import { describe, expect, it } from 'vitest';
import { VerifiedCredentials } from './verified-credentials.js';

describe('VerifiedCredentials', () => {
  it('remembers a verified pair until its time is up', () => {
    const cache = new VerifiedCredentials({ ttlMs: 1000, maxEntries: 10 });
    expect(cache.has('admin', 'pw', 'hash-1', 0)).toBe(false);
    cache.remember('admin', 'pw', 'hash-1', 0);
    expect(cache.has('admin', 'pw', 'hash-1', 999)).toBe(true);
    expect(cache.has('admin', 'pw', 'hash-1', 1000)).toBe(false);
  });

  it('does not vouch for another password or user', () => {
    const cache = new VerifiedCredentials({ ttlMs: 1000, maxEntries: 10 });
    cache.remember('admin', 'pw', 'hash-1', 0);
    expect(cache.has('admin', 'pw2', 'hash-1', 1)).toBe(false);
    expect(cache.has('other', 'pw', 'hash-1', 1)).toBe(false);
    // The separator keeps "ad" + "min:pw" apart from "admin" + ":pw".
    cache.remember('ad', 'minpw', 'hash-1', 0);
    expect(cache.has('admin', 'pw', 'hash-x', 1)).toBe(false);
  });

  it('forgets a pair the moment the stored hash changes (a password change)', () => {
    const cache = new VerifiedCredentials({ ttlMs: 1000, maxEntries: 10 });
    cache.remember('admin', 'pw', 'hash-1', 0);
    expect(cache.has('admin', 'pw', 'hash-2', 1)).toBe(false);
    expect(cache.has('admin', 'pw', 'hash-1', 1)).toBe(false);
  });

  it('keeps at most maxEntries, dropping the oldest', () => {
    const cache = new VerifiedCredentials({ ttlMs: 1000, maxEntries: 2 });
    cache.remember('a', 'pw', 'h', 0);
    cache.remember('b', 'pw', 'h', 0);
    cache.remember('c', 'pw', 'h', 0);
    expect([cache.has('a', 'pw', 'h', 1), cache.has('b', 'pw', 'h', 1), cache.has('c', 'pw', 'h', 1)]).toEqual([false, true, true]);
  });
});
