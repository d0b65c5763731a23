/**
 * deploy/grafana/stellar-fleet.json queries only what Stellar exports: every metric name in a
 * panel's query or a variable's query is a family of /federate (from the field catalogue) or of
 * /metrics (as its registry renders it), so a renamed field or metric fails here, not on a
 * user's dashboard. The two endpoints' names never collide either, and docs/prometheus.md lists
 * every family of /metrics.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CLUSTER_FAMILIES } from '../../src/api/telemetry/cluster-figures.js';
import { federatedFields, federatedName } from '../../src/api/telemetry/federation.js';
import { ServiceTelemetry } from '../../src/api/telemetry/service-telemetry.js';
import type { SnapshotValues } from '../../src/shared/snapshot-fields.js';
import { SNAPSHOT_FIELDS } from '../../src/shared/snapshot-fields.js';
import { parsePrometheusText } from '../../src/starrocks/parse/prometheus-text.js';
import { openSqlite } from '../../src/storage/dialect/sqlite/sqlite-dialect.js';

interface Panel {
  readonly title?: string;
  readonly type: string;
  readonly targets?: ReadonlyArray<{ readonly expr?: string }>;
  readonly panels?: readonly Panel[];
}

interface Dashboard {
  readonly panels: readonly Panel[];
  readonly templating: { readonly list: ReadonlyArray<{ readonly name: string; readonly type: string; readonly query?: string | { readonly query: string } }> };
}

const dashboard = JSON.parse(readFileSync(new URL('../../deploy/grafana/stellar-fleet.json', import.meta.url), 'utf8')) as Dashboard;

/** Every query of the dashboard, with where it is. */
function queries(): Array<{ where: string; expr: string }> {
  const found: Array<{ where: string; expr: string }> = [];
  const walk = (panels: readonly Panel[]) => {
    for (const panel of panels) {
      for (const target of panel.targets ?? []) if (target.expr !== undefined) found.push({ where: `panel "${panel.title ?? ''}"`, expr: target.expr });
      walk(panel.panels ?? []);
    }
  };
  walk(dashboard.panels);
  for (const variable of dashboard.templating.list) {
    if (variable.type !== 'query' || variable.query === undefined) continue;
    found.push({ where: `variable ${variable.name}`, expr: typeof variable.query === 'string' ? variable.query : variable.query.query });
  }
  return found;
}

const PROMQL_WORDS = new Set(['by', 'without', 'on', 'ignoring', 'group_left', 'group_right', 'bool', 'and', 'or', 'unless', 'offset', 'inf', 'nan']);

/** The metric names a PromQL expression reads: what is left once strings, label matchers, grouping clauses, ranges, functions and numbers are taken out. */
function metricNames(expr: string): string[] {
  const bare = expr
    .replace(/"(?:[^"\\]|\\.)*"/g, '""')
    .replace(/\{[^}]*\}/g, ' ')
    .replace(/\b(?:by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, ' ')
    .replace(/\[[^\]]*\]/g, ' ')
    .replace(/\$\{?\w+\}?/g, ' ');
  // label_values(metric, label): the label is not a metric.
  const labelValues = /label_values\(\s*([a-zA-Z_:][\w:]*)\s*,\s*\w+\s*\)/.exec(bare);
  if (labelValues) return [labelValues[1] ?? ''];
  return [...bare.matchAll(/([a-zA-Z_:][\w:]*)(\s*\()?/g)].filter((m) => m[2] === undefined && !PROMQL_WORDS.has(m[1]?.toLowerCase() ?? '') && !/^\d/.test(m[1] ?? '')).map((m) => m[1] ?? '');
}

/** The sample names /metrics renders (histogram buckets, sums and counts too), after a collection and a request were observed. */
async function metricsNames(): Promise<Set<string>> {
  const storage = openSqlite(':memory:');
  try {
    const telemetry = new ServiceTelemetry({ db: storage.db, dialect: storage.dialect, schedule: () => new Map(), maxConcurrency: () => 4 });
    telemetry.collected({ clusterId: 1, clusterName: 'c', collectedAt: 0, status: 'ok', durationMs: 1, failures: [], values: {} as SnapshotValues, frontendsScraped: 1, metricsBytes: 1, metricsSeries: 1, writeMs: 1, custom: {} });
    telemetry.observeRequest('GET', '/api/fleet/overview', 200, 0.01);
    const parsed = parsePrometheusText(await telemetry.render());
    // The scheduler's families are rendered only for clusters it schedules: named from their one list.
    return new Set([...parsed.families.flatMap((f) => [f.name, ...f.samples.map((s) => s.name)]), ...Object.keys(CLUSTER_FAMILIES)]);
  } finally {
    await storage.close();
  }
}

const federateNames = new Set(federatedFields(SNAPSHOT_FIELDS).map(federatedName));

describe('deploy/grafana/stellar-fleet.json', () => {
  it('reads PromQL metric names as the test means to', () => {
    expect(metricNames('histogram_quantile(0.95, sum by (le, route) (rate(stellar_http_request_duration_seconds_bucket{job="x"}[5m])))')).toEqual(['stellar_http_request_duration_seconds_bucket']);
    expect(metricNames('max by (cluster) (stellar_jvm_heap_used / stellar_jvm_heap_max * 100)')).toEqual(['stellar_jvm_heap_used', 'stellar_jvm_heap_max']);
    expect(metricNames('count(stellar_cluster_up == 0) or vector(0)')).toEqual(['stellar_cluster_up']);
    expect(metricNames('label_values(stellar_cluster_up, cluster)')).toEqual(['stellar_cluster_up']);
  });

  it('queries only metrics Stellar exports at /federate or /metrics', async () => {
    const exported = new Set([...federateNames, ...(await metricsNames())]);
    const all = queries();
    expect(all.length).toBeGreaterThan(20);
    for (const { where, expr } of all) {
      const names = metricNames(expr);
      expect(names.length, `${where}: ${expr}`).toBeGreaterThan(0);
      for (const name of names) expect(exported.has(name), `${where} reads ${name}, which Stellar does not export`).toBe(true);
    }
  });

  it('uses both endpoints, and has a fleet table and a cluster variable to drill down with', () => {
    const used = queries().flatMap((q) => metricNames(q.expr));
    expect(used.some((n) => federateNames.has(n))).toBe(true);
    expect(used.some((n) => n.startsWith('stellar_cluster_') || n.startsWith('process_'))).toBe(true);
    expect(dashboard.panels.some((p) => p.type === 'table' && p.title === 'Fleet')).toBe(true);
    expect(dashboard.templating.list.map((v) => v.name)).toContain('cluster');
  });

  it('is matched by docs/prometheus.md, which lists every family of Stellar’s own in /metrics', async () => {
    const doc = readFileSync(new URL('../../docs/prometheus.md', import.meta.url), 'utf8');
    const own = [...(await metricsNames())].filter((n) => n.startsWith('stellar_') && !/_(bucket|sum|count)$/.test(n));
    expect(own.length).toBeGreaterThan(15);
    for (const name of own) expect(doc, name).toMatch(new RegExp(`\`${name}(\\{[^\`]*\\})?\``));
  });

  it('keeps the names of /federate and /metrics apart', async () => {
    const own = await metricsNames();
    expect([...federateNames].filter((n) => own.has(n))).toEqual([]);
  });
});
