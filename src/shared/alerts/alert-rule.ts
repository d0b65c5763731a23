/**
 * An alert rule, defined once: the rules file, the API and the console validate with this
 * schema, and the evaluator runs what it gives. A rule watches a condition on each cluster in its
 * scope (every cluster, some tags, or some clusters by id); it is pending while the condition
 * holds for less than `for`, firing after, and resolved when it stops holding. Labels and
 * annotations go to Alertmanager and the webhooks as they are, after `{{ … }}` placeholders are
 * filled in (renderAlertTemplate). Pure.
 */
import { z } from 'zod';
import { SECOND_UNITS, parseAmount } from '../duration.js';
import { SNAPSHOT_FIELDS } from '../snapshot-fields.js';
import { type AlertCondition, AlertExpressionError, isCustomField, parseAlertCondition } from './alert-expression.js';

export const ALERT_SEVERITIES = ['critical', 'warning', 'info'] as const;
export type AlertSeverity = (typeof ALERT_SEVERITIES)[number];

/** Placeholders a label or annotation may hold. */
const PLACEHOLDER = /\{\{\s*([A-Za-z_][A-Za-z0-9_.]*)\s*\}\}/g;
const FIELD_NAMES = new Set<string>(SNAPSHOT_FIELDS.map((f) => f.name));
const PLAIN_PLACEHOLDERS = ['cluster', 'cluster_id', 'value', 'rule', 'severity'];

/** Why a template cannot be filled in, or null when every placeholder is known. */
function templateProblem(text: string, labels: Readonly<Record<string, string>>): string | null {
  for (const [, name] of text.matchAll(PLACEHOLDER)) {
    if (PLAIN_PLACEHOLDERS.includes(name!)) continue;
    if (name!.startsWith('fields.') && (FIELD_NAMES.has(name!.slice(7)) || isCustomField(name!.slice(7)))) continue;
    if (name!.startsWith('labels.') && name!.slice(7) in labels) continue;
    return `{{ ${name} }} is not a placeholder: use ${PLAIN_PLACEHOLDERS.map((p) => `{{ ${p} }}`).join(', ')}, {{ fields.<snapshot field> }}, {{ fields.custom.<custom metric> }} or {{ labels.<a label of this rule> }}`;
  }
  return null;
}

const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
/** Labels Stellar sets itself on every alert. */
export const RESERVED_LABELS = ['alertname', 'cluster', 'cluster_id', 'severity'] as const;

/** 0, "0" or "0s": parseAmount takes only amounts above zero, but `for = 0` is a rule that fires at once. */
function isZeroDuration(raw: number | string): boolean {
  if (typeof raw === 'number') return raw === 0;
  const zero = /^\s*0+\s*([a-z]*)\s*$/i.exec(raw);
  return zero !== null && (zero[1] === '' || parseAmount(`1${zero[1]}`, SECOND_UNITS).ok);
}

const duration = z.union([z.number(), z.string()]).transform((raw, ctx) => {
  if (isZeroDuration(raw)) return 0;
  const parsed = parseAmount(raw, SECOND_UNITS);
  if (!parsed.ok || parsed.value < 0) {
    ctx.addIssue({ code: 'custom', message: `${JSON.stringify(raw)} is not a duration: write 0, 90s, 5m or 1h` });
    return z.NEVER;
  }
  return parsed.value * 1000;
});

export const AlertRuleInput = z
  .object({
    name: z
      .string()
      .regex(/^[a-z][a-z0-9_-]{0,62}$/, 'must be lowercase letters, digits, "-" or "_", starting with a letter, at most 63 characters'),
    condition: z.string().transform((text, ctx): { readonly text: string; readonly parsed: AlertCondition } => {
      try {
        return { text, parsed: parseAlertCondition(text) };
      } catch (error) {
        if (!(error instanceof AlertExpressionError)) throw error;
        ctx.addIssue({ code: 'custom', message: error.message });
        return z.NEVER;
      }
    }),
    for: duration.default(0),
    severity: z.enum(ALERT_SEVERITIES).default('warning'),
    scope: z
      .object({
        tags: z.array(z.string().min(1)).optional(),
        cluster_ids: z.array(z.number().int().positive()).optional(),
      })
      .strict()
      .default({}),
    labels: z.record(z.string(), z.string()).default({}),
    annotations: z.record(z.string(), z.string()).default({}),
    enabled: z.boolean().default(true),
  })
  .strict()
  .superRefine((rule, ctx) => {
    for (const name of Object.keys(rule.labels)) {
      if (!LABEL_NAME.test(name)) ctx.addIssue({ code: 'custom', path: ['labels', name], message: 'a label name is letters, digits and "_", not starting with a digit' });
      if ((RESERVED_LABELS as readonly string[]).includes(name)) ctx.addIssue({ code: 'custom', path: ['labels', name], message: `is set by Stellar on every alert (${RESERVED_LABELS.join(', ')})` });
    }
    for (const [group, texts] of [['labels', rule.labels], ['annotations', rule.annotations]] as const) {
      for (const [key, text] of Object.entries(texts)) {
        const problem = templateProblem(text, rule.labels);
        if (problem !== null) ctx.addIssue({ code: 'custom', path: [group, key], message: problem });
      }
    }
  });

/** A rule as written (the rules file, the API's body). */
export type AlertRuleSource = z.input<typeof AlertRuleInput>;
/** A rule as evaluated: condition parsed (its text kept), `for` in ms, defaults filled in. */
export type AlertRule = z.output<typeof AlertRuleInput>;

/** What fills a template: the cluster, the rule, the value its condition saw, the latest figures. */
export interface TemplateValues {
  readonly cluster: string;
  readonly clusterId: number;
  readonly value: number | string | null;
  readonly rule: string;
  readonly severity: AlertSeverity;
  readonly labels: Readonly<Record<string, string>>;
  readonly fields: Readonly<Record<string, number | string | null>> | null;
}

/** Numbers as people read them in a page: up to 4 significant digits, no exponent for everyday sizes. */
function formatValue(value: number | string | null | undefined): string {
  if (value === null || value === undefined) return 'no value';
  if (typeof value === 'string') return value;
  if (Number.isInteger(value)) return String(value);
  return String(Number(value.toPrecision(4)));
}

export function renderAlertTemplate(text: string, values: TemplateValues): string {
  return text.replace(PLACEHOLDER, (whole, name: string) => {
    if (name === 'cluster') return values.cluster;
    if (name === 'cluster_id') return String(values.clusterId);
    if (name === 'value') return formatValue(values.value);
    if (name === 'rule') return values.rule;
    if (name === 'severity') return values.severity;
    if (name.startsWith('fields.')) return formatValue(values.fields?.[name.slice(7)]);
    if (name.startsWith('labels.')) return values.labels[name.slice(7)] ?? whole;
    return whole;
  });
}

/** Whether a rule watches a cluster: every one when the scope is empty, else one listed by id or carrying a listed tag. */
export function ruleCoversCluster(rule: Pick<AlertRule, 'scope'>, cluster: { readonly id: number; readonly tags: readonly string[] }): boolean {
  const { tags, cluster_ids: ids } = rule.scope;
  if ((tags === undefined || tags.length === 0) && (ids === undefined || ids.length === 0)) return true;
  return (ids ?? []).includes(cluster.id) || (tags ?? []).some((t) => cluster.tags.includes(t));
}
