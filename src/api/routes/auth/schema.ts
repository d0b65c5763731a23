/** Request schemas of /api/auth. */
import { z } from 'zod';
import { expecting, objectError } from '../../../shared/api/fields.js';

export const LoginBody = z.strictObject(
  {
    username: z.string(expecting('a string')).min(1, 'must not be empty').max(128, 'must be at most 128 characters'),
    password: z.string(expecting('a string')).max(1024, 'must be at most 1024 characters'),
  },
  objectError,
);

export const ChangePasswordBody = z.strictObject(
  {
    current_password: z.string(expecting('a string')).max(1024, 'must be at most 1024 characters'),
    new_password: z
      .string(expecting('a string'))
      .min(8, 'must be at least 8 characters')
      .max(1024, 'must be at most 1024 characters'),
  },
  objectError,
);
