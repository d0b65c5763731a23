/**
 * The parser's fast path (names guessed and compared in place, labels read against a name's first
 * line, values interned and compared with the last line's) against a model of what was written.
 * The generated bodies repeat few names, label names and values, as FE bodies do, so that every
 * shortcut is taken and then broken: lookalike names, the same label set spelled several ways,
 * escapes, a set other than the name's first, HELP/TYPE lines anywhere, garbage in between.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parsePrometheusText } from './prometheus-text.js';

const NAMES = ['m', 'starrocks_fe_qps', 'starrocks_fe_rps', 'starrocks_fe_query_latency_ms', 'jvm_heap_size_bytes'];
const TYPES: Record<string, string> = { m: 'gauge', starrocks_fe_qps: 'gauge', starrocks_fe_rps: 'counter', starrocks_fe_query_latency_ms: 'gauge', jvm_heap_size_bytes: 'gauge' };
const LABELS = ['fe', 'db', 'type', 'state', 'a'];
const VALUES = ['', 'x', 'fe-1', 'fe-10', '127.0.0.1:9050-long', 'a"b', 'back\\slash', 'line\nbreak', 'é', 'tab\tin', 'C:\\temp'];

type Labels = Record<string, string>;
interface Row {
  readonly name: string;
  readonly labels: Labels;
  readonly value: number;
  readonly timestampMs: number | null;
  readonly style: { order: number; separator: string; around: string; trailingComma: boolean; quoteNames: boolean };
  /** A line written before the sample: none, HELP or TYPE of some name, or garbage. */
  readonly before: { kind: 'none' | 'help' | 'type' | 'garbage'; name: string; help: string };
}

/** The label names each name is mostly written with, as in an FE body; sometimes a line has another set. */
const USUAL_LABELS: Record<string, readonly string[]> = {
  m: [],
  starrocks_fe_qps: ['fe'],
  starrocks_fe_rps: ['fe', 'type'],
  starrocks_fe_query_latency_ms: ['fe', 'db', 'state'],
  jvm_heap_size_bytes: ['type', 'a'],
};
const value = fc.constantFrom(...VALUES);
const nameAndLabels = fc.constantFrom(...NAMES).chain((name) =>
  fc.record({
    name: fc.constant(name),
    labels: fc.oneof(
      { weight: 4, arbitrary: fc.array(value, { minLength: USUAL_LABELS[name]!.length, maxLength: USUAL_LABELS[name]!.length }).map((vs) => Object.fromEntries(USUAL_LABELS[name]!.map((n, i) => [n, vs[i]!]))) },
      { weight: 1, arbitrary: fc.dictionary(fc.constantFrom(...LABELS), value, { maxKeys: 4 }) },
    ),
  }),
);
const row: fc.Arbitrary<Row> = fc.record({
  nameAndLabels,
  value: fc.integer({ min: -5, max: 5 }),
  timestampMs: fc.option(fc.integer({ min: 0, max: 2 ** 45 })),
  style: fc.record({
    // Mostly the plain spelling, so that the fast path is taken; sometimes another, so that it is left.
    order: fc.constantFrom(0, 0, 0, 1, 2),
    separator: fc.constantFrom(',', ',', ', ', ' , '),
    around: fc.constantFrom('', '', '', ' '),
    trailingComma: fc.constantFrom(false, false, false, false, true),
    quoteNames: fc.constantFrom(false, false, false, true),
  }),
  before: fc.record({ kind: fc.constantFrom('none', 'none', 'help', 'type', 'garbage'), name: fc.constantFrom(...NAMES), help: fc.constantFrom('first help', 'second help') }),
}).map(({ nameAndLabels: { name, labels }, ...rest }) => ({ name, labels, ...rest }));

