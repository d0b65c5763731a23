/**
 * Zod building blocks for request bodies, worded the way API errors read:
 * `{"field": "fe_http_port", "message": "must be a whole number from 1 to 65535"}`. The server
 * validates bodies with them and the console's forms validate with the same schemas, so a form
 * says what the server would, word for word.
 */
import { z } from 'zod';

/** "is required" when the field is absent, else "must be <expected>". */
export function expecting(expected: string) {
  return { error: (issue: { input?: unknown }) => (issue.input === undefined ? 'is required' : `must be ${expected}`) };
}

// eslint-disable-next-line no-control-regex -- the point is to find control characters
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f]/;

/**
 * The Unicode controls that reorder text on screen (U+202E RIGHT-TO-LEFT OVERRIDE and the
 * rest): `prod\u202Eved` shows as "proddev", so a name could pass for another.
 */
const BIDI_CONTROLS = /[\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/;

/**
 * A trimmed, non-empty string of at most `max` characters, without control characters or
 * bidirectional controls: the rule of every name (cluster, user, tag, host).
 */
export function text(max: number) {
  return z
    .string(expecting('a string'))
    .trim()
    .min(1, 'must not be empty')
    .max(max, `must be at most ${max} characters`)
    .refine((value) => !CONTROL_CHARACTERS.test(value), 'must not contain control characters')
    .refine((value) => !BIDI_CONTROLS.test(value), 'must not contain bidirectional control characters (such as U+202E)');
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

/** The schema of a JSON object body: anything that is not an object reads "must be a JSON object". */
export const objectError = {
  error: (issue: { code?: string }) => (issue.code === 'invalid_type' ? 'must be a JSON object' : undefined),
};

/**
 * A comma-separated list (`prod, eu`), or several (`tag=prod&tag=eu`): trimmed, blanks dropped,
 * each value once. The fleet's `tag` parameter and the cluster form's tags field read lists so.
 */
export function splitList(values: string | readonly string[]): string[] {
  const parts = (typeof values === 'string' ? [values] : values).flatMap((v) => v.split(','));
  return [...new Set(parts.map((v) => v.trim()).filter((v) => v !== ''))];
}

/** `['tags', 0]` → `tags[0]`: how `details` names a field inside a body. */
export function fieldName(path: readonly PropertyKey[]): string {
  return path.reduce<string>((name, part) => {
    const key = String(part);
    return /^\d+$/.test(key) ? `${name}[${key}]` : name ? `${name}.${key}` : key;
  }, '');
}

const HOST_LABEL = /^[A-Za-z0-9_]([A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?$/;
const IPV4 = /^(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/;
const IPV6_GROUP = /^[0-9A-Fa-f]{1,4}$/;

/** An IPv6 address, `::` shortening, a trailing IPv4 part and a zone (`%eth0`) allowed. */
function isIpv6(value: string): boolean {
  const [address = '', zone, ...rest] = value.split('%');
  if (rest.length > 0 || (zone !== undefined && !/^[0-9A-Za-z.:-]+$/.test(zone))) return false;
  const halves = address.split('::');
  if (halves.length > 2) return false;
  const groupsOf = (half: string | undefined) => (half === undefined || half === '' ? [] : half.split(':'));
  const groups = [...groupsOf(halves[0]), ...groupsOf(halves[1])];
  const last = groups.at(-1);
  const ipv4Tail = last !== undefined && IPV4.test(last);
  const hex = ipv4Tail ? groups.slice(0, -1) : groups;
  if (!hex.every((g) => IPV6_GROUP.test(g))) return false;
  const width = hex.length + (ipv4Tail ? 2 : 0);
  return halves.length === 2 ? width <= 7 : width === 8;
}

/** A host name (labels of letters, digits, `-` and `_`) or an IPv4 or IPv6 address. */
export function isHost(value: string): boolean {
  if (IPV4.test(value) || (value.includes(':') && isIpv6(value))) return true;
  return value.length <= 253 && value.split('.').every((label) => HOST_LABEL.test(label));
}
