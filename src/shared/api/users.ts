/**
 * Users and personal API tokens: the bodies and answers of /api/users and /api/auth/tokens.
 * A token's value appears in one answer only, the one that creates it.
 */
import { z } from 'zod';
import { ROLES } from '../roles.js';
import { isoTime } from './common.js';
import { expecting, objectError, text, wholeNumber } from './fields.js';

const role = z.enum(ROLES, expecting(`one of ${ROLES.map((r) => `"${r}"`).join(', ')}`));

/** The same length rule as changing one's own password. */
const newPassword = z.string(expecting('a string')).min(8, 'must be at least 8 characters').max(1024, 'must be at most 1024 characters');

/** A personal token lives at most a year: a forgotten one dies on its own. */
export const MAX_TOKEN_DAYS = 365;

export const CreateUserBody = z.strictObject({ username: text(128), password: newPassword, role }, objectError);

export const SetRoleBody = z.strictObject({ role }, objectError);

export const ResetPasswordBody = z.strictObject({ new_password: newPassword }, objectError);

export const CreateTokenBody = z.strictObject(
  {
    name: text(100),
    expires_in_days: wholeNumber(1, MAX_TOKEN_DAYS),
    role: role.optional().meta({ description: 'At most the caller’s role; the caller’s role when absent' }),
  },
  objectError,
);

export const UserResponse = z
  .object({ id: z.number(), username: z.string(), role: z.enum(ROLES), created_at: isoTime(), updated_at: isoTime() })
  .meta({ id: 'User' });

export const UserListResponse = z.object({ users: z.array(UserResponse) }).meta({ id: 'UserList' });

export const TokenResponse = z
  .object({
    id: z.number(),
    name: z.string(),
    role: z.enum(ROLES),
    created_at: isoTime(),
    expires_at: isoTime(),
    last_used_at: isoTime().nullable().meta({ description: 'Null until first used; written at most once a minute' }),
  })
  .meta({ id: 'PersonalToken' });

export const TokenListResponse = z.object({ tokens: z.array(TokenResponse) }).meta({ id: 'PersonalTokenList' });

export const CreatedTokenResponse = TokenResponse.extend({
  token: z.string().meta({ description: 'The token itself, for `Authorization: Bearer <token>`: shown in this answer only, never again' }),
}).meta({ id: 'CreatedPersonalToken' });

export type CreateUserInput = z.input<typeof CreateUserBody>;
export type CreateTokenInput = z.input<typeof CreateTokenBody>;
export type UserJson = z.output<typeof UserResponse>;
export type UserListJson = z.output<typeof UserListResponse>;
export type TokenJson = z.output<typeof TokenResponse>;
export type TokenListJson = z.output<typeof TokenListResponse>;
export type CreatedTokenJson = z.output<typeof CreatedTokenResponse>;