const escape = (value: string): string => value.replace(/[\\"\n]/g, (c) => (c === '\n' ? '\\n' : `\\${c}`));

function sampleLine({ name, labels: set, value, timestampMs, style }: Row): string {
  const pairs = Object.entries(set).map(([k, v]) => `${style.quoteNames ? `"${k}"` : k}${style.around}=${style.around}"${escape(v)}"`);
  if (style.order === 1) pairs.reverse();
  if (style.order === 2) pairs.push(...pairs.splice(0, 1));
  const braces = pairs.length === 0 ? '' : `{${style.around}${pairs.join(style.separator)}${style.trailingComma ? ',' : ''}${style.around}}`;
  return `${name}${braces} ${value}${timestampMs === null ? '' : ` ${timestampMs}`}`;
}

describe('parsePrometheusText: the fast path against a model of what was written', () => {
  it('reads repeated names, label sets and values exactly, however each line is spelled', () => {
    fc.assert(
      fc.property(fc.array(row, { maxLength: 60 }), fc.boolean(), (rows, crlf) => {
        const lines: string[] = [];
        const order: string[] = [];
        const help = new Map<string, string>();
        const typed = new Set<string>();
        const kept = new Map<string, Map<string, Row>>();
        let garbage = 0;
        let duplicates = 0;
        const see = (name: string): void => {
          if (!order.includes(name)) order.push(name);
        };
        for (const r of rows) {
          if (r.before.kind === 'help') {
            lines.push(`# HELP ${r.before.name} ${r.before.help}`);
            see(r.before.name);
            if (!help.has(r.before.name)) help.set(r.before.name, r.before.help);
          } else if (r.before.kind === 'type') {
            lines.push(`# TYPE ${r.before.name} ${TYPES[r.before.name]}`);
            see(r.before.name);
            typed.add(r.before.name);
          } else if (r.before.kind === 'garbage') {
            lines.push('?not a sample');
            garbage += 1;
          }
          lines.push(sampleLine(r));
          see(r.name);
          const series = kept.get(r.name) ?? new Map<string, Row>();
          kept.set(r.name, series);
          const key = JSON.stringify(Object.entries(r.labels).sort(([a], [b]) => (a < b ? -1 : 1)));
          if (series.has(key)) duplicates += 1;
          else series.set(key, r);
        }

        const parsed = parsePrometheusText(lines.join(crlf ? '\r\n' : '\n'));

        expect(parsed.families.map((f) => [f.name, f.type, f.help])).toEqual(order.map((n) => [n, typed.has(n) ? TYPES[n] : 'untyped', help.get(n) ?? null]));
        for (const family of parsed.families) {
          const expected = [...(kept.get(family.name)?.values() ?? [])];
          expect(family.samples.map((s) => [s.name, s.labels, s.value, s.timestampMs])).toEqual(expected.map((r) => [r.name, r.labels, r.value, r.timestampMs]));
        }
        expect(parsed.duplicates).toBe(duplicates);
        expect(parsed.skippedLines).toBe(garbage);
      }),
      { numRuns: 1500 },
    );
  });

  it('gives the same result whatever was parsed before (the code-unit array is kept from parse to parse)', () => {
    const body = 'm{abcdef="1"} 1\nm{abcdef="2"} 2\nstarrocks_fe_qps{fe="fe-1", type="x"} 3\n# HELP starrocks_fe_qps queries\n';
    fc.assert(
      fc.property(fc.nat(body.length), fc.constantFrom(body, body.replace(/\d/g, '7'), 'x'.repeat(body.length * 2)), (cut, before) => {
        const text = body.slice(0, cut);
        parsePrometheusText(before);
        const after = parsePrometheusText(text);
        parsePrometheusText('y'.repeat(body.length * 2));
        const fresh = parsePrometheusText(text);
        expect(JSON.stringify(after.families)).toBe(JSON.stringify(fresh.families));
        expect([after.sampleCount, after.duplicates, after.skippedLines]).toEqual([fresh.sampleCount, fresh.duplicates, fresh.skippedLines]);
      }),
    );
  });
});
