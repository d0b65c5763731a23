import { describe, expect, it } from 'vitest';
import { CustomMetricInput, type CustomMetricSource } from '../shared/custom-metrics.js';
import { parsePrometheusText } from '../starrocks/parse/prometheus-text.js';
import { CustomCounterMemory, customMetricValues, type NodeMetrics } from './custom-metric-values.js';

const T0 = Date.UTC(2026, 11, 3, 12, 0, 0);
const node = (name: string, text: string, at = T0): NodeMetrics => ({ node: name, metrics: parsePrometheusText(text), at });
const metric = (source: CustomMetricSource) => CustomMetricInput.parse(source);

const threads = (count: number, peak: number) => `# TYPE jvm_thread gauge\njvm_thread{type="count"} ${count}\njvm_thread{type="peak"} ${peak}\njvm_thread{type="daemon"} 3\n`;
const loads = (a: number, b: number) => `# TYPE load_rows counter\nload_rows{db="sales",table="orders"} ${a}\nload_rows{db="sales",table="items"} ${b}\n`;

describe('custom metric values', () => {
  it('aggregate the matching series across the source’s nodes: sum, avg, max, min, with equality and regex matchers', () => {
    const fes = [node('fe1:8030', threads(10, 40)), node('fe2:8030', threads(30, 50))];
    const of = (aggregate: 'sum' | 'avg' | 'max' | 'min', labels: Record<string, string>) =>
      customMetricValues([metric({ name: 'x', source: 'fe', family: 'jvm_thread', labels, aggregate })], { fes, leader: fes[0]!, bes: [] }, new CustomCounterMemory()).values.x;
    expect(of('max', { type: 'count' })).toBe(30);
    expect(of('sum', { type: 'count' })).toBe(40);
    expect(of('avg', { type: 'count' })).toBe(20);
    expect(of('min', { type: '~count|peak' })).toBe(10);
    expect(of('max', { type: '~count|peak' })).toBe(50);
    // The regex matches the whole value, as PromQL's =~.
    expect(of('sum', { type: '~coun' })).toBeNull();
  });

  it('read the leader only for fe_leader, and BEs for be', () => {
    const fes = [node('fe1:8030', threads(10, 40)), node('fe2:8030', threads(30, 50))];
    const bes = [node('be1:8040', threads(7, 9))];
    const values = customMetricValues(
      [metric({ name: 'leader_threads', source: 'fe_leader', family: 'jvm_thread', labels: { type: 'count' } }), metric({ name: 'be_threads', source: 'be', family: 'jvm_thread', labels: { type: 'count' } })],
      { fes, leader: fes[1]!, bes },
      new CustomCounterMemory(),
    ).values;
    expect(values).toEqual({ leader_threads: 30, be_threads: 7 });
  });

  it('count a family’s total alone where a node prints one beside its breakdowns', () => {
    const text = '# TYPE query_total counter\nquery_total 100\nquery_total{user="a"} 60\nquery_total{user="b"} 40\n';
    const values = customMetricValues([metric({ name: 'q', source: 'fe', family: 'query_total' })], { fes: [node('fe1:8030', text)], leader: null, bes: [] }, new CustomCounterMemory()).values;
    expect(values.q).toBe(100);
  });

  it('give rates and deltas per series over each node’s own interval, a decrease read as a reset; null on the first collection', () => {
    const memory = new CustomCounterMemory();
    const defs = [metric({ name: 'rows_per_s', source: 'be', family: 'load_rows', kind: 'rate' }), metric({ name: 'rows', source: 'be', family: 'load_rows', kind: 'delta' })];
    const at = (be1: string, be2: string, t1: number, t2: number) => ({ fes: [], leader: null, bes: [node('be1:8040', be1, t1), node('be2:8040', be2, t2)] });
    expect(customMetricValues(defs, at(loads(100, 10), loads(5, 5), T0, T0), memory).values).toEqual({ rows_per_s: null, rows: null });
    // be1 answered 30 s later, be2 60 s later; be2's first series was reset (restart) to 4.
    const second = customMetricValues(defs, at(loads(400, 40), loads(4, 65), T0 + 30_000, T0 + 60_000), memory).values;
    expect(second.rows).toBe(300 + 30 + 4 + 60);
    expect(second.rows_per_s).toBeCloseTo(300 / 30 + 30 / 30 + 4 / 60 + 60 / 60, 9);
  });

  it('take a value from the nodes that print the family, say which did not, and give null when none did', () => {
    const fes = [node('fe1:8030', threads(10, 40)), node('fe2:8030', '# TYPE other gauge\nother 1\n')];
    const one = customMetricValues([metric({ name: 't', source: 'fe', family: 'jvm_thread', labels: { type: 'count' } })], { fes, leader: null, bes: [] }, new CustomCounterMemory());
    expect(one.values.t).toBe(10);
    expect(one.warnings).toEqual(['custom metric t: jvm_thread missing on fe2:8030; the value is from the other 1']);
    const none = customMetricValues([metric({ name: 'n', source: 'fe', family: 'nope' })], { fes, leader: null, bes: [] }, new CustomCounterMemory());
    expect(none.values.n).toBeNull();
    expect(none.warnings).toEqual(['custom metric n: no fe node printed nope']);
  });

  it('refuse a definition that cannot work, naming the key', () => {
    const issues = (source: unknown) => {
      const parsed = CustomMetricInput.safeParse(source);
      return parsed.success ? [] : parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    };
    expect(issues({ name: 'qps', source: 'fe', family: 'x' })).toEqual(['name: is the name of a built-in field (docs/metrics.md); choose another']);
    expect(issues({ name: 'Bad-Name', source: 'fe', family: 'x' })[0]).toMatch(/^name: must be snake_case/);
    expect(issues({ name: 'a', source: 'cn', family: 'x' })[0]).toMatch(/^source: /);
    expect(issues({ name: 'a', source: 'fe', family: 'x y' })[0]).toMatch(/^family: must be a Prometheus metric name/);
    expect(issues({ name: 'a', source: 'fe', family: 'x', labels: { type: '~(' } })[0]).toMatch(/^labels\.type: "\(" is not a regular expression/);
    expect(issues({ name: 'a', source: 'fe', family: 'x', kind: 'counter' })[0]).toMatch(/^kind: /);
  });
});

