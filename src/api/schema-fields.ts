/**
 * Zod building blocks for request schemas, worded the way API errors read:
 * `{"field": "fe_http_port", "message": "must be a whole number from 1 to 65535"}`.
 */
import { z } from 'zod';
import { INSTANT_FORMS, parseInstant } from './overview/time-window.js';

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

// Query-string parameters arrive as strings (an array when repeated): the blocks below parse
// them and word their errors like the body fields'.

/**
 * The schema of a query string: an unknown parameter (a typo such as `timerange`) is refused
 * with the list of those accepted, never silently ignored.
 */
export function queryObject<S extends z.ZodRawShape>(shape: S) {
  const accepted = Object.keys(shape).join(', ');
  return z.strictObject(shape, {
    error: (issue: { code?: string }) => (issue.code === 'unrecognized_keys' ? `is not a known parameter; accepted: ${accepted}` : undefined),
  });
}

/** A positive whole number in the query string, e.g. `cluster_id`. */
export const idQueryParam = z
  .string(expecting('a positive whole number'))
  .regex(/^[1-9][0-9]{0,14}$/, 'must be a positive whole number')
  .transform(Number);

/** A whole number from `min` to `max` in the query string. */
export function wholeNumberParam(min: number, max: number) {
  const message = `must be a whole number from ${min} to ${max}`;
  return z
    .string(expecting(`a whole number from ${min} to ${max}`))
    .regex(/^\d{1,15}$/, message)
    .transform(Number)
    .pipe(z.number().min(min, message).max(max, message));
}

/** One or more values, repeated (`tag=a&tag=b`) or comma-separated (`tag=a,b`); blanks dropped. */
export function listParam() {
  return z
    .union([z.string(), z.array(z.string())], expecting('a comma-separated list'))
    .transform((value) => (Array.isArray(value) ? value : [value]).flatMap((v) => v.split(',')).map((v) => v.trim()).filter((v) => v !== ''));
}

/** An instant in the query string: ISO 8601 with an offset, a date, or epoch ms → epoch ms. */
export function instantParam() {
  return z.string(expecting(INSTANT_FORMS)).transform((text, context) => {
    const ms = parseInstant(text);
    if (ms === null) {
      context.addIssue({ code: 'custom', message: `must be ${INSTANT_FORMS}` });
      return z.NEVER;
    }
    return ms;
  });
}
