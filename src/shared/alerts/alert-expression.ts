/**
 * An alert rule's condition, written as SREs write one: `disk_usage_pct > 90`,
 * `backend_alive < backend_total`, `collect_status != "ok"`, `rate(query_errors_total, 10m) > 5`,
 * `delta(fe_alive, 5m) < 0`, `no_data(3)`, joined by `and` / `or` with parentheses. Parsed once
 * (when a rule is loaded or saved, with errors that say where and what was expected) into a
 * tree that is evaluated after each collection. Pure.
 *
 * Operands are numbers, "strings" (only against text fields and `collect_status`), snapshot
 * fields by name (docs/metrics.md), custom metrics as `custom.<name>` (numeric; one not defined,
 * or not defined yet, has no value, so a comparison with it is false), and two functions of a field over a lookback: `delta` (now
 * minus the value at the latest collection at or before the lookback's start) and `rate` (that
 * delta per second of the time between the two). A comparison with a missing value (a field
 * null in the snapshot, no collection old enough for a delta) is false, as a PromQL comparison
 * with no sample gives nothing: a rule never fires on data it does not have; `no_data(N)` is the
 * rule for that.
 */
import { SECOND_UNITS, parseAmount } from '../duration.js';
import { SNAPSHOT_FIELDS } from '../snapshot-fields.js';

export const COMPARATORS = ['>', '>=', '<', '<=', '==', '!='] as const;
export type Comparator = (typeof COMPARATORS)[number];

export type Operand =
  | { readonly type: 'number'; readonly value: number }
  | { readonly type: 'string'; readonly value: string }
  | { readonly type: 'field'; readonly field: string }
  | { readonly type: 'change'; readonly fn: 'delta' | 'rate'; readonly field: string; readonly lookbackMs: number };

export type AlertCondition =
  | { readonly type: 'compare'; readonly left: Operand; readonly op: Comparator; readonly right: Operand }
  | { readonly type: 'no_data'; readonly intervals: number }
  | { readonly type: 'and' | 'or'; readonly parts: readonly AlertCondition[] };

/** A custom metric named in a condition: `custom.` and its name (src/shared/custom-metrics.ts). */
export const CUSTOM_FIELD_PREFIX = 'custom.';
const CUSTOM_FIELD = /^custom\.[a-z][a-z0-9_]{0,62}$/;

/** Whether a condition's field is a custom metric's (`custom.<name>`), read from the snapshot's custom values. */
export const isCustomField = (field: string): boolean => field.startsWith(CUSTOM_FIELD_PREFIX);

/** Fields a condition may name: every numeric and text snapshot field, and the collection's status. */
const NUMERIC_FIELDS = new Set(SNAPSHOT_FIELDS.filter((f) => f.column !== 'text').map((f) => f.name as string));
const TEXT_FIELDS = new Set([...SNAPSHOT_FIELDS.filter((f) => f.column === 'text').map((f) => f.name as string), 'collect_status']);

export class AlertExpressionError extends Error {
  constructor(
    message: string,
    /** Where in the text (0-based), for an editor's marker. */
    readonly position: number,
  ) {
    super(message);
  }
}

type Token = { kind: 'number' | 'string' | 'word' | 'op' | '(' | ')' | ','; text: string; at: number };

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (/\s/.test(c)) {
      i += 1;
      continue;
    }
    const rest = text.slice(i);
    const number = /^-?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?/.exec(rest);
    const word = /^(?:custom\.)?[A-Za-z_][A-Za-z0-9_]*/.exec(rest);
    const op = /^(?:>=|<=|==|!=|>|<)/.exec(rest);
    if (c === '"') {
      const end = text.indexOf('"', i + 1);
      if (end < 0) throw new AlertExpressionError(`a string opened at ${i + 1} is never closed`, i);
      tokens.push({ kind: 'string', text: text.slice(i + 1, end), at: i });
      i = end + 1;
    } else if (op) {
      tokens.push({ kind: 'op', text: op[0], at: i });
      i += op[0].length;
    } else if (number && !(c === '-' && tokens.at(-1)?.kind === 'number')) {
      tokens.push({ kind: 'number', text: number[0], at: i });
      i += number[0].length;
    } else if (word) {
      tokens.push({ kind: 'word', text: word[0], at: i });
      i += word[0].length;
    } else if (c === '(' || c === ')' || c === ',') {
      tokens.push({ kind: c, text: c, at: i });
      i += 1;
    } else {
      throw new AlertExpressionError(`unexpected "${c}" at ${i + 1}`, i);
    }
  }
  return tokens;
}

