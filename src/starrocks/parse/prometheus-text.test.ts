/**
 * parsePrometheusText against the edge cases of monitoring-anchors.md §4 (row numbers in the
 * case names), StarRocks' own quirks, and every real capture.
 */
import fc from 'fast-check';
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parsePrometheusText } from './prometheus-text.js';

const one = (text: string) => {
  const parsed = parsePrometheusText(text);
  return { parsed, samples: parsed.families.flatMap((f) => f.samples) };
};

describe('parsePrometheusText: the edge-case table', () => {
  it('1: a missing final newline is fine', () => {
    expect(one('a 1\nb 2').samples.map((s) => [s.name, s.value])).toEqual([['a', 1], ['b', 2]]);
  });

  it('2: CRLF is stripped and reported once', () => {
    const { parsed, samples } = one('# TYPE a counter\r\na 1\r\nb{x="y"} 2\r\n');
    expect(samples.map((s) => s.value)).toEqual([1, 2]);
    expect(parsed.family('a')?.type).toBe('counter');
    expect(parsed.warnings.filter((w) => w.kind === 'crlf')).toHaveLength(1);
    expect(parsed.skippedLines).toBe(0);
  });

  it('3: blank lines, surrounding whitespace and whitespace inside braces', () => {
    const { samples } = one('\n\n   m {  quantile = "0.25" , a="b" }   7  \n\t\n');
    expect(samples).toEqual([{ name: 'm', labels: { quantile: '0.25', a: 'b' }, value: 7, timestampMs: null }]);
  });

  it('4: #HELP without a space and other # lines are comments', () => {
    const { parsed } = one('#HELP a not help\n# random comment\n# EOF\na 1\n');
    expect(parsed.family('a')?.help).toBeNull();
    expect(parsed.skippedLines).toBe(0);
  });

  it('5: HELP may be empty (StarRocks writes a trailing space) and unescapes \\\\ and \\n only', () => {
    const { parsed } = one('# HELP s \n# TYPE s summary\n# HELP h a\\\\b\\nc\\t\nh 1\n');
    expect(parsed.family('s')?.help).toBe('');
    expect(parsed.family('h')?.help).toBe('a\\b\nc\\t');
  });

  it('6: TYPE values, case-insensitive; an unknown type is reported and the family stays untyped', () => {
    const { parsed } = one('# TYPE a GAUGE\n# TYPE b histogramm\na 1\nb 2\n');
    expect(parsed.family('a')?.type).toBe('gauge');
    expect(parsed.family('b')?.type).toBe('untyped');
    expect(parsed.warnings.map((w) => w.kind)).toEqual(['bad_type']);
  });

  it('7: a family split across the output stays one family with its TYPE', () => {
    const text = [
      '# HELP t_num count of table', '# TYPE t_num gauge', 't_num{db_name="a"} 3',
      '# HELP t_size size', '# TYPE t_size gauge', 't_size{db_name="a"} 10',
      't_num{db_name="b"} 5', 't_size{db_name="b"} 20',
    ].join('\n');
    const { parsed } = one(text);
    expect(parsed.families.map((f) => f.name)).toEqual(['t_num', 't_size']);
    expect(parsed.family('t_num')?.samples.map((s) => s.value)).toEqual([3, 5]);
    expect(parsed.family('t_num')?.type).toBe('gauge');
  });

  it('8: label escapes \\\\ \\" \\n, other pairs kept verbatim', () => {
    const { samples } = one('m{a="x\\\\y", b="say \\"hi\\"", c="l1\\nl2", d="C:\\temp"} 1\n');
    expect(samples[0]?.labels).toEqual({ a: 'x\\y', b: 'say "hi"', c: 'l1\nl2', d: 'C:\\temp' });
  });

  it('9: a trailing comma and {} are allowed; a bare label name is not', () => {
    const { parsed, samples } = one('a{x="1",} 1\nb{} 2\nc{x} 3\nd{x=} 4\n');
    expect(samples.map((s) => s.name)).toEqual(['a', 'b']);
    expect(parsed.skippedLines).toBe(2);
    expect(parsed.warnings.every((w) => w.kind === 'bad_labels')).toBe(true);
  });

  it('10: quoted UTF-8 names', () => {
    const { samples } = one('{"http.server.requests","http.request.method"="get"} 1\n');
    expect(samples[0]).toMatchObject({ name: 'http.server.requests', labels: { 'http.request.method': 'get' }, value: 1 });
  });

  it('11: values: exponents, Java doubles, NaN and ±Inf in any case; hex and _ rejected', () => {
    const { parsed, samples } = one('a 1.2345678E7\nb -3e-2\nc NaN\nd Nan\ne +Inf\nf -inf\ng Inf\nh 0x1F\ni 1_000\nj 5\n');
    const values = Object.fromEntries(samples.map((s) => [s.name, s.value]));
    expect(values).toMatchObject({ a: 12345678, b: -0.03, e: Infinity, f: -Infinity, g: Infinity, j: 5 });
    expect(Number.isNaN(values.c)).toBe(true);
    expect(Number.isNaN(values.d)).toBe(true);
    expect(parsed.warnings.map((w) => [w.kind, w.text])).toEqual([['bad_value', 'h 0x1F'], ['bad_value', 'i 1_000']]);
  });

  it('12: optional timestamps: integer ms, or OpenMetrics float seconds', () => {
    const { samples } = one('a 1 1700000000123\nb 2 1520879607.789\nc 3\n');
    expect(samples.map((s) => s.timestampMs)).toEqual([1700000000123, 1520879607789, null]);
  });

  it('13: histogram buckets, _sum and _count join their declared family, labels kept', () => {
    const { parsed } = one('# TYPE h histogram\nh_bucket{le="1"} 1\nh_bucket{le="+Inf"} 2\nh_sum{path="/x"} 3\nh_count{path="/x"} 2\n');
    expect(parsed.families.map((f) => f.name)).toEqual(['h']);
    expect(parsed.family('h')?.samples.map((s) => [s.name, s.labels])).toEqual([
      ['h_bucket', { le: '1' }], ['h_bucket', { le: '+Inf' }], ['h_sum', { path: '/x' }], ['h_count', { path: '/x' }],
    ]);
  });

  it('14: labelled summaries keep their labels (the npm baseline merges them)', () => {
    const text = '# HELP mv_latency \n# TYPE mv_latency summary\nmv_latency{quantile="0.75", mv_db_name="db1"} 12.0\nmv_latency{quantile="0.75", mv_db_name="db2"} 30.0\nmv_latency_sum{mv_db_name="db1"} 5.0\nmv_latency_count{mv_db_name="db1"} 2\n';
    const { parsed } = one(text);
    expect(parsed.family('mv_latency')?.samples.map((s) => s.labels.mv_db_name)).toEqual(['db1', 'db2', 'db1', 'db1']);
    expect(Number.isNaN(one('# TYPE s summary\ns{quantile="0.5"} NaN\n').samples[0]?.value)).toBe(true);
  });

  it('15 and 17: counters without _total; _sum/_count never joined by suffix alone', () => {
    const { parsed } = one('# TYPE starrocks_fe_query_timeout counter\nstarrocks_fe_query_timeout 3\nx_sum 1\nx_count 2\n');
    expect(parsed.family('starrocks_fe_query_timeout')?.type).toBe('counter');
    expect(parsed.families.map((f) => [f.name, f.type])).toContainEqual(['x_sum', 'untyped']);
    expect(parsed.families.map((f) => [f.name, f.type])).toContainEqual(['x_count', 'untyped']);
  });

  it('16: duplicate series: the first is kept, the rest counted', () => {
    const { parsed, samples } = one('a{x="1"} 1\na{x="1"} 9\na{x="2"} 2\nb 1\nb 5\n');
    expect(samples.map((s) => s.value)).toEqual([1, 2, 1]);
    expect(parsed.duplicates).toBe(2);
  });

  it('garbage lines are skipped and counted, never fatal; a warning list stays bounded', () => {
    const { parsed, samples } = one('a 1\nthis is not a metric\n<html>\nb 2 3 4\n{unclosed="x" 1\nc 3\n');
    expect(samples.map((s) => s.name)).toEqual(['a', 'c']);
    expect(parsed.skippedLines).toBe(4);
    const flood = parsePrometheusText('?\n'.repeat(10_000));
    expect(flood.skippedLines).toBe(10_000);
    expect(flood.warnings.length).toBeLessThanOrEqual(100);
  });
});

