import { chmodSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { StellarError } from '../errors.js';
import { openSqlite } from '../storage/dialect/sqlite/sqlite-dialect.js';
import { migrateToLatest } from '../storage/migrate.js';
import { checkSecretKeyMatchesDatabase, loadSecretKey } from './secret-key.js';

const dir = () => mkdtempSync(join(tmpdir(), 'stellar-key-'));

describe('loadSecretKey', () => {
  it('creates a key file readable only by its owner on first start, and reuses it after', () => {
    const keyFile = join(dir(), 'secret.key');
    const first = loadSecretKey({ key: '', keyFile });
    expect(first.createdFile).toBe(true);
    expect(statSync(keyFile).mode & 0o777).toBe(0o600);
    expect(readFileSync(keyFile, 'utf8')).toMatch(/^[0-9a-f]{64}\n$/);

    const second = loadSecretKey({ key: '', keyFile });
    expect(second.createdFile).toBe(false);
    expect(second.box.fingerprint()).toBe(first.box.fingerprint());
    expect(second.warning).toBeUndefined();
  });

  it('prefers secret.key (APP_SECRET_KEY) and creates no file then', () => {
    const keyFile = join(dir(), 'secret.key');
    const loaded = loadSecretKey({ key: randomBytes(32).toString('hex'), keyFile });
    expect(loaded.source).toBe('secret.key');
    expect(() => statSync(keyFile)).toThrow();
  });

  it('warns when the key file is readable by others', () => {
    const keyFile = join(dir(), 'secret.key');
    writeFileSync(keyFile, randomBytes(32).toString('hex'));
    chmodSync(keyFile, 0o644);
    expect(loadSecretKey({ key: '', keyFile }).warning).toBe(
      `the secret key file ${keyFile} can be read by other users (mode 644); run chmod 600 ${keyFile}`,
    );
  });

  it('refuses a key file that does not hold a key', () => {
    const keyFile = join(dir(), 'secret.key');
    writeFileSync(keyFile, 'not a key\n', { mode: 0o600 });
    expect(() => loadSecretKey({ key: '', keyFile })).toThrow(
      new StellarError('STELLAR_ERR_SECRET_KEY', `the secret key file ${keyFile} does not hold 32 bytes in hex or base64`),
    );
  });
});

describe('checkSecretKeyMatchesDatabase', () => {
  it('records the key on first use and refuses another key afterwards', async () => {
    const storage = openSqlite(':memory:');
    await migrateToLatest(storage);
    const base = dir();
    const original = loadSecretKey({ key: '', keyFile: join(base, 'a.key') });
    await checkSecretKeyMatchesDatabase(storage.db, original);
    await expect(checkSecretKeyMatchesDatabase(storage.db, original)).resolves.toBeUndefined();

    const other = loadSecretKey({ key: '', keyFile: join(base, 'b.key') });
    const error = await checkSecretKeyMatchesDatabase(storage.db, other).catch((err: unknown) => err);
    expect(error).toBeInstanceOf(StellarError);
    expect((error as StellarError).code).toBe('STELLAR_ERR_SECRET_KEY');
    expect((error as StellarError).message).toContain(`the secret key from ${join(base, 'b.key')} is not the key this database was set up with`);
    await storage.close();
  });
});
