/**
 * Zod building blocks for request schemas, worded the way API errors read:
 * `{"field": "fe_http_port", "message": "must be a whole number from 1 to 65535"}`.
 */
import { z } from 'zod';

/** "is required" when the field is absent, else "must be <expected>". */
export function expecting(expected: string) {
  return { error: (issue: { input?: unknown }) => (issue.input === undefined ? 'is required' : `must be ${expected}`) };
}

// eslint-disable-next-line no-control-regex -- the point is to find control characters
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f]/;

/** A trimmed, non-empty string of at most `max` characters, without control characters. */
export function text(max: number) {
  return z
    .string(expecting('a string'))
    .trim()
    .min(1, 'must not be empty')
    .max(max, `must be at most ${max} characters`)
    .refine((value) => !CONTROL_CHARACTERS.test(value), 'must not contain control characters');
}

export function wholeNumber(min: number, max: number) {
  const message = `must be a whole number from ${min} to ${max}`;
  return z.number(expecting(`a whole number from ${min} to ${max}`)).int(message).min(min, message).max(max, message);
}

export function oneOf<const T extends readonly [string, ...string[]]>(values: T) {
  return z.enum(values, expecting(`one of ${values.join(', ')}`));
}

export function boolean() {
  return z.boolean(expecting('true or false'));
}

/** A path parameter that is a positive whole number, e.g. the `:id` of /api/clusters/:id. */
export const idParam = z
  .string()
  .regex(/^[1-9][0-9]{0,14}$/, 'must be a positive whole number')
  .transform(Number);

/** The schema of a JSON object body: anything that is not an object reads "must be a JSON object". */
export const objectError = {
  error: (issue: { code?: string }) => (issue.code === 'invalid_type' ? 'must be a JSON object' : undefined),
};