/** Parses a condition; throws AlertExpressionError naming what was expected where. */
export function parseAlertCondition(text: string): AlertCondition {
  const tokens = tokenize(text);
  let pos = 0;
  const peek = () => tokens[pos];
  const where = () => peek()?.at ?? text.length;
  const fail = (expected: string): never => {
    const token = peek();
    throw new AlertExpressionError(`expected ${expected} at ${where() + 1}, found ${token === undefined ? 'the end' : `"${token.text}"`}`, where());
  };
  const expect = (kind: Token['kind'], what: string): Token => (peek()?.kind === kind ? tokens[pos++]! : fail(what));
  const keyword = (word: string) => peek()?.kind === 'word' && peek()!.text.toLowerCase() === word;

  const fieldName = (token: Token, texts: 'numeric' | 'any'): string => {
    if (NUMERIC_FIELDS.has(token.text) || (texts === 'any' && TEXT_FIELDS.has(token.text)) || CUSTOM_FIELD.test(token.text)) return token.text;
    const known = texts === 'any' ? [...NUMERIC_FIELDS, ...TEXT_FIELDS] : [...NUMERIC_FIELDS];
    const near = known.filter((f) => f.includes(token.text) || token.text.includes(f)).slice(0, 3);
    throw new AlertExpressionError(
      `"${token.text}" at ${token.at + 1} is not a ${texts === 'numeric' ? 'numeric ' : ''}snapshot field${near.length > 0 ? ` (did you mean ${near.join(', ')}?)` : ''}; the fields are in docs/metrics.md, a custom metric is written custom.<name>`,
      token.at,
    );
  };

  const operand = (): Operand => {
    const token = peek();
    if (token?.kind === 'number') {
      pos += 1;
      return { type: 'number', value: Number(token.text) };
    }
    if (token?.kind === 'string') {
      pos += 1;
      return { type: 'string', value: token.text };
    }
    if (token?.kind === 'word' && (token.text === 'delta' || token.text === 'rate') && tokens[pos + 1]?.kind === '(') {
      pos += 2;
      const field = fieldName(expect('word', 'a field name'), 'numeric');
      expect(',', '","');
      const lookback = peek();
      // A lookback is a duration such as 10m: a number token and a unit word, or one word like 1h.
      let spelled = '';
      if (lookback?.kind === 'number') {
        pos += 1;
        spelled = lookback.text + (peek()?.kind === 'word' ? tokens[pos++]!.text : '');
      } else fail('a lookback such as 10m');
      const parsed = parseAmount(spelled, SECOND_UNITS);
      if (!parsed.ok || parsed.value <= 0) throw new AlertExpressionError(`"${spelled}" at ${lookback!.at + 1} is not a lookback: write a duration such as 90s, 10m or 1h`, lookback!.at);
      expect(')', '")"');
      return { type: 'change', fn: token.text, field, lookbackMs: parsed.value * 1000 };
    }
    if (token?.kind === 'word') {
      pos += 1;
      return { type: 'field', field: fieldName(token, 'any') };
    }
    return fail('a field, a number, a "string", delta(field, 10m) or rate(field, 10m)');
  };

  const isText = (o: Operand) => o.type === 'string' || (o.type === 'field' && TEXT_FIELDS.has(o.field));

  const primary = (): AlertCondition => {
    if (peek()?.kind === '(') {
      pos += 1;
      const inner = disjunction();
      expect(')', '")"');
      return inner;
    }
    if (keyword('no_data') && tokens[pos + 1]?.kind === '(') {
      pos += 2;
      const n = expect('number', 'a number of intervals');
      const intervals = Number(n.text);
      if (!Number.isInteger(intervals) || intervals < 1) throw new AlertExpressionError(`no_data needs a whole number of intervals of at least 1, not ${n.text}`, n.at);
      expect(')', '")"');
      return { type: 'no_data', intervals };
    }
    const at = where();
    const left = operand();
    const opToken = expect('op', `a comparison (${COMPARATORS.join(' ')})`);
    const right = operand();
    const op = opToken.text as Comparator;
    if (isText(left) !== isText(right)) throw new AlertExpressionError(`the comparison at ${at + 1} compares text with a number`, at);
    if (isText(left) && op !== '==' && op !== '!=') throw new AlertExpressionError(`text compares only with == or != (at ${opToken.at + 1})`, opToken.at);
    return { type: 'compare', left, op, right };
  };

  const conjunction = (): AlertCondition => {
    const parts = [primary()];
    while (keyword('and')) {
      pos += 1;
      parts.push(primary());
    }
    return parts.length === 1 ? parts[0]! : { type: 'and', parts };
  };

  const disjunction = (): AlertCondition => {
    const parts = [conjunction()];
    while (keyword('or')) {
      pos += 1;
      parts.push(conjunction());
    }
    return parts.length === 1 ? parts[0]! : { type: 'or', parts };
  };

  if (tokens.length === 0) throw new AlertExpressionError('the condition is empty', 0);
  const condition = disjunction();
  if (pos < tokens.length) fail('"and", "or" or the end');
  return condition;
}

