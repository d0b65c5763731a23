/**
 * First start: creates the "admin" user so the API is never open by accident. Its password is
 * `auth.admin_password` (APP_AUTH_ADMIN_PASSWORD) or, when that is empty, a random one that
 * the caller prints once and that is written to <data_dir>/initial-admin-password (mode 0600).
 */
import { randomBytes } from 'node:crypto';
import { chmodSync, writeFileSync } from 'node:fs';
import type { Kysely } from 'kysely';
import { hashPassword } from '../security/password-hash.js';
import type { Database } from '../storage/database.js';
import { countUsers, insertUserIfAbsent } from '../storage/repos/users.repo.js';

export const ADMIN_USERNAME = 'admin';
export const INITIAL_PASSWORD_FILE = 'initial-admin-password';

export type AdminBootstrap =
  | { readonly created: false }
  | { readonly created: true; readonly generatedPassword: null }
  | { readonly created: true; readonly generatedPassword: string; readonly passwordFile: string };

export interface AdminBootstrapOptions {
  readonly db: Kysely<Database>;
  /** `auth.admin_password`; empty means generate one. */
  readonly configuredPassword: string;
  /** Where the generated password is written. */
  readonly passwordFile: string;
  readonly now: number;
}

export async function ensureAdminUser(options: AdminBootstrapOptions): Promise<AdminBootstrap> {
  if ((await countUsers(options.db)) > 0) return { created: false };
  const generated = options.configuredPassword === '' ? randomBytes(18).toString('base64url') : null;
  const user = await insertUserIfAbsent(options.db, ADMIN_USERNAME, await hashPassword(generated ?? options.configuredPassword), 'admin', options.now);
  if (!user) return { created: false };
  if (generated === null) return { created: true, generatedPassword: null };
  writeFileSync(options.passwordFile, `${generated}\n`, { mode: 0o600 });
  // The mode above applies only when the file is new; an old file from a deleted database keeps its own.
  chmodSync(options.passwordFile, 0o600);
  return { created: true, generatedPassword: generated, passwordFile: options.passwordFile };
}
