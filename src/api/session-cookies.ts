/**
 * The web console's session: the login token in an HttpOnly cookie (`stellar_session`), out of
 * reach of any script, and a readable `stellar_csrf` cookie the console copies into the
 * `X-CSRF-Token` header of every change. Another site can make a browser send the cookies
 * (SameSite=Strict already stops that in current browsers) but cannot read them, so it cannot
 * send the header: the double submit defeats cross-site request forgery without server state.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';

export const SESSION_COOKIE = 'stellar_session';
export const CSRF_COOKIE = 'stellar_csrf';
export const CSRF_HEADER = 'x-csrf-token';

/** The methods that change nothing, and so need no CSRF header. */
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * The CSRF value of a session token. Derived, so the server stores nothing more; with a prefix,
 * so it is not the SHA-256 the tokens table keeps of the token (a lookup key of the database).
 */
export function csrfTokenFor(sessionToken: string): string {
  return createHash('sha256').update(`stellar-csrf:${sessionToken}`).digest('hex');
}

/** The value of one cookie of the request's `Cookie` header, or null. */
export function readCookie(request: FastifyRequest, name: string): string | null {
  const header = request.headers.cookie;
  if (!header) return null;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq !== -1 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return null;
}

/** Whether a request authenticated by the session cookie may go on: a safe method, or the CSRF header matching the cookie's token. */
export function carriesCsrfProof(request: FastifyRequest, sessionToken: string): boolean {
  if (SAFE_METHODS.has(request.method)) return true;
  const sent = request.headers[CSRF_HEADER];
  if (typeof sent !== 'string') return false;
  const expected = Buffer.from(csrfTokenFor(sessionToken));
  const given = Buffer.from(sent);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/**
 * Whether the browser reached Stellar over TLS: the connection itself, or a reverse proxy that
 * terminates TLS and says so in `X-Forwarded-Proto`. The header is believed without a trusted
 * proxy list because it can only make the cookies stricter (Secure): a client that lies about it
 * loses its own session, nobody else's.
 */
function overTls(request: FastifyRequest): boolean {
  if (request.protocol === 'https') return true;
  const forwarded = request.headers['x-forwarded-proto'];
  const first = (Array.isArray(forwarded) ? forwarded[0] : forwarded)?.split(',')[0]?.trim().toLowerCase();
  return first === 'https';
}

function cookie(name: string, value: string, attributes: { httpOnly: boolean; maxAgeSecs: number; secure: boolean }): string {
  return [
    `${name}=${value}`,
    'Path=/',
    `Max-Age=${attributes.maxAgeSecs}`,
    'SameSite=Strict',
    ...(attributes.httpOnly ? ['HttpOnly'] : []),
    ...(attributes.secure ? ['Secure'] : []),
  ].join('; ');
}

/** Sets both cookies of a new session, living as long as its token. */
export function setSessionCookies(request: FastifyRequest, reply: FastifyReply, token: string, expiresAt: number, now: number): void {
  const maxAgeSecs = Math.max(0, Math.floor((expiresAt - now) / 1000));
  const secure = overTls(request);
  reply.header('set-cookie', [
    cookie(SESSION_COOKIE, token, { httpOnly: true, maxAgeSecs, secure }),
    cookie(CSRF_COOKIE, csrfTokenFor(token), { httpOnly: false, maxAgeSecs, secure }),
  ]);
}

/** Tells the browser to drop both cookies (log out, or a session cookie that no longer works). */
export function clearSessionCookies(request: FastifyRequest, reply: FastifyReply): void {
  const secure = overTls(request);
  reply.header('set-cookie', [cookie(SESSION_COOKIE, '', { httpOnly: true, maxAgeSecs: 0, secure }), cookie(CSRF_COOKIE, '', { httpOnly: false, maxAgeSecs: 0, secure })]);
}
