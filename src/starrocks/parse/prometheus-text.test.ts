/**
 * parsePrometheusText against the edge cases of the text format (the number in a case name
 * groups the cases of one rule, as in prometheus/prometheus `model/textparse`), StarRocks' own quirks, the simulator's FE bodies, and every real capture.
 * Generated inputs are in prometheus-text.property.test.ts.
 */
import { readdirSync } from 'node:fs';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { readRealFixture, REAL_FIXTURES_DIR, realFixturesSkipReason } from '../../../test/helpers/fixtures.js';
import { skipNote } from '../../../test/helpers/requirements.js';
import { ClusterModel } from '../../simulator/cluster-model.js';
import { renderFeMetrics } from '../../simulator/render-fe-metrics.js';
import { hashString } from './prometheus-intern.js';
import { parsePrometheusText } from './prometheus-text.js';

const NOW = Date.UTC(2026, 10, 24, 12);

type FamilyRow = [name: string, type: string, samples: number];
const FIXTURE_FAMILIES: Record<string, { families: FamilyRow[]; skipped: number }> = {
  'be_metrics_files_scan_main_2026-01_pr68150.prom': { families: [['starrocks_be_files_table_num_bytes_read', 'counter', 15]], skipped: 0 },
  // curl's progress meter is mixed into the lines: each noisy line is skipped on its own, except the
  // two whose noise is a bare `:`, which the grammar allows at the start of a metric name.
  'fe_metrics_connection_total_per_user_v3.3.14_raw_curl.txt': { families: [[':starrocks_fe_connection_total', 'untyped', 2]], skipped: 9 },
  'fe_metrics_leader_aware_txn_main_2025-09_pr63004.prom': {
    families: [
      ['starrocks_fe_txn_failed', 'counter', 1], ['starrocks_fe_txn_success', 'counter', 1], ['starrocks_fe_txn_begin', 'counter', 1],
      ['starrocks_fe_txn_reject', 'counter', 1], ['starrocks_fe_txn_running', 'gauge', 1], ['starrocks_fe_max_tablet_compaction_score', 'gauge', 1],
      ['starrocks_fe_routine_load_max_lag_of_partition', 'gauge', 1],
    ],
    skipped: 0,
  },
  'fe_metrics_query_latency_gauges_v3.3.6.prom': { families: [['starrocks_fe_query_latency', 'gauge', 7]], skipped: 0 },
  'fe_metrics_tablet_sched_clone_main_2025-08_pr62421.prom': {
    families: [
      ['starrocks_fe_scheduled_tablet_num', 'gauge', 1], ['starrocks_fe_scheduled_pending_tablet_num', 'gauge', 2],
      ['starrocks_fe_scheduled_running_tablet_num', 'gauge', 2], ['starrocks_fe_clone_task_total', 'counter', 1],
      ['starrocks_fe_clone_task_success', 'counter', 1], ['starrocks_fe_clone_task_copy_bytes', 'counter', 2],
    ],
    skipped: 0,
  },
};

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

  it('10: quoted names in HELP and TYPE too; a plain line never takes a quoted name for its own', () => {
    const { parsed, samples } = one('# TYPE "a.b" counter\n# HELP "a.b" dotted\n{"a.b"} 1\na.b 2\n{"a.b",x="1"} 3\n');
    expect(parsed.family('a.b')).toMatchObject({ type: 'counter', help: 'dotted' });
    expect(samples.map((s) => s.value)).toEqual([1, 3]);
    expect(parsed.warnings.map((w) => [w.line, w.kind])).toEqual([[4, 'garbage']]);
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

  it('16: a duplicate is the same label set whatever the order, spacing, escaping or quoting', () => {
    const { parsed, samples } = one('m{a="1",b="x"} 1\nm{ b = "x" , a="1", } 2\nm{"a"="1",b="x"} 3\n{"m",b="x",a="1"} 4\nm{a="1"} 5\n');
    expect(samples.map((s) => s.value)).toEqual([1, 5]);
    expect(parsed.duplicates).toBe(3);
    expect(parsed.warnings.map((w) => [w.line, w.kind])).toEqual([[2, 'duplicate'], [3, 'duplicate'], [4, 'duplicate']]);
  });

  it('16: label values that share a hash are told apart, on the fast path and off it, and a repeat of either is still a duplicate', () => {
    const seen = new Map<number, string>();
    let pair: [string, string] | undefined;
    for (let i = 0; pair === undefined; i += 1) {
      const value = `v${i}`;
      const h = hashString(value);
      const other = seen.get(h);
      if (other !== undefined) pair = [other, value];
      seen.set(h, value);
    }
    const [first, second] = pair;
    // The first line sets the schema; later ones take the fast path, the spaced ones the general scanner.
    const { parsed, samples } = one(`m{a="x"} 0\nm{a="${first}"} 1\nm{a="${second}"} 2\nm{ a="${second}" } 3\nm{a="${first}"} 4\nm{ a = "${first}" } 5\n`);
    expect(samples.map((s) => s.labels.a)).toEqual(['x', first, second]);
    expect(parsed.duplicates).toBe(3);
  });

  it('16: a label set other than the name\'s first is keyed apart from it, even where the ids would line up', () => {
    // The first line sets the schema (a, b, c); the second's set is another, whose key must not be
    // mistaken for the first's: ('' , 'x', 'y') in schema order against the pair x="y".
    const { parsed, samples } = one('m{a="",b="x",c="y"} 1\nm{x="y"} 2\nm{x="y"} 3\nm{c="y",a="",b="x"} 4\n');
    expect(samples.map((s) => s.value)).toEqual([1, 2]);
    expect(parsed.duplicates).toBe(2);
  });

  it('16 and 18: many short, dynamic series (more than the table was sized for) are all told apart', () => {
    // ~15 characters a line, where the table is sized for one series per 32 characters.
    const lines = Array.from({ length: 20_000 }, (_, i) => `m{i="${i}"} ${i % 10}`);
    const parsed = parsePrometheusText([...lines, ...lines.slice(0, 100), ...lines.slice(-100)].join('\n'));
    expect(parsed.sampleCount).toBe(20_000);
    expect(parsed.duplicates).toBe(200);
    expect(parsed.family('m')?.samples[19_999]?.labels.i).toBe('19999');
  });

  it('9: labels named like Object.prototype members stay ordinary labels; a name twice is refused', () => {
    const { parsed, samples } = one('m{__proto__="p", constructor="c", toString="t"} 1\nm{a="1",a="2"} 2\n');
    expect(Object.entries(samples[0]?.labels ?? {})).toEqual([['__proto__', 'p'], ['constructor', 'c'], ['toString', 't']]);
    expect(Object.getPrototypeOf(samples[0]?.labels)).toBe(Object.prototype);
    expect(parsed.warnings.map((w) => w.kind)).toEqual(['bad_labels']);
  });

  it('6: a conflicting TYPE is refused, a repeated one is not; a TYPE after the samples still types them', () => {
    const { parsed } = one('# TYPE a gauge\na 1\n# TYPE a counter\n# TYPE a gauge\nb 1\n# TYPE b counter\n# TYPE c unknown\nc 1\n');
    expect(parsed.families.map((f) => [f.name, f.type])).toEqual([['a', 'gauge'], ['b', 'counter'], ['c', 'untyped']]);
    expect(parsed.warnings.map((w) => [w.line, w.kind])).toEqual([[3, 'bad_type']]);
    expect(parsed.skippedLines).toBe(1);
  });

  it('13 and 17: _bucket joins only a histogram, _created joins a summary, an own TYPE wins', () => {
    const text = '# TYPE s summary\ns_created 1\ns_bucket{le="1"} 1\n# TYPE s_count gauge\ns_count 5\ns_sum 2\n';
    const { parsed } = one(text);
    expect(parsed.families.map((f) => [f.name, f.type, f.samples.map((x) => x.name)])).toEqual([
      ['s', 'summary', ['s_created', 's_sum']],
      ['s_bucket', 'untyped', ['s_bucket']],
      ['s_count', 'gauge', ['s_count']],
    ]);
    expect(parsed.family('s_sum')).toBeUndefined();
  });

  it('11: the fast number path rounds exactly like Number()', () => {
    const values = ['0.1', '0.3', '1.2345678E7', '9.11703468E7', '4.35E-4', '123456789012345', '1234567890123456', '9007199254740993', '2.2250738585072014E-308', '1e22', '1e23', '-0.0', '.5', '5.', '+3.25e+2'];
    const { samples } = one(values.map((v, i) => `m{i="${i}"} ${v}`).join('\n'));
    expect(samples.map((s) => s.value)).toEqual(values.map(Number));
    expect(Object.is(samples[11]?.value, -0)).toBe(true);
  });

  it('12: a bad timestamp is a bad value; a negative millisecond one is read; an exemplar is ignored', () => {
    const { parsed, samples } = one('a 1 12x\nb 2 -5\nc 3 1700000000000 # {trace_id="t"} 1\nd 4 1.5s\n');
    expect(samples.map((s) => [s.name, s.timestampMs])).toEqual([['b', -5], ['c', 1700000000000]]);
    expect(parsed.warnings.map((w) => [w.line, w.kind])).toEqual([[1, 'bad_value'], [4, 'bad_value']]);
  });

  it('1 and 19: empty bodies, comment-only bodies and a byte-order mark', () => {
    expect(parsePrometheusText('')).toMatchObject({ families: [], sampleCount: 0, skippedLines: 0, warnings: [] });
    expect(parsePrometheusText('# just a comment\n\n# EOF').families).toEqual([]);
    expect(one('\uFEFF# TYPE a gauge\na 1').parsed.family('a')?.type).toBe('gauge');
  });

  it('20: a body cut off mid-line keeps what came before and counts the partial line, so the caller can refuse it', () => {
    const { parsed, samples } = one('# TYPE a gauge\na{x="1"} 1\na{x="2", y="');
    expect(samples.map((s) => s.value)).toEqual([1]);
    expect(parsed.skippedLines).toBe(1);
    expect(parsed.warnings.map((w) => [w.line, w.kind])).toEqual([[3, 'bad_labels']]);
  });

  it('21: a JSON body (the ?type=json endpoint) yields no samples, only skipped lines: the cue to fall back', () => {
    const parsed = parsePrometheusText('[{"tags":{"metric":"jvm_heap_size_bytes","type":"max"},"unit":"bytes","value":8589934592}]\n');
    expect(parsed).toMatchObject({ families: [], sampleCount: 0, skippedLines: 1 });
  });

  it('names, label values, help and warnings kept from a parse do not keep the payload alive', () => {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    gc();
    const before = process.memoryUsage().heapUsed;
    const kept = ((): unknown[] => {
      const padding = `# ${'x'.repeat(30_000_000)}\n`;
      const parsed = parsePrometheusText(`${padding}# HELP a_rather_long_metric_name help that is long enough\n# TYPE a_rather_long_metric_name summary\na_rather_long_metric_name{path="/a/fairly/long/label/value", "quoted.label"="another long quoted value"} 1\nbad line that is long enough to be kept\n`);
      const family = parsed.family('a_rather_long_metric_name');
      return [family?.name, family?.help, family?.samples[0]?.name, ...Object.entries(family?.samples[0]?.labels ?? {}).flat(), parsed.warnings[0]?.text];
    })();
    gc();
    expect(kept).toHaveLength(8);
    expect(process.memoryUsage().heapUsed - before).toBeLessThan(10_000_000);
  });

  it('warnings carry the 1-based line and at most 120 characters; counts stay exact past 100 warnings', () => {
    const long = `bad line ${'x'.repeat(300)}`;
    const parsed = parsePrometheusText(`a 1\r\n${long}\r\n${'?\n'.repeat(150)}`);
    expect(parsed.warnings[0]).toEqual({ line: 1, kind: 'crlf', text: 'a 1' });
    expect(parsed.warnings[1]).toEqual({ line: 2, kind: 'bad_value', text: long.slice(0, 120) });
    expect(parsed.warnings).toHaveLength(100);
    expect(parsed.skippedLines).toBe(151);
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

  it('reads a simulated 3.5 FE body: split families, duplicates, summaries with an empty HELP', () => {
    const model = new ClusterModel({ name: 'c', engine: 'starrocks', mode: 'shared_nothing', version: '3.5', fes: 3, bes: 4, seed: 11, latencyGauges: true, beMetrics: false }, 'root', '', NOW);
    const body = renderFeMetrics(model, 0, NOW, { duplicates: true, splitFamilies: true });
    const parsed = parsePrometheusText(body);
    const names = parsed.families.map((f) => f.name);
    expect(new Set(names).size).toBe(names.length);
    expect(parsed.duplicates).toBe(2);
    expect(parsed.skippedLines).toBe(0);
    const sampleLines = body.split('\n').filter((l) => l !== '' && !l.startsWith('#')).length;
    expect(parsed.sampleCount + parsed.duplicates).toBe(sampleLines);
    const dbNames = model.databases.map((d) => d.name);
    expect(parsed.family('starrocks_fe_table_num')?.samples.map((s) => s.labels.db_name)).toEqual(dbNames);
    expect(parsed.family('starrocks_fe_db_size_bytes')?.samples.map((s) => s.labels.db_name)).toEqual(dbNames);
    const summary = parsed.family('starrocks_fe_query_latency_ms');
    expect(summary).toMatchObject({ type: 'summary', help: '' });
    expect(summary?.samples.map((s) => s.labels.quantile ?? s.name)).toEqual(['0.75', '0.95', '0.98', '0.99', '0.999', 'starrocks_fe_query_latency_ms_sum', 'starrocks_fe_query_latency_ms_count']);
    expect(parsed.family('node_info')?.type).toBe('gauge');
    expect(parsed.family('jvm_heap_size_bytes')?.help).toBe('jvm heap stat');
  });
});

describe.skipIf(realFixturesSkipReason !== null)(`parsePrometheusText: the real StarRocks captures${skipNote(realFixturesSkipReason)}`, () => {
  it.each(Object.entries(FIXTURE_FAMILIES))('real capture %s: its families, types and sample counts', (file, expected) => {
    const parsed = parsePrometheusText(readRealFixture(file));
    expect(parsed.families.map((f) => [f.name, f.type, f.samples.length])).toEqual(expected.families);
    expect(parsed.skippedLines).toBe(expected.skipped);
  });

  it('every metrics capture in the fixtures folder has an expectation above, and loses no sample line', () => {
    const files = readdirSync(REAL_FIXTURES_DIR).filter((f) => f.endsWith('.prom') || /^(fe|be)_metrics_/.test(f));
    expect(files.sort()).toEqual(Object.keys(FIXTURE_FAMILIES).sort());
    for (const file of files.filter((f) => f.endsWith('.prom'))) {
      const text = readRealFixture(file);
      const sampleLines = text.split('\n').filter((l) => l.trim() !== '' && !l.startsWith('#')).length;
      const parsed = parsePrometheusText(text);
      expect(parsed.sampleCount + parsed.duplicates, file).toBe(sampleLines);
    }
  });
});
