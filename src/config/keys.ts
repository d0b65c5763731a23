/**
 * Building blocks of the configuration schema: one `KeySpec` per kind of value.
 *
 * A spec knows its default, the one-line comment shipped in conf/config.toml, the accepted
 * forms quoted in every error, how to parse a raw value (a TOML value, or the string an
 * environment variable or flag carries) and how to show a parsed value again. Pure.
 */
import { formatAmount, parseAmount, type UnitTable } from '../shared/duration.js';

export type Parsed<T> = { ok: true; value: T } | { ok: false; problem: string };

/** What a secret value is shown as, in error lines and by `stellar config`. */
export const HIDDEN = '<hidden>';

/** A value as it is written back into TOML by `stellar config`. */
export type TomlScalar = string | number | boolean | readonly string[];

export interface KeySpec<T> {
  readonly default: T;
  /** One line, shown as the comment above the key in conf/config.toml and in docs. */
  readonly doc: string;
  /** The accepted forms, quoted after every error about this key. */
  readonly accepted: string;
  /** Secrets are never echoed back: not in errors, not by `stellar config`. */
  readonly secret: boolean;
  /** A reload (SIGHUP, POST /api/admin/reload) applies a new value; otherwise it takes a restart (config-reload.ts). */
  readonly reloadable: boolean;
  parse(raw: unknown): Parsed<T>;
  show(value: T): TomlScalar;
}

const ok = <T>(value: T): Parsed<T> => ({ ok: true, value });
const bad = <T>(problem: string): Parsed<T> => ({ ok: false, problem });

interface Common {
  doc: string;
  secret?: boolean;
  /** Applied by a reload without a restart; false when absent. */
  reloadable?: boolean;
}

/** The parts every kind of key shares; `show` defaults to the value itself. */
function spec<T>(opts: Common & { default: T }, accepted: string, parse: (raw: unknown) => Parsed<T>, show?: (value: T) => TomlScalar): KeySpec<T> {
  return {
    default: opts.default,
    doc: opts.doc,
    accepted,
    secret: opts.secret ?? false,
    reloadable: opts.reloadable ?? false,
    parse,
    show: show ?? ((value) => value as TomlScalar),
  };
}

export function stringKey(
  opts: Common & {
    default: string;
    accepted: string;
    check?: (value: string) => string | undefined;
    allowEmpty?: boolean;
    /** Keep surrounding white space (passwords); other strings are trimmed. */
    keepSpaces?: boolean;
  },
): KeySpec<string> {
  return spec(opts, opts.accepted, (raw) => {
    if (typeof raw !== 'string') return bad(`must be a string, not ${typeName(raw)}`);
    const value = opts.keepSpaces ? raw : raw.trim();
    if (value === '' && !opts.allowEmpty) return bad('is empty');
    if (value === '') return ok(value);
    const problem = opts.check?.(value);
    return problem ? bad(problem) : ok(value);
  });
}

export function integerKey(opts: Common & { default: number; min: number; max: number }): KeySpec<number> {
  return spec(opts, `a whole number from ${opts.min} to ${opts.max}`, (raw) => {
    let value: number;
    if (typeof raw === 'number') value = raw;
    else if (typeof raw === 'bigint') value = Number(raw);
    else if (typeof raw === 'string' && /^[+-]?\d+$/.test(raw.trim())) value = Number(raw.trim());
    else if (typeof raw === 'string') return bad('is not a whole number');
    else return bad(`must be a number, not ${typeName(raw)}`);
    if (!Number.isInteger(value)) return bad('is not a whole number');
    if (value < opts.min) return bad(`is below ${opts.min}`);
    if (value > opts.max) return bad(`is above ${opts.max}`);
    return ok(value);
  });
}

