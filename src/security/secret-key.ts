/**
 * Where the secret key comes from: `secret.key` (APP_SECRET_KEY) when set, else the key file,
 * created with mode 0600 on first start. And the check that the database was set up with
 * this same key.
 */
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import { decodeSecretKey } from '../config/value-formats.js';
import { StellarError } from '../errors.js';
import type { Database } from '../storage/database.js';
import { getMeta, setMeta } from '../storage/repos/meta.repo.js';
import { SecretBox } from './secret-box.js';

export interface LoadedSecretKey {
  readonly box: SecretBox;
  /** For the start-up log: `secret.key` or the file path. */
  readonly source: string;
  readonly createdFile: boolean;
  /** Set when the key file can be read by other users. */
  readonly warning?: string;
}

export function loadSecretKey(options: { key: string; keyFile: string }): LoadedSecretKey {
  if (options.key !== '') {
    const key = decodeSecretKey(options.key);
    if (!key) throw new StellarError('STELLAR_ERR_SECRET_KEY', 'secret.key is not 32 bytes in hex or base64');
    return { box: new SecretBox(key), source: 'secret.key', createdFile: false };
  }

  const createdFile = !existsSync(options.keyFile) && createKeyFile(options.keyFile);
  return { ...readKeyFile(options.keyFile), createdFile };
}

/** Writes a new random key; false when another process has just written one. */
function createKeyFile(path: string): boolean {
  try {
    // 'wx': never overwrite a key another process has just written.
    writeFileSync(path, `${randomBytes(32).toString('hex')}\n`, { mode: 0o600, flag: 'wx' });
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw new StellarError('STELLAR_ERR_SECRET_KEY', `cannot create the secret key file ${path}: ${(err as Error).message}`);
  }
}

function readKeyFile(path: string): Omit<LoadedSecretKey, 'createdFile'> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new StellarError('STELLAR_ERR_SECRET_KEY', `cannot read the secret key file ${path}: ${(err as Error).message}`);
  }
  const key = decodeSecretKey(text);
  if (!key) throw new StellarError('STELLAR_ERR_SECRET_KEY', `the secret key file ${path} does not hold 32 bytes in hex or base64`);
  const mode = statSync(path).mode & 0o777;
  const base = { box: new SecretBox(key), source: path };
  if ((mode & 0o077) === 0) return base;
  return { ...base, warning: `the secret key file ${path} can be read by other users (mode ${mode.toString(8)}); run chmod 600 ${path}` };
}

const FINGERPRINT_KEY = 'secret_key_fingerprint';

/**
 * Records the key's fingerprint on first use and refuses a different key afterwards: with the
 * wrong key every stored cluster password would be unreadable.
 */
export async function checkSecretKeyMatchesDatabase(db: Kysely<Database>, loaded: LoadedSecretKey): Promise<void> {
  const stored = await getMeta(db, FINGERPRINT_KEY);
  const current = loaded.box.fingerprint();
  if (stored === undefined) {
    await setMeta(db, FINGERPRINT_KEY, current);
    return;
  }
  if (stored !== current) {
    throw new StellarError(
      'STELLAR_ERR_SECRET_KEY',
      `the secret key from ${loaded.source} is not the key this database was set up with, so stored cluster passwords cannot be decrypted; restore the original key (secret.key / APP_SECRET_KEY or the key file)`,
    );
  }
}
