/**
 * /api/users: user management. Reading is open to every signed-in user like every GET;
 * changes are for administrators (api/authorize.ts). The last administrator can be neither
 * deleted nor made a viewer.
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { UserAccounts } from '../../../auth/user-accounts.js';
import { CreateUserBody, ResetPasswordBody, SetRoleBody, UserListResponse, UserResponse, type UserJson } from '../../../shared/api/users.js';
import type { UserRow } from '../../../storage/repos/users.repo.js';
import { errors, json, NoContent } from '../../route-responses.js';
import { idParam } from '../../schema-fields.js';

const tags = ['users'];
const UserIdParams = z.object({ id: idParam });

function present(user: UserRow): UserJson {
  return {
    id: user.id,
    username: user.username,
    role: user.role,
    created_at: new Date(Number(user.created_at)).toISOString(),
    updated_at: new Date(Number(user.updated_at)).toISOString(),
  };
}

export const userRoutes: FastifyPluginAsyncZod<{ accounts: UserAccounts }> = async (app, { accounts }) => {
  app.get('/users', { schema: { summary: 'Every user, with their role', tags, response: { 200: json('The users, oldest first', UserListResponse), ...errors(401) } } }, async () => ({
    users: (await accounts.list()).map(present),
  }));

  app.post(
    '/users',
    { schema: { summary: 'Create a user', tags, body: CreateUserBody, response: { 201: json('The new user', UserResponse), ...errors(400, 401, 403, 409, 413, 415) } } },
    async (request, reply) => {
      const user = await accounts.create(request.body.username, request.body.password, request.body.role);
      request.log.info({ user: user.username, role: user.role, by: request.principal?.username ?? null }, 'user created');
      return reply.code(201).send(present(user));
    },
  );

  app.put(
    '/users/:id/role',
    {
      schema: {
        summary: 'Change a user’s role (never the last admin’s to viewer)',
        tags,
        params: UserIdParams,
        body: SetRoleBody,
        response: { 200: json('The user', UserResponse), ...errors(400, 401, 403, 404, 409, 413, 415) },
      },
    },
    async (request) => {
      const user = await accounts.setRole(request.params.id, request.body.role);
      request.log.info({ user: user.username, role: user.role, by: request.principal?.username ?? null }, 'user role changed');
      return present(user);
    },
  );

  app.put(
    '/users/:id/password',
    {
      schema: {
        summary: 'Set a user’s password (revokes all their tokens)',
        tags,
        params: UserIdParams,
        body: ResetPasswordBody,
        response: { 204: NoContent, ...errors(400, 401, 403, 404, 413, 415) },
      },
    },
    async (request, reply) => {
      await accounts.resetPassword(request.params.id, request.body.new_password);
      request.log.info({ user_id: request.params.id, by: request.principal?.username ?? null }, 'user password reset; their tokens revoked');
      return reply.code(204).send(null);
    },
  );

  app.delete(
    '/users/:id',
    { schema: { summary: 'Delete a user and their tokens (never the last admin)', tags, params: UserIdParams, response: { 204: NoContent, ...errors(400, 401, 403, 404, 409) } } },
    async (request, reply) => {
      await accounts.delete(request.params.id);
      request.log.info({ user_id: request.params.id, by: request.principal?.username ?? null }, 'user deleted');
      return reply.code(204).send(null);
    },
  );
};
