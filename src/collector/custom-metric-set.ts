/**
 * The custom metrics a collection computes, as the collector asks for them: read at each
 * collection, so a change (a reload, the API) applies at the next one.
 */
import type { CustomMetric } from '../shared/custom-metrics.js';

export interface CustomMetricSet {
  current(): readonly CustomMetric[];
}
