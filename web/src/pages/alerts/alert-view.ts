/**
 * The alerts page's words and its rule form, pure: how a rule's `for`, scope and an alert's
 * value read, and the form's inputs read into the body of POST /api/alert-rules with the schema
 * the server, the alerts file and the evaluator use (AlertRuleInput), so the form says what the
 * server would, in its words; the server's 400 `details` mapped back onto the form's fields.
 */
import { z } from 'zod';
import { ALERT_SEVERITIES, AlertRuleInput, type AlertRuleSource } from '@shared/alerts/alert-rule.js';
import type { AlertRuleJson } from '@shared/api/alerts.js';

/** A rule's `for` as people write it: 0, 90s, 5m, 1h 30m. */
export function formatForSeconds(seconds: number): string {
  if (seconds <= 0) return '0';
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  return [h > 0 ? `${h}h` : '', m > 0 ? `${m}m` : '', s > 0 ? `${s}s` : ''].filter((part) => part !== '').join(' ');
}

/** Which clusters a rule watches, in words. */
export function scopeText(scope: AlertRuleJson['scope']): string {
  const tags = scope.tags ?? [];
  const ids = scope.cluster_ids ?? [];
  if (tags.length === 0 && ids.length === 0) return 'every cluster';
  const parts = [tags.length > 0 ? `tagged ${tags.join(', ')}` : '', ids.length > 0 ? `cluster${ids.length === 1 ? '' : 's'} ${ids.join(', ')}` : ''];
  return parts.filter((part) => part !== '').join(' or ');
}

/** The value a condition saw: numbers to 4 significant digits, as the notifications render it. */
export function formatAlertValue(value: number | string | null): string {
  if (value === null) return '—';
  if (typeof value === 'string') return value;
  if (Number.isInteger(value)) return String(value);
  return String(Number(value.toPrecision(4)));
}

export const RULE_FORM_FIELDS = ['name', 'condition', 'for', 'severity', 'summary'] as const;
export type RuleFormField = (typeof RULE_FORM_FIELDS)[number];
export type RuleFormValues = Record<Exclude<RuleFormField, 'severity'>, string> & { severity: (typeof ALERT_SEVERITIES)[number] };
export type RuleFormErrors = Partial<Record<RuleFormField, string>>;

export const NEW_RULE: RuleFormValues = { name: '', condition: '', for: '0', severity: 'warning', summary: '' };

/** The body the form sends: a blank `for` is the default (0), a blank summary no annotation. */
export function ruleBody(values: RuleFormValues): AlertRuleSource {
  const summary = values.summary.trim();
  return {
    name: values.name.trim(),
    condition: values.condition,
    ...(values.for.trim() === '' ? {} : { for: values.for.trim() }),
    severity: values.severity,
    ...(summary === '' ? {} : { annotations: { summary } }),
  };
}

/** A `for` in one unit, as the form takes it back: 0, 90s, 5m, 2h. */
function forText(seconds: number): string {
  if (seconds <= 0) return '0';
  if (seconds % 3600 === 0) return `${seconds / 3600}h`;
  if (seconds % 60 === 0) return `${seconds / 60}m`;
  return `${seconds}s`;
}

/** An API rule in the form, to edit it. */
export function formValuesOf(rule: AlertRuleJson): RuleFormValues {
  return { name: rule.name, condition: rule.condition, for: forText(rule.for_seconds), severity: rule.severity, summary: rule.annotations.summary ?? '' };
}

/** The PUT body of an edit: the form's fields over what the form does not show (scope, labels, other annotations, enabled), which stay. */
export function editedRuleBody(rule: AlertRuleJson, body: AlertRuleSource): AlertRuleSource & { name: string } {
  const annotations: Record<string, string> = { ...rule.annotations };
  delete annotations.summary;
  const summary = body.annotations?.summary;
  if (summary !== undefined) annotations.summary = summary;
  return { ...body, name: rule.name, scope: rule.scope, labels: rule.labels, annotations, enabled: rule.enabled };
}

/** The form field a path of the rule schema (or a field of the server's details) names; null for none of the form's. */
export function formFieldOf(path: string): RuleFormField | null {
  if (path === 'annotations.summary') return 'summary';
  return (RULE_FORM_FIELDS as readonly string[]).includes(path) && path !== 'summary' ? (path as RuleFormField) : null;
}

/** The form's inputs → the body of POST /api/alert-rules (react-hook-form checks with it through its zod resolver). */
export const RULE_FORM = z
  .object({ name: z.string(), condition: z.string(), for: z.string(), severity: z.enum(ALERT_SEVERITIES), summary: z.string() })
  .transform((values, context): AlertRuleSource => {
    const body = ruleBody(values);
    const parsed = AlertRuleInput.safeParse(body);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        const path = issue.path.join('.');
        const field = formFieldOf(path);
        context.addIssue({ code: 'custom', path: [field ?? 'name'], message: field === null ? `${path}: ${issue.message}` : issue.message });
      }
      return z.NEVER;
    }
    return body;
  });

/** The server's `details` as field errors, and those that name no field of the form (shown above the buttons). */
export function ruleErrorsFromDetails(details: readonly { field: string; message: string }[]): { fields: RuleFormErrors; other: string[] } {
  const fields: RuleFormErrors = {};
  const other: string[] = [];
  for (const detail of details) {
    const field = formFieldOf(detail.field);
    if (field === null) other.push(`${detail.field} ${detail.message}`);
    else fields[field] = fields[field] === undefined ? detail.message : `${fields[field]}; ${detail.message}`;
  }
  return { fields, other };
}
