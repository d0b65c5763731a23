/**
 * Authenticated encryption of small secrets (cluster passwords) with AES-256-GCM.
 *
 * A sealed value is `v1.<base64url(iv ‖ tag ‖ ciphertext)>`: a fresh 12-byte IV per value, so
 * equal passwords never look equal at rest, and a 16-byte tag, so a changed byte or a wrong
 * key is detected instead of yielding garbage. The `context` (e.g. "cluster-password") is
 * bound as associated data: a value sealed for one purpose does not open for another.
 */
import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';

const VERSION = 'v1';
const IV_BYTES = 12;
const TAG_BYTES = 16;

export class SecretBox {
  readonly #key: Buffer;

  constructor(key: Buffer) {
    if (key.length !== 32) throw new Error('SecretBox needs a 32-byte key');
    this.#key = Buffer.from(key);
  }

  seal(plaintext: string, context: string): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.#key, iv);
    cipher.setAAD(Buffer.from(context, 'utf8'));
    const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return `${VERSION}.${Buffer.concat([iv, cipher.getAuthTag(), ciphertext]).toString('base64url')}`;
  }

  /** Throws when the value is malformed, was sealed with another key or context, or was altered. */
  open(sealed: string, context: string): string {
    const [version, body] = sealed.split('.', 2);
    if (version !== VERSION || body === undefined) throw new Error('not a sealed value');
    const bytes = Buffer.from(body, 'base64url');
    if (bytes.length < IV_BYTES + TAG_BYTES) throw new Error('sealed value is truncated');
    const decipher = createDecipheriv('aes-256-gcm', this.#key, bytes.subarray(0, IV_BYTES));
    decipher.setAAD(Buffer.from(context, 'utf8'));
    decipher.setAuthTag(bytes.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
    return Buffer.concat([decipher.update(bytes.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString('utf8');
  }

  /**
   * A value that identifies the key without revealing it (an HMAC of a fixed label), stored in
   * the database so a start with a different key is caught before any password fails to open.
   */
  fingerprint(): string {
    return createHmac('sha256', this.#key).update('stellar secret key fingerprint v1').digest('hex');
  }
}
