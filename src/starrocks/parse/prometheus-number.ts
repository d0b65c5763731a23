/**
 * Sample values and timestamps, read in place from the payload's code units (see `codeUnits`):
 * Go-`ParseFloat`-like numbers with a fast path for plain decimals, which are nearly all of them.
 * `text` is the payload itself, sliced only for unusual spellings.
 */

import { isBlank } from './prometheus-lexer.js';

const PLUS = 43, MINUS = 45, DOT = 46, ZERO = 48, NINE = 57, UPPER_E = 69, LOWER_E = 101;

/** Exact powers of ten: a ≤ 15-digit mantissa times or over one of these rounds correctly (Clinger's fast path). */
const POW10 = Array.from({ length: 23 }, (_, i) => 10 ** i);

/** Set by `parseValue` to the end of the token it read. */
let valueEnd = 0;
export const lastValueEnd = (): number => valueEnd;

/**
 * A Go-`ParseFloat`-like number, or undefined: the token from `start` to the next blank or `end`
 * (whose end `lastValueEnd` then gives). Plain decimals of up to 15 digits are computed as they are
 * scanned, without slicing; longer ones go through `Number()` once; NaN and Inf spellings are
 * matched case-insensitively; hex floats and `_` separators are refused, as Prometheus does.
 */
export function parseValue(codes: Uint16Array, text: string, start: number, end: number): number | undefined {
  let p = start;
  let c = codes[p]!;
  const negative = c === MINUS;
  if (negative || c === PLUS) p += 1;
  let mantissa = 0;
  let digits = 0;
  let fractionDigits = 0;
  while (p < end && (c = codes[p]!) >= ZERO && c <= NINE) {
    mantissa = mantissa * 10 + (c - ZERO);
    digits += 1;
    p += 1;
  }
  if (p < end && c === DOT) {
    p += 1;
    while (p < end && (c = codes[p]!) >= ZERO && c <= NINE) {
      mantissa = mantissa * 10 + (c - ZERO);
      digits += 1;
      fractionDigits += 1;
      p += 1;
    }
  }
  let exponent = 0;
  if (p < end && (c === LOWER_E || c === UPPER_E) && digits > 0) {
    p += 1;
    c = codes[p]!;
    const negativeExponent = c === MINUS;
    if (negativeExponent || c === PLUS) p += 1;
    const exponentStart = p;
    while (p < end && (c = codes[p]!) >= ZERO && c <= NINE) {
      exponent = exponent * 10 + (c - ZERO);
      p += 1;
    }
    if (p === exponentStart) return undefined;
    if (negativeExponent) exponent = -exponent;
  }
  const scale = exponent - fractionDigits;
  if ((p === end || isBlank(codes[p]!)) && digits > 0 && digits <= 15 && scale >= -22 && scale <= 22) {
    valueEnd = p;
    const magnitude = scale >= 0 ? mantissa * POW10[scale]! : mantissa / POW10[-scale]!;
    return negative ? -magnitude : magnitude;
  }
  while (p < end && !isBlank(codes[p]!)) p += 1;
  valueEnd = p;
  return parseUnusualValue(text.slice(start, p));
}

/** Decimal syntax only: `Number()` alone would also take hex, binary, octal and Unicode spaces. */
const DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/** Go's spellings, matched in lower case. */
const SPECIAL_VALUES = new Map<string, number>([
  ['nan', NaN], ['inf', Infinity], ['+inf', Infinity], ['infinity', Infinity], ['+infinity', Infinity], ['-inf', -Infinity], ['-infinity', -Infinity],
]);

function parseUnusualValue(token: string): number | undefined {
  return DECIMAL.test(token) ? Number(token) : SPECIAL_VALUES.get(token.toLowerCase());
}

/** Integer milliseconds (text format), or float seconds (OpenMetrics) converted to milliseconds. */
export function parseTimestampMs(codes: Uint16Array, text: string, start: number, end: number): number | undefined {
  let p = start;
  const negative = codes[p]! === MINUS;
  if (negative) p += 1;
  let ms = 0;
  let c = 0;
  while (p < end && (c = codes[p]!) >= ZERO && c <= NINE) {
    ms = ms * 10 + (c - ZERO);
    p += 1;
  }
  if (p === end && p > start + (negative ? 1 : 0) && Number.isSafeInteger(ms)) return negative ? -ms : ms;
  if (c !== DOT && c !== LOWER_E && c !== UPPER_E) return undefined;
  const seconds = parseValue(codes, text, start, end);
  return seconds !== undefined && Number.isFinite(seconds) ? Math.round(seconds * 1000) : undefined;
}
