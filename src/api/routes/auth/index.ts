/**
 * /api/auth: log in for a bearer token and the console's session cookies (public), and for a
 * logged-in caller: who am I, log out (revoke the token, clear the cookies), change password.
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AuthService, Principal } from '../../../auth/auth-service.js';
import { StellarError } from '../../../errors.js';
import type { LoginJson, MeJson } from '../../../shared/api/auth.js';
import { LoginResponse, MeResponse } from '../../../shared/api/auth.js';
import { SELF_SERVICE } from '../../authorize.js';
import { errors, json, NoContent } from '../../route-responses.js';
import { clearSessionCookies, setSessionCookies } from '../../session-cookies.js';
import { ChangePasswordBody, LoginBody } from './schema.js';

const tags = ['auth'];

export const loginRoute: FastifyPluginAsyncZod<{ auth: AuthService }> = async (app, { auth }) => {
  const schema = {
    summary: 'Log in for a bearer token (and the console’s session cookies)',
    description:
      'Answers the token for scripts and sets two cookies for the web console: `stellar_session` (the same token, HttpOnly, SameSite=Strict) and `stellar_csrf` (readable), whose value a request authenticated by the cookie must send as `X-CSRF-Token` on every change.',
    tags,
    security: [],
    body: LoginBody,
    response: { 200: json('A token valid for auth.token_ttl', LoginResponse), ...errors(400, 401, 413, 415) },
  };
  app.post('/auth/login', { schema }, async (request, reply): Promise<LoginJson> => {
    const issued = await auth.login(request.body.username, request.body.password, request.ip);
    request.log.info({ user: issued.username }, 'user logged in');
    setSessionCookies(request, reply, issued.token, issued.expiresAt, issued.issuedAt);
    return {
      token: issued.token,
      token_type: 'Bearer',
      expires_at: new Date(issued.expiresAt).toISOString(),
      user: { id: issued.userId, username: issued.username },
    };
  });
};

export const sessionRoutes: FastifyPluginAsyncZod<{ auth: AuthService; authEnabled: boolean }> = async (app, { auth, authEnabled }) => {
  app.get('/auth/me', { schema: { summary: 'Who the credentials belong to', tags, response: { 200: json('The caller', MeResponse), ...errors(401) } } }, async (request): Promise<MeJson> => {
    const principal = request.principal;
    return {
      user: principal ? { id: principal.userId, username: principal.username } : null,
      role: principal?.role ?? null,
      auth_method: principal?.method ?? 'none',
      auth_enabled: authEnabled,
    };
  });

  app.post('/auth/logout', { config: { access: SELF_SERVICE }, schema: { summary: 'Revoke the token used (bearer or session cookie) and clear the session cookies', tags, response: { 204: NoContent, ...errors(401) } } }, async (request, reply) => {
    if (request.principal) await auth.logout(request.principal);
    clearSessionCookies(request, reply);
    return reply.code(204).send(null);
  });

  const passwordSchema = {
    summary: 'Change the caller’s password (revokes the user’s other tokens)',
    tags,
    body: ChangePasswordBody,
    response: { 204: NoContent, ...errors(400, 401, 403, 413, 415) },
  };
  app.put('/auth/password', { config: { access: SELF_SERVICE }, schema: passwordSchema }, async (request, reply) => {
    const principal: Principal | null = request.principal;
    if (!principal) {
      // Only reachable with authentication turned off and no credentials sent: whose password?
      throw new StellarError('STELLAR_ERR_AUTH_REQUIRED', 'changing a password needs the credentials of the user whose password it is');
    }
    await auth.changePassword(principal, request.body.current_password, request.body.new_password);
    request.log.info({ user: principal.username }, 'password changed; other tokens revoked');
    return reply.code(204).send(null);
  });
};
