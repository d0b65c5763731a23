/**
 * The custom metrics page's form, pure: its inputs read into the body of POST/PUT
 * /api/custom-metrics and checked by the schema the server, the config file and the collector
 * use (CustomMetricInput), so the form says what the server would; labels written one matcher a
 * line (`type=max`, `user=~etl|bi`); the server's 400/409 `details` mapped back onto the fields.
 */
import { z } from 'zod';
import { CUSTOM_METRIC_AGGREGATES, CUSTOM_METRIC_KINDS, CUSTOM_METRIC_SOURCES, CustomMetricFields, CustomMetricInput, type CustomMetricSource } from '@shared/custom-metrics.js';
import type { CustomMetricJson } from '@shared/api/custom-metrics.js';

export const METRIC_FORM_FIELDS = ['name', 'source', 'family', 'labels', 'aggregate', 'kind', 'unit', 'description', 'table_metrics'] as const;
export type MetricFormField = (typeof METRIC_FORM_FIELDS)[number];
export interface MetricFormValues {
  name: string;
  source: (typeof CUSTOM_METRIC_SOURCES)[number];
  family: string;
  /** One `key=value` or `key=~regex` a line. */
  labels: string;
  aggregate: (typeof CUSTOM_METRIC_AGGREGATES)[number];
  kind: (typeof CUSTOM_METRIC_KINDS)[number];
  unit: string;
  description: string;
  /** A per-table family: the FEs are asked `?with_table_metrics=minified`. */
  table_metrics: boolean;
}
export type MetricFormErrors = Partial<Record<MetricFormField, string>>;

export const NEW_METRIC: MetricFormValues = { name: '', source: 'fe', family: '', labels: '', aggregate: 'sum', kind: 'gauge', unit: '', description: '', table_metrics: false };

export const SOURCE_WORDS: Record<MetricFormValues['source'], string> = { fe: 'every FE', fe_leader: 'the leader FE', be: 'every BE/CN' };

/** A metric's labels as the form writes them, one matcher a line. */
export function labelsText(labels: Readonly<Record<string, string>>): string {
  return Object.entries(labels)
    .map(([key, value]) => `${key}=${value}`)
    .join('\n');
}

/** The form's labels text as matchers; a line without `=` is an error naming it. */
export function parseLabels(text: string): { labels: Record<string, string> } | { error: string } {
  const labels: Record<string, string> = {};
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '') continue;
    const at = line.indexOf('=');
    if (at <= 0) return { error: `"${line}" is not key=value (or key=~regex)` };
    labels[line.slice(0, at).trim()] = line.slice(at + 1).trim();
  }
  return { labels };
}

export function formValuesOf(metric: CustomMetricJson): MetricFormValues {
  return { name: metric.name, source: metric.source, family: metric.family, labels: labelsText(metric.labels), aggregate: metric.aggregate, kind: metric.kind, unit: metric.unit, description: metric.description, table_metrics: metric.table_metrics };
}

/** A listed metric's definition alone (every key of the schema, none of the listing's), as POST and the preview take it. */
export function definitionOf(metric: CustomMetricJson): CustomMetricSource {
  const keys = Object.keys(CustomMetricFields.shape) as (keyof CustomMetricSource)[];
  return Object.fromEntries(keys.map((key) => [key, metric[key]])) as CustomMetricSource;
}

/** The form field a path of the schema (or a field of the server's details) names: `labels.type` is the labels box; null for none. */
export function metricFieldOf(path: string): MetricFormField | null {
  const head = path.split('.')[0] ?? '';
  return (METRIC_FORM_FIELDS as readonly string[]).includes(head) ? (head as MetricFormField) : null;
}

/** The form's inputs → the body the API takes, checked by CustomMetricInput (react-hook-form runs it through its zod resolver). */
export const METRIC_FORM = z
  .object({
    name: z.string(),
    source: z.enum(CUSTOM_METRIC_SOURCES),
    family: z.string(),
    labels: z.string(),
    aggregate: z.enum(CUSTOM_METRIC_AGGREGATES),
    kind: z.enum(CUSTOM_METRIC_KINDS),
    unit: z.string(),
    description: z.string(),
    table_metrics: z.boolean(),
  })
  .transform((values, context): CustomMetricSource => {
    const labels = parseLabels(values.labels);
    if ('error' in labels) {
      context.addIssue({ code: 'custom', path: ['labels'], message: labels.error });
      return z.NEVER;
    }
    const body: CustomMetricSource = { ...values, name: values.name.trim(), family: values.family.trim(), labels: labels.labels, unit: values.unit.trim(), description: values.description.trim() };
    const parsed = CustomMetricInput.safeParse(body);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        const path = issue.path.join('.');
        const field = metricFieldOf(path);
        context.addIssue({ code: 'custom', path: [field ?? 'name'], message: field === 'labels' && path !== 'labels' ? `${path.slice('labels.'.length)}: ${issue.message}` : issue.message });
      }
      return z.NEVER;
    }
    return body;
  });

/** The server's `details` as field errors, and those that name no field of the form. */
export function metricErrorsFromDetails(details: readonly { field: string; message: string }[]): { fields: MetricFormErrors; other: string[] } {
  const fields: MetricFormErrors = {};
  const other: string[] = [];
  for (const detail of details) {
    const field = metricFieldOf(detail.field);
    const message = field === 'labels' && detail.field !== 'labels' ? `${detail.field.slice('labels.'.length)}: ${detail.message}` : detail.message;
    if (field === null) other.push(`${detail.field} ${detail.message}`);
    else fields[field] = fields[field] === undefined ? message : `${fields[field]}; ${message}`;
  }
  return { fields, other };
}

/** A value as the preview shows it: up to 6 significant digits; "—" for null. */
export function formatMetricValue(value: number | null): string {
  if (value === null) return '—';
  if (Number.isInteger(value)) return String(value);
  return String(Number(value.toPrecision(6)));
}