export function booleanKey(opts: Common & { default: boolean }): KeySpec<boolean> {
  return spec(opts, 'true or false', (raw) => {
    if (typeof raw === 'boolean') return ok(raw);
    if (typeof raw !== 'string') return bad(`must be a boolean, not ${typeName(raw)}`);
    const word = raw.trim().toLowerCase();
    return word === 'true' ? ok(true) : word === 'false' ? ok(false) : bad('is not a boolean');
  });
}

export function enumKey<const V extends string>(opts: Common & { default: V; values: readonly V[] }): KeySpec<V> {
  return spec(opts, `one of ${opts.values.join(', ')}`, (raw) => {
    if (typeof raw !== 'string') return bad(`must be a string, not ${typeName(raw)}`);
    const value = raw.trim();
    return (opts.values as readonly string[]).includes(value) ? ok(value as V) : bad('is not one of the accepted values');
  });
}

/**
 * An amount of some unit (seconds or days), written as a bare whole number or with a unit.
 * The parsed value is a whole number of base units.
 */
export function amountKey(
  opts: Common & {
    default: number;
    units: UnitTable;
    min: number;
    max: number;
    accepted: string;
    /** Units used to show a value, when not all of `units` read well (retention in days, not weeks). */
    showUnits?: UnitTable;
  },
): KeySpec<number> {
  return spec(
    opts,
    opts.accepted,
    (raw) => {
      const result = parseAmount(raw, opts.units);
      if (!result.ok) return result;
      if (result.value < opts.min) return bad(`is below the minimum of ${formatAmount(opts.min, opts.units) ?? opts.min}`);
      if (result.value > opts.max) return bad(`is above the maximum of ${formatAmount(opts.max, opts.units) ?? opts.max}`);
      return result;
    },
    (value) => formatAmount(value, opts.showUnits ?? opts.units) ?? value,
  );
}

function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (value instanceof Date) return 'a date';
  if (typeof value === 'object') return 'a table';
  return `a ${typeof value}`;
}

/**
 * A set of words from a fixed list: a TOML array (`["a", "b"]`) in the file, a comma-separated
 * string (`a,b`) in an environment variable or flag; `[]` or `""` for none.
 */
export function setKey<const V extends string>(opts: Common & { default: readonly V[]; values: readonly V[] }): KeySpec<readonly V[]> {
  return spec(
    opts,
    `a list of ${opts.values.join(', ')} (TOML array, or comma-separated in a variable or flag); [] for none`,
    (raw) => {
      let words: unknown[];
      if (Array.isArray(raw)) words = raw;
      else if (typeof raw === 'string') words = raw.split(',').map((w) => w.trim()).filter((w) => w !== '');
      else return bad(`must be a list, not ${typeName(raw)}`);
      const picked: V[] = [];
      for (const word of words) {
        if (typeof word !== 'string') return bad(`holds ${typeName(word)}, not a word`);
        const value = word.trim();
        if (!(opts.values as readonly string[]).includes(value)) return bad(`holds "${value}", which is not one of the accepted values`);
        if (!picked.includes(value as V)) picked.push(value as V);
      }
      return ok(picked);
    },
    (value) => [...value],
  );
}

/**
 * A list of free-form words (a TOML array in the file, comma-separated in a variable or flag;
 * `[]` or `""` for none), each trimmed, checked as a whole by `check`.
 */
export function stringListKey(opts: Common & { default: readonly string[]; accepted: string; check: (values: readonly string[]) => string | undefined }): KeySpec<readonly string[]> {
  return spec(
    opts,
    opts.accepted,
    (raw) => {
      let words: unknown[];
      if (Array.isArray(raw)) words = raw;
      else if (typeof raw === 'string') words = raw.split(',').filter((w) => w.trim() !== '');
      else return bad(`must be a list, not ${typeName(raw)}`);
      const values: string[] = [];
      for (const word of words) {
        if (typeof word !== 'string') return bad(`holds ${typeName(word)}, not a string`);
        if (!values.includes(word.trim())) values.push(word.trim());
      }
      const problem = opts.check(values);
      return problem ? bad(problem) : ok(values);
    },
    (value) => [...value],
  );
}