/** What an evaluation reads besides the latest snapshot: each field's value at the start of a lookback. */
export function lookbacksOf(condition: AlertCondition): Array<{ field: string; lookbackMs: number }> {
  const found = new Map<string, { field: string; lookbackMs: number }>();
  const visit = (c: AlertCondition) => {
    if (c.type === 'and' || c.type === 'or') c.parts.forEach(visit);
    else if (c.type === 'compare') {
      for (const o of [c.left, c.right]) if (o.type === 'change') found.set(`${o.field}@${o.lookbackMs}`, { field: o.field, lookbackMs: o.lookbackMs });
    }
  };
  visit(condition);
  return [...found.values()];
}

/** What a condition is evaluated on, for one cluster at one instant. */
export interface AlertInputs {
  /** The latest collection's figures and status (null before the first). */
  readonly latest: Readonly<Record<string, number | string | null>> | null;
  /** When the latest collection that reached the cluster (ok or partial) was taken, ms; null if none. */
  readonly lastDataAt: number | null;
  readonly now: number;
  /** The cluster's collection interval, ms. */
  readonly intervalMs: number;
  /** The value and time of `field` at the latest collection at or before `now − lookbackMs` (undefined: none kept). */
  readonly past: (field: string, lookbackMs: number) => { value: number | null; at: number } | undefined;
}

/** The condition's truth and the value of its first comparison's left side (the `{{ value }}` of templates). */
export function evaluateAlertCondition(condition: AlertCondition, inputs: AlertInputs): { holds: boolean; value: number | string | null } {
  let first: number | string | null | undefined;
  const valueOf = (o: Operand): number | string | null => {
    switch (o.type) {
      case 'number':
      case 'string':
        return o.value;
      case 'field':
        return inputs.latest?.[o.field] ?? null;
      case 'change': {
        const now = inputs.latest?.[o.field];
        const then = inputs.past(o.field, o.lookbackMs);
        const at = inputs.latest?.collected_at;
        if (typeof now !== 'number' || then === undefined || then.value === null) return null;
        const delta = now - then.value;
        if (o.fn === 'delta') return delta;
        const seconds = (typeof at === 'number' ? at : inputs.now) - then.at;
        return seconds > 0 ? delta / (seconds / 1000) : null;
      }
    }
  };
  const holds = (c: AlertCondition): boolean => {
    switch (c.type) {
      case 'and':
        return c.parts.every(holds);
      case 'or':
        return c.parts.some(holds);
      case 'no_data': {
        if (first === undefined) first = null;
        return inputs.lastDataAt === null || inputs.now - inputs.lastDataAt >= c.intervals * inputs.intervalMs;
      }
      case 'compare': {
        const left = valueOf(c.left);
        const right = valueOf(c.right);
        if (first === undefined) first = left;
        if (left === null || right === null) return false;
        switch (c.op) {
          case '>':
            return left > right;
          case '>=':
            return left >= right;
          case '<':
            return left < right;
          case '<=':
            return left <= right;
          case '==':
            return left === right;
          case '!=':
            return left !== right;
        }
      }
    }
  };
  const result = holds(condition);
  return { holds: result, value: first ?? null };
}
