/**
 * The custom metrics in effect (src/shared/custom-metrics.ts), as the collector and the API read
 * them at each use: a set whose definitions can change while the service runs (the API's, the
 * console's) is read afresh at every collection and every request. The config file's list is the
 * fixed set below; a set merging it with the API-managed definitions implements the same interface.
 */
import type { CustomMetric } from '../shared/custom-metrics.js';

export interface CustomMetricSet {
  /** The metrics to collect and serve now, each name once. */
  current(): readonly CustomMetric[];
}

/** A set that never changes: the config file's `[[custom_metrics]]`, or a test's. */
export function fixedCustomMetricSet(metrics: readonly CustomMetric[]): CustomMetricSet {
  const frozen = Object.freeze([...metrics]);
  return { current: () => frozen };
}

/** No custom metrics. */
export const NO_CUSTOM_METRICS: CustomMetricSet = fixedCustomMetricSet([]);
