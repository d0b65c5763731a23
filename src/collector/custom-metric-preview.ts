/**
 * What a custom metric gives on a cluster now, before it is saved: the cluster is scraped as a
 * collection scrapes it (scrapeCluster, the cluster's own client and limits), asking every FE
 * and, for a `be` metric, every BE/CN, whatever `[metrics] sources` says (a warning says when the
 * collector would not read them); the evaluator then computes the value the collector would
 * store. A `rate` or `delta` needs two readings: the preview takes a second one
 * PREVIEW_RATE_GAP_MS after the first and gives the value over that gap, so the user sees a
 * number, not a null they would have to explain. Each node's matched series are given with the
 * value of the last reading.
 */
import type { OptionalSource } from '../config/schema.js';
import type { CustomMetric } from '../shared/custom-metrics.js';
import type { RawScrape } from './raw-scrape.js';
import type { ScrapeSources } from './scrape-cluster.js';
import { CustomCounterMemory, type CustomMetricNodes, customMetricValues, matchingSeries, type NodeMetrics } from './custom-metric-values.js';
import { MetricReader } from './metric-reader.js';

export const PREVIEW_RATE_GAP_MS = 2_000;

export interface PreviewNode {
  /** `host:port`. */
  readonly node: string;
  readonly role: 'fe' | 'be';
  /** The FE that leads (the one a `fe_leader` metric reads). */
  readonly leader: boolean;
  /** False: the node does not print the family. */
  readonly hasFamily: boolean;
  readonly series: readonly { readonly labels: Readonly<Record<string, string>>; readonly value: number }[];
}

export interface CustomMetricPreview {
  readonly value: number | null;
  /** 1 for a gauge; 2 for a rate or delta (the value is over the gap between them). */
  readonly readings: number;
  /** Seconds between the two readings; null with one. */
  readonly gapSeconds: number | null;
  /** The nodes of the metric's source that answered, with the series it matched on each. */
  readonly nodes: readonly PreviewNode[];
  readonly warnings: readonly string[];
  /** The sources that failed in the (last) scrape: `metrics 10.0.0.1:8030: timeout`. */
  readonly failures: readonly string[];
}

/** The nodes of one scrape as the evaluator reads them; the leader as the snapshot builder finds it (its own /metrics first, then the frontends list). */
export function customMetricNodesOf(raw: RawScrape): CustomMetricNodes & { readonly bes: readonly NodeMetrics[] } {
  const fes: NodeMetrics[] = raw.fes.map((fe) => ({ node: fe.key, metrics: fe.metrics, at: fe.atMs }));
  const claimed = raw.fes.findIndex((fe) => new MetricReader(fe.metrics, raw.engine).claimsLeadership());
  const leader = fes[claimed >= 0 ? claimed : raw.fes.findIndex((fe) => fe.leaderInList)] ?? null;
  const bes: NodeMetrics[] = (raw.bes ?? []).map((be) => ({ node: be.key, metrics: be.metrics, at: be.atMs }));
  return { fes, leader, bes };
}

/** The scrape options a preview of `metric` needs: every FE, the BEs for a `be` metric, the per-table families for a `table_metrics` one. */
export function previewSources(metric: CustomMetric): ScrapeSources {
  return { scrapeFollowers: true, scrapeBackends: metric.source === 'be', runtimeInfo: false, tableMetrics: metric.table_metrics };
}

export async function previewCustomMetric(
  metric: CustomMetric,
  scrape: () => Promise<RawScrape>,
  options: { readonly sourcesInEffect: ReadonlySet<OptionalSource>; readonly sleep: (ms: number) => Promise<void> },
): Promise<CustomMetricPreview> {
  const memory = new CustomCounterMemory();
  const first = await scrape();
  let last = first;
  let gapSeconds: number | null = null;
  const warnings: string[] = [];
  if (metric.kind !== 'gauge') {
    // The first reading only fills the counter memory; the value is the increase to the second.
    customMetricValues([metric], customMetricNodesOf(first), memory);
    await options.sleep(PREVIEW_RATE_GAP_MS);
    last = await scrape();
    gapSeconds = (last.collectedAt - first.collectedAt) / 1000;
  }
  const nodes = customMetricNodesOf(last);
  const result = customMetricValues([metric], nodes, memory);
  warnings.push(...result.warnings);
  if (metric.source === 'be' && !options.sourcesInEffect.has('be_metrics')) {
    warnings.push('the be_metrics source is off for this cluster (its sources, or [metrics] sources): the collector does not scrape the BEs, so this metric stays null until it is on');
  }
  if (metric.source === 'fe' && !options.sourcesInEffect.has('follower_metrics') && nodes.fes.length > 1) {
    warnings.push('the follower_metrics source is off for this cluster (its sources, or [metrics] sources): the collector reads the configured FE only, so its value will cover that FE alone');
  }
  const scraped = metric.source === 'be' ? nodes.bes : metric.source === 'fe' ? nodes.fes : nodes.leader === null ? [] : [nodes.leader];
  if (metric.source === 'fe_leader' && nodes.leader === null) warnings.push('no FE answering says it leads: a fe_leader metric has no value');
  return {
    value: result.values[metric.name] ?? null,
    readings: metric.kind === 'gauge' ? 1 : 2,
    gapSeconds,
    nodes: scraped.map((n) => {
      const series = matchingSeries(metric, n.metrics);
      return {
        node: n.node,
        role: metric.source === 'be' ? 'be' : 'fe',
        leader: n === nodes.leader,
        hasFamily: series !== undefined,
        series: (series ?? []).map((s) => ({ labels: { ...s.labels }, value: s.value })),
      };
    }),
    warnings,
    failures: last.failures.map((f) => `${f.source}: ${f.kind}: ${f.message}`),
  };
}
