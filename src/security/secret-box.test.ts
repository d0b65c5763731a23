import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { decodeSecretKey } from '../config/value-formats.js';
import { SecretBox } from './secret-box.js';

describe('SecretBox', () => {
  const box = new SecretBox(randomBytes(32));

  it('opens what it sealed, including non-ASCII and long values', () => {
    for (const secret of ['s3cret!', 'пароль 密码 🔑', 'x'.repeat(1024)]) {
      expect(box.open(box.seal(secret, 'cluster-password'), 'cluster-password')).toBe(secret);
    }
  });

  it('never stores the plaintext, and seals equal values differently', () => {
    const a = box.seal('same-password', 'cluster-password');
    const b = box.seal('same-password', 'cluster-password');
    expect(a).not.toContain('same-password');
    expect(Buffer.from(a.slice(3), 'base64url').toString('latin1')).not.toContain('same-password');
    expect(a).not.toBe(b);
    expect(a).toMatch(/^v1\.[A-Za-z0-9_-]+$/);
  });

  it('refuses a value sealed with another key', () => {
    const sealed = new SecretBox(randomBytes(32)).seal('pw', 'cluster-password');
    expect(() => box.open(sealed, 'cluster-password')).toThrow();
  });

  it('refuses a value sealed for another purpose', () => {
    const sealed = box.seal('pw', 'cluster-password');
    expect(() => box.open(sealed, 'something-else')).toThrow();
  });

  it('detects a changed byte', () => {
    const sealed = box.seal('password', 'cluster-password');
    const bytes = Buffer.from(sealed.slice(3), 'base64url');
    bytes[bytes.length - 1] = (bytes[bytes.length - 1] ?? 0) ^ 1;
    expect(() => box.open(`v1.${bytes.toString('base64url')}`, 'cluster-password')).toThrow();
  });

  it('refuses malformed values', () => {
    for (const bad of ['', 'plaintext', 'v2.abc', 'v1.', 'v1.AAAA']) expect(() => box.open(bad, 'cluster-password'), bad).toThrow();
  });

  it('has a fingerprint that tells keys apart without revealing them', () => {
    const key = randomBytes(32);
    expect(new SecretBox(key).fingerprint()).toBe(new SecretBox(key).fingerprint());
    expect(new SecretBox(key).fingerprint()).not.toBe(new SecretBox(randomBytes(32)).fingerprint());
    expect(new SecretBox(key).fingerprint()).not.toContain(key.toString('hex'));
  });

  it('needs a 32-byte key', () => {
    expect(() => new SecretBox(randomBytes(16))).toThrow('32-byte key');
  });
});

describe('decodeSecretKey', () => {
  it('reads 64 hex digits and base64 of 32 bytes', () => {
    const key = randomBytes(32);
    expect(decodeSecretKey(key.toString('hex'))).toEqual(key);
    expect(decodeSecretKey(` ${key.toString('hex').toUpperCase()}\n`)).toEqual(key);
    expect(decodeSecretKey(key.toString('base64'))).toEqual(key);
    expect(decodeSecretKey(key.toString('base64url'))).toEqual(key);
  });

  it('refuses other lengths and alphabets', () => {
    expect(decodeSecretKey(randomBytes(31).toString('hex'))).toBeUndefined();
    expect(decodeSecretKey(randomBytes(24).toString('base64'))).toBeUndefined();
    expect(decodeSecretKey('correct horse battery staple')).toBeUndefined();
  });
});
