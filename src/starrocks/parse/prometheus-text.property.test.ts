/**
 * parsePrometheusText on generated input: any text is survived, and whatever a writer may
 * legitimately print (any label order, spacing, escapes, number spelling) reads back exactly.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parsePrometheusText } from './prometheus-text.js';

/** Pieces of the format, so that generated garbage gets deep into the scanner instead of failing on its first byte. */
const FRAGMENTS = ['m', 'x_sum', ':', '{', '}', '"', '\\', '=', ',', ' ', '\t', '\n', '\r\n', '#', '# TYPE ', '# HELP ', 'summary', '1', '-2.5E3', 'NaN', '+Inf', '0x1', 'le', '.', 'e', '\u00e9', '\uFEFF'];

describe('parsePrometheusText: generated input', () => {
  it('never throws, and its counts add up, whatever the input', () => {
    const text = fc.oneof(fc.string({ maxLength: 300, unit: 'binary' }), fc.array(fc.constantFrom(...FRAGMENTS), { maxLength: 120 }).map((parts) => parts.join('')));
    fc.assert(
      fc.property(text, (input) => {
        const parsed = parsePrometheusText(input);
        const lines = input.split('\n').length;
        expect(parsed.families.reduce((n, f) => n + f.samples.length, 0)).toBe(parsed.sampleCount);
        expect(parsed.sampleCount + parsed.duplicates + parsed.skippedLines).toBeLessThanOrEqual(lines);
        expect(parsed.warnings.length).toBeLessThanOrEqual(100);
      }),
      { numRuns: 3000 },
    );
  });

  it('reads back every number exactly, in JS, Java and upper-case spellings', () => {
    const spell = (d: number, style: number): string => {
      if (Number.isNaN(d)) return ['NaN', 'nan', 'NAN'][style % 3]!;
      if (!Number.isFinite(d)) return (d > 0 ? ['+Inf', 'Inf', '+inf'] : ['-Inf', '-inf', '-INF'])[style % 3]!;
      if (Object.is(d, -0)) return '-0';
      return [String(d), d.toExponential().replace('e+', 'E'), String(d).toUpperCase()][style % 3]!;
    };
    fc.assert(
      fc.property(fc.double(), fc.nat(), (d, style) => {
        const sample = parsePrometheusText(`m ${spell(d, style)}\n`).families[0]?.samples[0];
        expect(Object.is(sample?.value, d)).toBe(true);
      }),
      { numRuns: 3000 },
    );
  });

  it('round-trips samples written with any label order, spacing, escaping and duplicates', () => {
    const name = fc.stringMatching(/^[a-zA-Z_:][a-zA-Z0-9_:]{0,12}$/);
    const labels = fc.dictionary(fc.stringMatching(/^[a-zA-Z_][a-zA-Z0-9_]{0,8}$/), fc.string({ maxLength: 12, unit: 'binary' }), { maxKeys: 4 });
    const value = fc.oneof(fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }).filter((d) => !Object.is(d, -0)));
    const sample = fc.record({ name, labels, value, timestampMs: fc.option(fc.integer({ min: 0, max: 2 ** 45 })) });
    const style = fc.record({ separator: fc.constantFrom(',', ', ', ' , '), around: fc.constantFrom('', ' ', '\t'), trailingComma: fc.boolean(), reverse: fc.boolean() });
    fc.assert(
      fc.property(fc.array(fc.tuple(sample, style), { maxLength: 30 }), fc.boolean(), (rows, crlf) => {
        const lines = rows.map(([s, st]) => {
          const pairs = Object.entries(s.labels).map(([k, v]) => `${k}${st.around}=${st.around}"${escape(v)}"`);
          if (st.reverse) pairs.reverse();
          const braces = pairs.length === 0 && !st.trailingComma ? '' : `{${st.around}${pairs.join(st.separator)}${st.trailingComma && pairs.length > 0 ? ',' : ''}${st.around}}`;
          return `${s.name}${braces} ${s.value}${s.timestampMs === null ? '' : ` ${s.timestampMs}`}`;
        });
        const parsed = parsePrometheusText(lines.join(crlf ? '\r\n' : '\n'));

        const firsts = new Map<string, (typeof rows)[number][0]>();
        for (const [s] of rows) {
          const key = JSON.stringify([s.name, Object.entries(s.labels).sort(([a], [b]) => (a < b ? -1 : 1))]);
          if (!firsts.has(key)) firsts.set(key, s);
        }
        const expected = [...firsts.values()];
        const byFamily = expected.map((s) => s.name).filter((n, i, all) => all.indexOf(n) === i);
        expect(parsed.families.map((f) => f.name)).toEqual(byFamily);
        const actual = parsed.families.flatMap((f) => f.samples);
        const ordered = byFamily.flatMap((n) => expected.filter((s) => s.name === n));
        expect(actual.map((s) => [s.name, s.labels, s.value, s.timestampMs])).toEqual(ordered.map((s) => [s.name, s.labels, s.value, s.timestampMs]));
        expect(parsed.duplicates).toBe(rows.length - expected.length);
        expect(parsed.skippedLines).toBe(0);
      }),
      { numRuns: 1000 },
    );
  });
});

function escape(value: string): string {
  return value.replace(/[\\"\n]/g, (c) => (c === '\n' ? '\\n' : `\\${c}`));
}
