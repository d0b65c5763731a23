/**
 * /api/auth: log in for a bearer token (public), and for a logged-in caller: who am I, log
 * out (revoke the token), change password.
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AuthService, Principal } from '../../../auth/auth-service.js';
import { StellarError } from '../../../errors.js';
import type { LoginJson, MeJson } from '../../../shared/api-types.js';
import { ChangePasswordBody, LoginBody } from './schema.js';

export const loginRoute: FastifyPluginAsyncZod<{ auth: AuthService }> = async (app, { auth }) => {
  app.post('/auth/login', { schema: { body: LoginBody } }, async (request): Promise<LoginJson> => {
    const issued = await auth.login(request.body.username, request.body.password);
    request.log.info({ user: issued.username }, 'user logged in');
    return {
      token: issued.token,
      token_type: 'Bearer',
      expires_at: new Date(issued.expiresAt).toISOString(),
      user: { id: issued.userId, username: issued.username },
    };
  });
};

export const sessionRoutes: FastifyPluginAsyncZod<{ auth: AuthService; authEnabled: boolean }> = async (app, { auth, authEnabled }) => {
  app.get('/auth/me', async (request): Promise<MeJson> => {
    const principal = request.principal;
    return {
      user: principal ? { id: principal.userId, username: principal.username } : null,
      auth_method: principal?.method ?? 'none',
      auth_enabled: authEnabled,
    };
  });

  app.post('/auth/logout', async (request, reply) => {
    if (request.principal) await auth.logout(request.principal);
    return reply.code(204).send();
  });

  app.put('/auth/password', { schema: { body: ChangePasswordBody } }, async (request, reply) => {
    const principal: Principal | null = request.principal;
    if (!principal) {
      // Only reachable with authentication turned off and no credentials sent: whose password?
      throw new StellarError('STELLAR_ERR_AUTH_REQUIRED', 'changing a password needs the credentials of the user whose password it is');
    }
    await auth.changePassword(principal, request.body.current_password, request.body.new_password);
    request.log.info({ user: principal.username }, 'password changed; other tokens revoked');
    return reply.code(204).send();
  });
};