describe('custom metric values without their source', () => {
  it('give null and say how to get one: a be metric without BE scraping, a fe_leader metric without the leader', () => {
    const fes = [node('fe1:8030', threads(10, 40))];
    const result = customMetricValues(
      [metric({ name: 'be_threads', source: 'be', family: 'jvm_thread' }), metric({ name: 'leader_threads', source: 'fe_leader', family: 'jvm_thread' })],
      { fes, leader: null, bes: null },
      new CustomCounterMemory(),
    );
    expect(result.values).toEqual({ be_threads: null, leader_threads: null });
    expect(result.warnings).toEqual([
      'custom metric be_threads: its source is be, but BEs are not scraped; turn on the be_metrics source ([metrics] sources)',
      'custom metric leader_threads: the leader FE was not scraped in this collection',
    ]);
  });

  it('leave the memory a copy was made of as it was: a collection not stored does not advance the counters', () => {
    const memory = new CustomCounterMemory();
    const defs = [metric({ name: 'rows', source: 'be', family: 'load_rows', kind: 'delta' })];
    const at = (a: number, t: number) => ({ fes: [], leader: null, bes: [node('be1:8040', loads(a, 0), t)] });
    customMetricValues(defs, at(100, T0), memory);
    // Computed on a copy (the write failed): the next collection counts from the stored one.
    customMetricValues(defs, at(150, T0 + 30_000), memory.copy());
    expect(customMetricValues(defs, at(180, T0 + 60_000), memory).values.rows).toBe(80);
  });
});
