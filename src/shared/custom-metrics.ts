/**
 * A custom metric: a Prometheus family of the FEs or BEs that no built-in field reads, declared
 * by the user (the config file's `[[custom_metrics]]`, the API, the console) and collected,
 * stored and served beside the built-in fields. Defined once here; the config loader, the API
 * and the console validate with this schema, and collector/custom-metric-values.ts computes
 * what it gives. Pure.
 */
import { z } from 'zod';
import { SNAPSHOT_FIELDS } from './snapshot-fields.js';

export const CUSTOM_METRIC_SOURCES = ['fe', 'fe_leader', 'be'] as const;
export const CUSTOM_METRIC_AGGREGATES = ['sum', 'avg', 'max', 'min'] as const;
export const CUSTOM_METRIC_KINDS = ['gauge', 'rate', 'delta'] as const;

const BUILT_IN = new Set<string>(SNAPSHOT_FIELDS.map((f) => f.name));

/** A label matcher: the value itself, or `~` and a regular expression matched against the whole value (PromQL's =~). */
const labelMatcher = z.string().superRefine((value, ctx) => {
  if (!value.startsWith('~')) return;
  try {
    new RegExp(`^(?:${value.slice(1)})$`);
  } catch (error) {
    ctx.addIssue({ code: 'custom', message: `"${value.slice(1)}" is not a regular expression: ${(error as Error).message}` });
  }
});

/** The keys of a custom metric, each checked alone; CustomMetricInput adds the checks across keys. */
export const CustomMetricFields = z
  .object({
    name: z
      .string()
      .regex(/^[a-z][a-z0-9_]{0,62}$/, 'must be snake_case: lowercase letters, digits and "_", starting with a letter, at most 63 characters')
      .refine((name) => !BUILT_IN.has(name), 'is the name of a built-in field (docs/metrics.md); choose another'),
    source: z.enum(CUSTOM_METRIC_SOURCES).meta({ description: '`fe` (every alive FE scraped), `fe_leader` (the leader FE only) or `be` (every alive BE/CN; needs the be_metrics source)' }),
    family: z.string().regex(/^[a-zA-Z_:][a-zA-Z0-9_:]*$/, 'must be a Prometheus metric name, as the node prints it'),
    labels: z.record(z.string().regex(/^[a-zA-Z_][a-zA-Z0-9_]*$/, 'a label name'), labelMatcher).default({}),
    aggregate: z.enum(CUSTOM_METRIC_AGGREGATES).default('sum'),
    kind: z.enum(CUSTOM_METRIC_KINDS).default('gauge'),
    unit: z.string().max(40).default(''),
    description: z.string().max(300).default(''),
    table_metrics: z
      .boolean()
      .default(false)
      .meta({
        description:
          'The family is per table (StarRocks prints it only when /metrics is asked with ?with_table_metrics): true asks the FEs of the source `/metrics?with_table_metrics=minified`, as the cluster\'s user, which must be root or hold db_admin and user_admin (older builds: ADMIN); `minified` leaves out counters that are 0. Only for the fe and fe_leader sources',
      }),
  })
  .strict();

/** What no single key can check: per-table families are an FE's, asked of FEs only. */
export function checkCustomMetric(metric: { readonly source?: string; readonly table_metrics?: boolean }, ctx: z.RefinementCtx): void {
  if (metric.table_metrics === true && metric.source === 'be') {
    ctx.addIssue({ code: 'custom', path: ['table_metrics'], message: 'is true, but only an FE prints per-table families: the source must be fe or fe_leader, or table_metrics false' });
  }
}

export const CustomMetricInput = CustomMetricFields.superRefine(checkCustomMetric);

/** A custom metric as written (the file's table, the API's body). */
export type CustomMetricSource = z.input<typeof CustomMetricInput>;
/** A custom metric with its defaults filled in. */
export type CustomMetric = z.output<typeof CustomMetricInput>;
