/**
 * /api/auth/tokens: the caller's personal API tokens, for scripts. Any signed-in user manages
 * their own (a viewer makes viewer tokens); the value is in the create answer only.
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AuthService } from '../../../auth/auth-service.js';
import { CreateTokenBody, CreatedTokenResponse, TokenListResponse, type TokenJson } from '../../../shared/api/users.js';
import type { PersonalTokenRow } from '../../../storage/repos/users.repo.js';
import { SELF_SERVICE } from '../../authorize.js';
import { errors, json, NoContent } from '../../route-responses.js';
import { idParam } from '../../schema-fields.js';

const tags = ['auth'];
const DAY_MS = 86_400_000;
const iso = (ms: number | string) => new Date(Number(ms)).toISOString();

function present(row: PersonalTokenRow): TokenJson {
  return {
    id: row.id,
    name: row.name,
    role: row.role,
    created_at: iso(row.created_at),
    expires_at: iso(row.expires_at),
    last_used_at: row.last_used_at === null ? null : iso(row.last_used_at),
  };
}

export const tokenRoutes: FastifyPluginAsyncZod<{ auth: AuthService; now: () => number }> = async (app, { auth, now }) => {
  app.get(
    '/auth/tokens',
    { schema: { summary: 'The caller’s personal API tokens (never their values)', tags, response: { 200: json('Oldest first, expired ones included', TokenListResponse), ...errors(401) } } },
    async (request) => ({ tokens: (await auth.listPersonalTokens(request.principal)).map(present) }),
  );

  app.post(
    '/auth/tokens',
    {
      config: { access: SELF_SERVICE },
      schema: {
        summary: 'Create a personal API token; its value is shown in this answer only',
        tags,
        body: CreateTokenBody,
        response: { 201: json('The token, with its value', CreatedTokenResponse), ...errors(400, 401, 403, 413, 415) },
      },
    },
    async (request, reply) => {
      const { name, expires_in_days, role } = request.body;
      const created = await auth.createPersonalToken(request.principal, { name, expiresAt: now() + expires_in_days * DAY_MS, ...(role === undefined ? {} : { role }) });
      request.log.info({ user: request.principal?.username ?? null, token_id: created.row.id, role: created.row.role }, 'personal token created');
      return reply.code(201).send({ ...present(created.row), token: created.token });
    },
  );

  app.delete(
    '/auth/tokens/:id',
    {
      config: { access: SELF_SERVICE },
      schema: { summary: 'Revoke one of the caller’s personal tokens', tags, params: z.object({ id: idParam }), response: { 204: NoContent, ...errors(400, 401, 404) } },
    },
    async (request, reply) => {
      await auth.revokePersonalToken(request.principal, request.params.id);
      request.log.info({ user: request.principal?.username ?? null, token_id: request.params.id }, 'personal token revoked');
      return reply.code(204).send(null);
    },
  );
};
