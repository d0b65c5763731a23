/**
 * The onRequest hook of every protected route: accepts `Authorization: Bearer <token>`,
 * `Authorization: Basic <base64 user:password>` or, without an Authorization header, the web
 * console's session cookie (whose changes must carry the CSRF header: session-cookies.ts), and
 * sets `request.principal`. With `[auth] enabled = false` credentials become optional, but any
 * that are sent are checked.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AuthService, Principal } from '../auth/auth-service.js';
import { StellarError } from '../errors.js';
import { carriesCsrfProof, clearSessionCookies, CSRF_COOKIE, readCookie, SESSION_COOKIE } from './session-cookies.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** Who made the request; null on public routes and when authentication is off. */
    principal: Principal | null;
  }
}

export function createAuthenticateHook(auth: AuthService, options: { required: boolean }) {
  return async function authenticate(request: FastifyRequest, reply: FastifyReply): Promise<void> {
    const header = request.headers.authorization;
    const sessionToken = header ? null : readCookie(request, SESSION_COOKIE);
    if (sessionToken) {
      request.principal = await sessionPrincipal(auth, request, reply, sessionToken);
      return;
    }
    if (!header && !options.required) return;
    if (!header) {
      reply.header('www-authenticate', 'Bearer realm="stellar"');
      throw new StellarError('STELLAR_ERR_AUTH_REQUIRED', 'authentication required: send a bearer token from POST /api/auth/login, or HTTP Basic credentials');
    }
    const space = header.indexOf(' ');
    const scheme = (space === -1 ? header : header.slice(0, space)).toLowerCase();
    const value = space === -1 ? '' : header.slice(space + 1).trim();
    if (scheme === 'bearer') {
      request.principal = await auth.authenticateToken(value);
    } else if (scheme === 'basic') {
      const decoded = Buffer.from(value, 'base64').toString('utf8');
      const colon = decoded.indexOf(':');
      if (colon === -1) throw new StellarError('STELLAR_ERR_AUTH_INVALID_CREDENTIALS', 'invalid user name or password');
      request.principal = await auth.authenticateBasic(decoded.slice(0, colon), decoded.slice(colon + 1), request.ip);
    } else {
      // The header is not echoed: a client that forgot the scheme would see its token in the reply and in logs.
      throw new StellarError('STELLAR_ERR_AUTH_REQUIRED', 'unsupported authorization scheme; send "Bearer <token>" or "Basic <credentials>"');
    }
  };
}

/**
 * The caller of a session cookie. A cookie whose token no longer works is cleared in the same
 * answer: the console cannot clear an HttpOnly cookie itself, and a dead one would otherwise
 * refuse every request, even with authentication turned off.
 */
async function sessionPrincipal(auth: AuthService, request: FastifyRequest, reply: FastifyReply, sessionToken: string): Promise<Principal> {
  let principal: Principal;
  try {
    principal = await auth.authenticateToken(sessionToken);
  } catch (err) {
    clearSessionCookies(request, reply);
    if (err instanceof StellarError && (err.code === 'STELLAR_ERR_AUTH_TOKEN_INVALID' || err.code === 'STELLAR_ERR_AUTH_TOKEN_EXPIRED')) {
      throw new StellarError(err.code, err.code === 'STELLAR_ERR_AUTH_TOKEN_EXPIRED' ? 'the session has expired; log in again' : 'the session is not valid (logged out or revoked); log in again');
    }
    throw err;
  }
  if (!carriesCsrfProof(request, sessionToken)) {
    throw new StellarError('STELLAR_ERR_AUTH_CSRF', `${request.method} with the session cookie needs the header X-CSRF-Token equal to the ${CSRF_COOKIE} cookie`);
  }
  return { ...principal, method: 'cookie' };
}
