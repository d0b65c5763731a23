/**
 * Zod building blocks for the query strings and path parameters of the routes, worded like the
 * body fields' (src/shared/api/fields.ts): `{"field": "max_points", "message": "must be a whole
 * number from 1 to 5000"}`. Query-string parameters arrive as strings (an array when repeated).
 */
import { z } from 'zod';
import { expecting, splitList } from '../shared/api/fields.js';
import { INSTANT_FORMS, parseInstant } from '../shared/instant.js';

/** A path parameter that is a positive whole number, e.g. the `:id` of /api/clusters/:id. */
export const idParam = z
  .string()
  .regex(/^[1-9][0-9]{0,14}$/, 'must be a positive whole number')
  .transform(Number);

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
  return z.union([z.string(), z.array(z.string())], expecting('a comma-separated list')).transform(splitList);
}

/** A list of which each value must be one of `values`: `status=critical,unreachable`. */
export function oneOfListParam<const T extends readonly [string, ...string[]]>(values: T) {
  const accepted = new Set<string>(values);
  const isAccepted = (value: string): value is T[number] => accepted.has(value);
  return listParam().transform((list, context) => {
    const unknown = list.filter((v) => !isAccepted(v));
    if (unknown.length > 0) {
      context.addIssue({ code: 'custom', message: `has ${unknown.map((v) => `"${v}"`).join(', ')}; accepted: ${values.join(', ')}` });
      return z.NEVER;
    }
    return list.filter(isAccepted);
  });
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
