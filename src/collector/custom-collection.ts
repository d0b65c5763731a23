/**
 * A collection's custom metrics (collector/custom-metric-values.ts) beside its built-in fields:
 * their values from the same scrapes, their warnings among the collection's failed sources, and
 * the JSON the snapshot row's `custom_values` column keeps. A warning (a family missing on some
 * node, or on all; a `be` metric without the be_metrics source) is recorded and leaves the
 * collection's status as the built-in sources made it: a definition that fits only some clusters
 * (a family a newer version prints) must not mark the others `partial`, cost them health points
 * or fire their `collect_status` alerts. Pure.
 */
import type { CustomMetric } from '../shared/custom-metrics.js';
import { type CustomCounterMemory, customMetricValues, type NodeMetrics } from './custom-metric-values.js';
import type { RawScrape, SourceFailure } from './raw-scrape.js';

/** The `source` of a custom metric's entry in failed_sources. */
export const CUSTOM_METRICS_SOURCE = 'custom_metrics';

export interface CustomCollection {
  /** Every metric given, by name: its value or null. */
  readonly values: Readonly<Record<string, number | null>>;
  /** What the `custom_values` column stores: the values as a JSON object, null when no metric is defined. */
  readonly json: string | null;
  /** The built-in failures, then one entry per custom metric warning. */
  readonly failures: readonly SourceFailure[];
  /** The counters to keep once the collection is stored; the memory given is left as it was. */
  readonly memory: CustomCounterMemory;
}

export function customValuesOf(
  metrics: readonly CustomMetric[],
  raw: Pick<RawScrape, 'fes' | 'bes'>,
  built: { readonly failures: readonly SourceFailure[] },
  memory: CustomCounterMemory,
): CustomCollection {
  if (metrics.length === 0) return { values: {}, json: null, failures: built.failures, memory };
  const fes: NodeMetrics[] = raw.fes.map((fe) => ({ node: fe.key, metrics: fe.metrics, at: fe.atMs }));
  const leader = fes[raw.fes.findIndex((fe) => fe.leaderInList)] ?? null;
  const bes = raw.bes === null ? null : raw.bes.map((be) => ({ node: be.key, metrics: be.metrics, at: be.atMs }));
  const next = memory.copy();
  const computed = customMetricValues(metrics, { fes, leader, bes }, next);
  const values: Record<string, number | null> = {};
  // JSON has no NaN or infinity: a value that is not a finite number is stored, and served, as null.
  for (const [name, value] of Object.entries(computed.values)) values[name] = value !== null && Number.isFinite(value) ? value : null;
  const notes: SourceFailure[] = computed.warnings.map((message) => ({ source: CUSTOM_METRICS_SOURCE, kind: 'custom_metric', message }));
  return { values, json: JSON.stringify(values), failures: [...built.failures, ...notes], memory: next };
}