describe('parsePrometheusText: StarRocks layout', () => {
  it('reads the JVM and node_info headers with their double space, and ", " label separators', () => {
    const text = '# HELP  jvm_heap_size_bytes jvm heap stat\n# TYPE  jvm_heap_size_bytes gauge\njvm_heap_size_bytes{type="max"} 8589934592\n# TYPE  node_info gauge\nnode_info{type="fe_node_num", state="total"} 3\nnode_info{type="is_master"} 1\n';
    const { parsed } = one(text);
    expect(parsed.family('jvm_heap_size_bytes')).toMatchObject({ type: 'gauge', help: 'jvm heap stat' });
    expect(parsed.family('node_info')?.samples.map((s) => s.labels)).toEqual([{ type: 'fe_node_num', state: 'total' }, { type: 'is_master' }]);
  });

  it('parses every real capture without losing a sample line', () => {
    const dir = new URL('../../../../shared/fixtures/starrocks/real/', import.meta.url);
    const files = readdirSync(dir).filter((f) => f.endsWith('.prom'));
    expect(files.length).toBeGreaterThanOrEqual(4);
    for (const file of files) {
      const text = readFileSync(new URL(file, dir), 'utf8');
      const sampleLines = text.split('\n').filter((l) => l.trim() !== '' && !l.startsWith('#')).length;
      const parsed = parsePrometheusText(text);
      expect(parsed.sampleCount + parsed.duplicates, file).toBe(sampleLines);
      expect(parsed.skippedLines, file).toBe(0);
    }
  });

  it('never throws, whatever the input', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), (text) => {
        const parsed = parsePrometheusText(text);
        expect(parsed.sampleCount).toBeGreaterThanOrEqual(0);
      }),
      { numRuns: 2000 },
    );
  });
});
