import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openSqlite } from './sqlite-dialect.js';

describe('the collection lock of a SQLite file', () => {
  it('is held by one opener at a time, names its holder to the others, and passes on when released', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'stellar-lock-')), 'stellar.db');
    const first = openSqlite(path);
    const second = openSqlite(path);
    try {
      const held = first.tryLockCollection!();
      expect(held.held).toBe(true);
      expect(second.tryLockCollection!()).toEqual({ held: false, holderPid: process.pid });
      if (held.held) held.release();
      expect(existsSync(`${path}.collector-lock.pid`)).toBe(false);
      const taken = second.tryLockCollection!();
      expect(taken.held).toBe(true);
      if (taken.held) taken.release();
    } finally {
      await first.close();
      await second.close();
    }
  });

  it('does not exist for an in-memory database, which no other process can open', async () => {
    const storage = openSqlite(':memory:');
    expect(storage.tryLockCollection).toBeUndefined();
    await storage.close();
  });
});
