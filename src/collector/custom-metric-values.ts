/**
 * What each custom metric (src/shared/custom-metrics.ts) gives on one collection's scrapes, by
 * the rules the built-in fields follow: the matching series of the family on each node of its
 * source (a node that prints the family's total, a series with no label beyond the matchers,
 * counts that alone: the others are its breakdowns); for `rate` and `delta`, each series'
 * increase since the previous collection on its own node, over that node's own seconds between
 * its two answers, a decrease read as a counter reset; then the aggregate across all of them.
 * A family missing on some nodes gives a value from the others and a warning; missing on every
 * node, or no series old enough for a rate, gives null, never 0. Pure, but for the counter
 * memory the caller keeps per cluster between collections.
 */
import type { CustomMetric } from '../shared/custom-metrics.js';
import type { ParsedMetrics, Sample } from '../starrocks/parse/prometheus-text.js';

/** One node's `/metrics` as scraped: where it came from and when it answered. */
export interface NodeMetrics {
  /** `host:port`, stable between collections: the counter memory's key. */
  readonly node: string;
  readonly metrics: ParsedMetrics;
  /** When the node's answer was read, ms. */
  readonly at: number;
}

export interface CustomMetricNodes {
  /** Every alive FE scraped. */
  readonly fes: readonly NodeMetrics[];
  /** The FE that leads, when it was scraped. */
  readonly leader: NodeMetrics | null;
  /** Every alive BE/CN scraped; null when the be_metrics source is off (a `be` metric then says so). */
  readonly bes: readonly NodeMetrics[] | null;
}

/** Counter values from the previous collection, per metric, node and series; one per cluster. */
export class CustomCounterMemory {
  #values = new Map<string, { value: number; at: number }>();

  /** The increase since the previous reading of `key` (reset-aware) and the seconds between the two; undefined on the first. */
  step(key: string, value: number, at: number, next: Map<string, { value: number; at: number }>): { increase: number; seconds: number } | undefined {
    next.set(key, { value, at });
    const previous = this.#values.get(key);
    if (previous === undefined || at <= previous.at) return undefined;
    return { increase: value >= previous.value ? value - previous.value : value, seconds: (at - previous.at) / 1000 };
  }

  /** A copy to compute a collection on: the collector keeps it only once the collection is stored. */
  copy(): CustomCounterMemory {
    const copy = new CustomCounterMemory();
    copy.#values = this.#values;
    return copy;
  }

  /** Keeps only what this collection read: a series that vanished starts again from scratch when it returns. */
  replace(next: Map<string, { value: number; at: number }>): void {
    this.#values = next;
  }
}

interface Matcher {
  readonly key: string;
  readonly test: (value: string) => boolean;
}

const compiled = new WeakMap<CustomMetric, readonly Matcher[]>();

function matchersOf(metric: CustomMetric): readonly Matcher[] {
  let matchers = compiled.get(metric);
  if (matchers === undefined) {
    matchers = Object.entries(metric.labels).map(([key, wanted]) => {
      if (!wanted.startsWith('~')) return { key, test: (v: string) => v === wanted };
      const pattern = new RegExp(`^(?:${wanted.slice(1)})$`);
      return { key, test: (v: string) => pattern.test(v) };
    });
    compiled.set(metric, matchers);
  }
  return matchers;
}

/**
 * The node's series of the metric: the totals when the node prints them (matching series with
 * no label beyond the matched ones: one per value a regex matcher lets through), else every
 * matching series.
 */
function seriesOn(metric: CustomMetric, metrics: ParsedMetrics): Sample[] | undefined {
  const family = metrics.family(metric.family);
  if (family === undefined) return undefined;
  const matchers = matchersOf(metric);
  const matching = family.samples.filter((s) => s.name === metric.family && matchers.every((m) => s.labels[m.key] !== undefined && m.test(s.labels[m.key]!)));
  const totals = matching.filter((s) => Object.keys(s.labels).length === matchers.length);
  return totals.length > 0 ? totals : matching;
}

const labelKey = (sample: Sample): string =>
  Object.keys(sample.labels)
    .sort()
    .map((k) => `${k}=${sample.labels[k]}`)
    .join(',');

function aggregate(how: CustomMetric['aggregate'], values: readonly number[]): number | null {
  if (values.length === 0) return null;
  switch (how) {
    case 'sum':
      return values.reduce((a, b) => a + b, 0);
    case 'avg':
      return values.reduce((a, b) => a + b, 0) / values.length;
    case 'max':
      return Math.max(...values);
    case 'min':
      return Math.min(...values);
  }
}

/**
 * Why an FE asked `?with_table_metrics=minified` (answered, status 200) printed no such family:
 * it leaves them out, saying nothing, for a user without the privilege, and drops every counter
 * that is 0. Every FE is asked as the same user, so where some print it, the zeros are the likely cause.
 */
const TABLE_METRICS_LEFT_OUT =
  ' (a per-table family: the FE prints it only to a user who is root or holds db_admin and user_admin (older builds: ADMIN), and leaves it out silently for any other; with with_table_metrics=minified, a table whose counter is 0 is not printed either)';
const TABLE_METRICS_ZERO = ' (a per-table family: with with_table_metrics=minified, an FE prints no table whose counter is 0)';

export function customMetricValues(metrics: readonly CustomMetric[], nodes: CustomMetricNodes, memory: CustomCounterMemory): { values: Record<string, number | null>; warnings: string[] } {
  const values: Record<string, number | null> = {};
  const warnings: string[] = [];
  const next = new Map<string, { value: number; at: number }>();
  for (const metric of metrics) {
    if (metric.source === 'be' && nodes.bes === null) {
      warnings.push(`custom metric ${metric.name}: its source is be, but BEs are not scraped; turn on the be_metrics source ([metrics] sources)`);
      values[metric.name] = null;
      continue;
    }
    if (metric.source === 'fe_leader' && nodes.leader === null) {
      warnings.push(`custom metric ${metric.name}: the leader FE was not scraped in this collection`);
      values[metric.name] = null;
      continue;
    }
    const scraped = metric.source === 'fe' ? nodes.fes : metric.source === 'be' ? (nodes.bes ?? []) : nodes.leader === null ? [] : [nodes.leader];
    const found: number[] = [];
    const missing: string[] = [];
    for (const node of scraped) {
      const series = seriesOn(metric, node.metrics);
      if (series === undefined) {
        missing.push(node.node);
        continue;
      }
      for (const sample of series) {
        if (metric.kind === 'gauge') {
          found.push(sample.value);
          continue;
        }
        const step = memory.step(`${metric.name}|${node.node}|${labelKey(sample)}`, sample.value, node.at, next);
        if (step !== undefined) found.push(metric.kind === 'rate' ? step.increase / step.seconds : step.increase);
      }
    }
    if (missing.length > 0) {
      warnings.push(
        missing.length === scraped.length
          ? `custom metric ${metric.name}: no ${metric.source} node printed ${metric.family}${metric.table_metrics ? TABLE_METRICS_LEFT_OUT : ''}`
          : `custom metric ${metric.name}: ${metric.family} missing on ${missing.join(', ')}; the value is from the other ${scraped.length - missing.length}${metric.table_metrics ? TABLE_METRICS_ZERO : ''}`,
      );
    }
    values[metric.name] = aggregate(metric.aggregate, found);
  }
  memory.replace(next);
  return { values, warnings };
}

/** The series a metric reads on one node (its totals when printed, else every match); undefined when the node lacks the family. For the preview's table. */
export { seriesOn as matchingSeries };
