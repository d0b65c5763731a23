/**
 * Whole, positive amounts with an optional unit: `30`, `"30"`, `"30s"`, `"5m"`, `"2w"`.
 *
 * Pure and dependency-free: the config loader uses it for `interval_secs`, `retention_days`
 * and every other duration key, and the web console can use it for the same spellings.
 */

/** Unit spellings mapped to their size in the table's base unit (the unit of size 1). */
export type UnitTable = Readonly<Record<string, number>>;

/** Seconds: s/sec/secs/second(s), m/min(s)/minute(s), h/hr/hour(s), d/day(s). */
export const SECOND_UNITS: UnitTable = {
  s: 1,
  sec: 1,
  secs: 1,
  second: 1,
  seconds: 1,
  m: 60,
  min: 60,
  mins: 60,
  minute: 60,
  minutes: 60,
  h: 3600,
  hr: 3600,
  hour: 3600,
  hours: 3600,
  d: 86_400,
  day: 86_400,
  days: 86_400,
};

/** Days: d/day(s), w/week(s). */
export const DAY_UNITS: UnitTable = {
  d: 1,
  day: 1,
  days: 1,
  w: 7,
  week: 7,
  weeks: 7,
};

/** Bytes: B, KiB, MiB, GiB (powers of 1024, spelled as IEC writes them). */
export const BYTE_UNITS: UnitTable = {
  B: 1,
  KiB: 1024,
  MiB: 1024 ** 2,
  GiB: 1024 ** 3,
};

export type AmountParse = { ok: true; value: number } | { ok: false; problem: string };

const AMOUNT = /^([+-]?)(\d+)(\.\d+)?\s*([A-Za-z]*)$/;

/**
 * Parses `input` into a whole number of base units. A bare number (or numeric string) is in
 * base units. Zero, negative, fractional and unknown-unit amounts are rejected with a
 * `problem` that says why, in words fit for an error line.
 */
export function parseAmount(input: unknown, units: UnitTable): AmountParse {
  if (typeof input === 'bigint') {
    if (input > BigInt(Number.MAX_SAFE_INTEGER)) return fail('is too large');
    return checkWhole(Number(input));
  }
  if (typeof input === 'number') return checkWhole(input);
  if (typeof input !== 'string') return fail(`must be a number or a string, not ${describeType(input)}`);

  const text = input.trim();
  if (text === '') return fail('is empty');
  const match = AMOUNT.exec(text);
  if (!match) return fail('is not a whole number with an optional unit');
  const [, sign = '', whole = '', fraction, unit = ''] = match;

  const size = unit === '' ? 1 : units[unit];
  if (size === undefined) return fail(`has an unknown unit "${unit}"`);
  if (sign === '-') return fail('must be greater than zero');
  if (fraction !== undefined) {
    if (unit === '') return fail('must be a whole number');
    const suggestion = formatAmount(Number(whole + fraction) * size, units);
    return fail(
      suggestion
        ? `has a fractional amount; write it in a smaller unit, e.g. "${suggestion}"`
        : 'has a fractional amount; only whole amounts are accepted',
    );
  }
  const value = Number(whole) * size;
  if (!Number.isSafeInteger(value)) return fail('is too large');
  if (value === 0) return fail('must be greater than zero');
  return { ok: true, value };
}

/**
 * Formats a whole number of base units with the largest unit that divides it exactly,
 * using each size's shortest spelling: 300 → "5m", 90 → "90s", 14 (days) → "2w".
 * Returns undefined for values that are not positive whole numbers.
 */
export function formatAmount(value: number, units: UnitTable): string | undefined {
  if (!Number.isSafeInteger(value) || value <= 0) return undefined;
  const shortest = new Map<number, string>();
  for (const [spelling, size] of Object.entries(units)) {
    const known = shortest.get(size);
    if (known === undefined || spelling.length < known.length) shortest.set(size, spelling);
  }
  const bySizeDesc = [...shortest.entries()].sort((a, b) => b[0] - a[0]);
  for (const [size, spelling] of bySizeDesc) {
    if (value % size === 0) return `${value / size}${spelling}`;
  }
  return undefined;
}

function checkWhole(value: number): AmountParse {
  if (!Number.isFinite(value)) return fail('is not a finite number');
  if (!Number.isInteger(value)) return fail('must be a whole number');
  if (value <= 0) return fail('must be greater than zero');
  if (!Number.isSafeInteger(value)) return fail('is too large');
  return { ok: true, value };
}

function fail(problem: string): AmountParse {
  return { ok: false, problem };
}

function describeType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (value instanceof Date) return 'a date';
  return `a ${typeof value}`;
}
