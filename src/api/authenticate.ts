/**
 * The onRequest hook of every protected route: accepts `Authorization: Bearer <token>` or
 * `Authorization: Basic <base64 user:password>` and sets `request.principal`. With
 * `[auth] enabled = false` credentials become optional, but any that are sent are checked.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AuthService, Principal } from '../auth/auth-service.js';
import { StellarError } from '../errors.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** Who made the request; null on public routes and when authentication is off. */
    principal: Principal | null;
  }
}

export function createAuthenticateHook(auth: AuthService, options: { required: boolean }) {
  return async function authenticate(request: FastifyRequest, reply: FastifyReply): Promise<void> {
    const header = request.headers.authorization;
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
