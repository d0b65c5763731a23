/**
 * Formats of the configuration values that are more than a number or a word: the database
 * URL, the secret key and listen addresses. Pure; shared by the schema (to reject bad values
 * at start-up) and by the code that later uses the values.
 */

export type DatabaseLocation = { dialect: 'sqlite'; path: string } | { dialect: 'postgres'; url: string };

/**
 * `database.url`: a path to an SQLite file (`stellar.db`, `/var/lib/stellar/stellar.db`),
 * the same with a `sqlite:` prefix, or `:memory:`; or a PostgreSQL URL
 * (`postgres://user:pass@host:5432/db?sslmode=require`, `postgresql://` too), whose query
 * parameters the `pg` driver reads. Relative SQLite paths are resolved inside `server.data_dir`
 * by the storage layer. Returns a problem string when not accepted.
 */
export function parseDatabaseUrl(url: string): DatabaseLocation | { problem: string } {
  const text = url.trim();
  if (/^postgres(ql)?:\/\//i.test(text)) {
    let parsed: URL;
    try {
      parsed = new URL(text);
    } catch {
      return { problem: 'is not a valid PostgreSQL URL' };
    }
    if (parsed.hostname === '') return { problem: 'has no host (postgres://user:pass@host:5432/database)' };
    if (parsed.pathname.length <= 1) return { problem: 'names no database (postgres://user:pass@host:5432/database)' };
    return { dialect: 'postgres', url: text };
  }
  const scheme = /^([A-Za-z][A-Za-z0-9+.-]*):\/\//.exec(text);
  if (scheme) return { problem: `has an unsupported scheme "${scheme[1]}"` };
  const path = text.startsWith('sqlite:') ? text.slice('sqlite:'.length) : text;
  if (path === '') return { problem: 'has no file path' };
  return { dialect: 'sqlite', path };
}

/**
 * The secret key that encrypts cluster passwords: 32 bytes written as 64 hex digits or as
 * base64 (standard or URL-safe, padding optional). Returns undefined when not accepted.
 */
export function decodeSecretKey(text: string): Buffer | undefined {
  const value = text.trim();
  if (/^[0-9a-fA-F]{64}$/.test(value)) return Buffer.from(value, 'hex');
  if (/^[A-Za-z0-9+/_-]{43}=?$/.test(value)) {
    const key = Buffer.from(value.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
    if (key.length === 32) return key;
  }
  return undefined;
}

/** A listen address: a host name or an IP address, without scheme, port or spaces. */
export function checkListenHost(host: string): string | undefined {
  if (/\s/.test(host)) return 'contains spaces';
  if (host.includes('://')) return 'must not contain a scheme such as http://';
  if (host.includes('/')) return 'must not contain a slash';
  return undefined;
}
