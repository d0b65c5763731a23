import { createHash } from 'node:crypto';

/** A client's login attempt as mysql2's server handshake hands it to its authCallback. */
export interface NativePasswordLogin {
  readonly user: string;
  /** The 20-byte scramble the server sent, in mysql2's two parts of 8 and 12 bytes. */
  readonly authPluginData1: Buffer;
  readonly authPluginData2: Buffer;
  readonly authToken: Buffer;
}

function sha1(...parts: readonly Buffer[]): Buffer {
  const hash = createHash('sha1');
  for (const part of parts) hash.update(part);
  return hash.digest();
}

/**
 * The mysql_native_password token of a client that knows `password`:
 * SHA1(password) XOR SHA1(scramble + SHA1(SHA1(password))), and no bytes at all for ''.
 */
export function nativePasswordToken(password: string, scramble: Buffer): Buffer {
  if (password === '') return Buffer.alloc(0);
  const stage1 = sha1(Buffer.from(password, 'utf8'));
  const mask = sha1(scramble, sha1(stage1));
  return Buffer.from(stage1.map((byte, i) => byte ^ (mask[i] ?? 0)));
}

export function isValidLogin(login: NativePasswordLogin, username: string, password: string): boolean {
  const scramble = Buffer.concat([login.authPluginData1, login.authPluginData2]);
  return login.user === username && login.authToken.equals(nativePasswordToken(password, scramble));
}

/** The text of MySQL's ER_ACCESS_DENIED_ERROR. */
export function accessDeniedMessage(login: NativePasswordLogin, clientAddress: string): string {
  // An IPv4 client of a dual-stack socket shows up as ::ffff:a.b.c.d; MySQL names it a.b.c.d.
  const clientIp = clientAddress.replace(/^::ffff:/, '');
  const usingPassword = login.authToken.length > 0 ? 'YES' : 'NO';
  return `Access denied for user '${login.user}'@'${clientIp}' (using password: ${usingPassword})`;
}
