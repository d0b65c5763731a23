/**
 * Custom metrics in the API (GET/POST /api/custom-metrics, GET/PUT/DELETE /api/custom-metrics/:name,
 * POST /api/clusters/:id/custom-metrics/preview). The bodies are CustomMetricInput itself (the one
 * definition the config file and the collector use); the answers add where each comes from.
 */
import { z } from 'zod';
import { checkCustomMetric, CustomMetricFields, CustomMetricInput } from '../custom-metrics.js';
import { isoTime } from './common.js';

export const CUSTOM_METRIC_ORIGINS = ['file', 'api'] as const;

/** POST /api/custom-metrics and the preview: a definition (docs/configuration.md, custom metrics). */
export const CustomMetricBody = CustomMetricInput.meta({ description: 'A custom metric: name, source, family, labels, aggregate, kind, unit, description, table_metrics' });

/** PUT /api/custom-metrics/:name: the definition, named by the path (a `name` in the body, if any, must be the same). */
export const CustomMetricReplaceBody = CustomMetricFields.partial({ name: true }).superRefine(checkCustomMetric).meta({ description: 'A custom metric’s new definition: source, family, labels, aggregate, kind, unit, description, table_metrics (the name is the path’s)' });

const CustomMetricJson = CustomMetricFields.extend({
  origin: z.enum(CUSTOM_METRIC_ORIGINS).meta({ description: 'file: the config file’s [[custom_metrics]] (read-only here: edit the file and reload); api: made through this API or the console' }),
  created_at: isoTime().nullable().meta({ description: 'API ones: when it was made; null for file ones' }),
  updated_at: isoTime().nullable().meta({ description: 'API ones: when it was saved last; null for file ones' }),
  updated_by: z.string().nullable().meta({ description: 'API ones: the user who saved it last (null with authentication off); null for file ones' }),
}).meta({ id: 'CustomMetric' });

export const CustomMetricResponse = CustomMetricJson;
export const CustomMetricsResponse = z.object({ metrics: z.array(CustomMetricJson).meta({ description: 'The file’s first, then the API’s by name' }) }).meta({ id: 'CustomMetrics' });
export const CustomMetricNameParams = z.object({ name: z.string() });

const PreviewSeries = z.object({ labels: z.record(z.string(), z.string()), value: z.number().nullable().meta({ description: 'The series’ reading (a counter’s raw value for rate and delta), at the last reading; null for NaN or ±Inf' }) });

export const CustomMetricPreviewResponse = z
  .object({
    value: z.number().nullable().meta({ description: 'What a collection would store now; null when no node of the source prints a matching series' }),
    readings: z.number().meta({ description: '1 for a gauge; 2 for rate and delta, taken a moment apart (the value is over that gap)' }),
    gap_seconds: z.number().nullable().meta({ description: 'Seconds between the two readings; null with one' }),
    nodes: z
      .array(
        z.object({
          node: z.string().meta({ description: 'host:port' }),
          role: z.enum(['fe', 'be']),
          leader: z.boolean(),
          has_family: z.boolean().meta({ description: 'false: the node does not print the family' }),
          series: z.array(PreviewSeries).meta({ description: 'The series the metric reads on this node: its totals when it prints them, else every match' }),
        }),
      )
      .meta({ description: 'The nodes of the metric’s source that answered' }),
    warnings: z.array(z.string()),
    failures: z.array(z.string()).meta({ description: 'Sources that failed in the (last) scrape' }),
  })
  .meta({ id: 'CustomMetricPreview' });

export type CustomMetricJson = z.output<typeof CustomMetricJson>;
export type CustomMetricsJson = z.output<typeof CustomMetricsResponse>;
export type CustomMetricPreviewJson = z.output<typeof CustomMetricPreviewResponse>;
