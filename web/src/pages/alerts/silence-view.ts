/**
 * The alerts page's silences, pure: how a matcher and a silence's period read, and the silence
 * form's inputs read into the body of POST /api/alerts/silences, checked by the schema the server
 * uses (SilenceInput), with the server's 400 `details` mapped back onto the form.
 */
import { SilenceInput, type SilenceMatcher } from '@shared/alerts/alert-silence.js';
import type { ActiveAlertJson } from '@shared/api/alerts.js';

/** A matcher as Alertmanager writes it: name="value", or name=~"regex". */
export function matcherText(m: Pick<SilenceMatcher, 'name' | 'value' | 'regex'>): string {
  return `${m.name}${m.regex ? '=~' : '='}"${m.value}"`;
}

export const DURATION_CHOICES = [
  { value: '1h', label: '1 hour' },
  { value: '4h', label: '4 hours' },
  { value: '1d', label: '1 day' },
  { value: 'custom', label: 'Custom…' },
] as const;

export interface MatcherRow {
  name: string;
  value: string;
  regex: boolean;
}

export interface SilenceFormValues {
  matchers: MatcherRow[];
  duration: (typeof DURATION_CHOICES)[number]['value'];
  /** With `duration` custom: 90m, 2h, 3d. */
  customDuration: string;
  comment: string;
}

/** A silence of one alert: its rule on its cluster (by id, which a rename does not change), for an hour. */
export function silenceFormFor(alert: Pick<ActiveAlertJson, 'rule' | 'cluster_id'> | null): SilenceFormValues {
  const matchers = alert === null ? [{ name: 'alertname', value: '', regex: false }] : [
    { name: 'alertname', value: alert.rule, regex: false },
    { name: 'cluster_id', value: String(alert.cluster_id), regex: false },
  ];
  return { matchers, duration: '1h', customDuration: '', comment: '' };
}

export interface SilenceFormErrors {
  /** By row index, then `name` or `value`. */
  matchers: Record<number, Partial<Record<'name' | 'value', string>>>;
  duration?: string;
  comment?: string;
  other: string[];
}

const noErrors = (): SilenceFormErrors => ({ matchers: {}, other: [] });
export const hasErrors = (e: SilenceFormErrors) => Object.keys(e.matchers).length > 0 || e.duration !== undefined || e.comment !== undefined || e.other.length > 0;

export function silenceBody(values: SilenceFormValues): SilenceInput {
  return {
    matchers: values.matchers.map((m) => ({ name: m.name.trim(), value: m.value, regex: m.regex })),
    duration: values.duration === 'custom' ? values.customDuration.trim() : values.duration,
    comment: values.comment,
  };
}

/** Puts one error (a path of the schema, or a field of the server's details, as `matchers[0].value` or `matchers.0.value`) where the form shows it. */
function place(errors: SilenceFormErrors, path: string, message: string): void {
  const row = /^matchers(?:\[(\d+)\]|\.(\d+))\.(name|value)$/.exec(path);
  if (row !== null) {
    const index = Number(row[1] ?? row[2]);
    errors.matchers[index] = { ...errors.matchers[index], [row[3] as 'name' | 'value']: message };
  } else if (path === 'duration' || path === 'ends_at') errors.duration = message;
  else if (path === 'comment') errors.comment = message;
  else errors.other.push(path === 'matchers' ? message : `${path}: ${message}`);
}

/** The form checked as the server would check it: the body to send, or the errors to show. */
export function checkSilenceForm(values: SilenceFormValues): { body: SilenceInput } | { errors: SilenceFormErrors } {
  const body = silenceBody(values);
  const parsed = SilenceInput.safeParse(body);
  if (parsed.success) return { body };
  const errors = noErrors();
  for (const issue of parsed.error.issues) place(errors, issue.path.join('.'), issue.message);
  return { errors };
}

/** The server's 400 `details` on the form. */
export function silenceErrorsFromDetails(details: readonly { field: string; message: string }[]): SilenceFormErrors {
  const errors = noErrors();
  for (const d of details) place(errors, d.field, d.message);
  return errors;
}
