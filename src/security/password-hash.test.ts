import { describe, expect, it } from 'vitest';
import { hashPassword, verifyAgainstDummy, verifyPassword } from './password-hash.js';

describe('password hashes', () => {
  it('verify the right password and refuse a wrong one', async () => {
    const hash = await hashPassword('correct horse');
    await expect(verifyPassword(hash, 'correct horse')).resolves.toBe(true);
    await expect(verifyPassword(hash, 'correct hors')).resolves.toBe(false);
    await expect(verifyPassword(hash, '')).resolves.toBe(false);
  });

  it('are scrypt with their parameters and a fresh salt, never the password', async () => {
    const [a, b] = await Promise.all([hashPassword('same'), hashPassword('same')]);
    expect(a).toMatch(/^scrypt\$32768\$8\$1\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/);
    expect(a).not.toBe(b);
    expect(a).not.toContain('same');
  });

  it('treat canonically equal Unicode spellings as the same password', async () => {
    const hash = await hashPassword('caf\u00e9');
    await expect(verifyPassword(hash, 'cafe\u0301')).resolves.toBe(true);
  });

  it('refuse malformed stored hashes instead of throwing', async () => {
    await expect(verifyPassword('', 'x')).resolves.toBe(false);
    await expect(verifyPassword('bcrypt$xyz', 'x')).resolves.toBe(false);
  });

  it('spend a full check on unknown users and always say no', async () => {
    await expect(verifyAgainstDummy('anything')).resolves.toBe(false);
  });
});
