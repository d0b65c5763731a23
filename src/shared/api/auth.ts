/** Log in, who am I: the answers of /api/auth. */
import { z } from 'zod';
import { ROLES } from '../roles.js';
import { isoTime } from './common.js';

const User = z.object({ id: z.number(), username: z.string() });

export const LoginResponse = z
  .object({ token: z.string(), token_type: z.literal('Bearer'), expires_at: isoTime(), user: User })
  .meta({ id: 'Login' });

export const MeResponse = z
  .object({
    user: User.nullable().meta({ description: 'Null when authentication is turned off and no credentials were sent' }),
    role: z.enum(ROLES).nullable().meta({ description: 'What the credentials may do (a personal token’s role when lower than its user’s); null without credentials' }),
    auth_method: z.enum(['cookie', 'bearer', 'basic', 'none']).meta({
      description: 'How the caller is authenticated: `cookie` (the console’s session cookie; changes need `X-CSRF-Token`), `bearer` (a token in `Authorization`), `basic`, or `none` (authentication off and no credentials sent)',
    }),
    auth_enabled: z.boolean(),
  })
  .meta({ id: 'Me' });

export type UserJson = z.output<typeof User>;
export type LoginJson = z.output<typeof LoginResponse>;
export type MeJson = z.output<typeof MeResponse>;
