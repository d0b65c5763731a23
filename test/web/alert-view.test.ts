import { describe, expect, it } from 'vitest';
import { AlertRuleInput } from '../../src/shared/alerts/alert-rule.js';
import { formatAlertValue, formatForSeconds, NEW_RULE, RULE_FORM, ruleErrorsFromDetails, type RuleFormValues, scopeText } from '../../web/src/pages/alerts/alert-view.js';

/** What the form's schema says of each field: its first issue, as react-hook-form's zod resolver shows it. */
async function validateForm(values: RuleFormValues): Promise<Record<string, string>> {
  const parsed = await RULE_FORM.safeParseAsync(values);
  const errors: Record<string, string> = {};
  for (const issue of parsed.error?.issues ?? []) errors[issue.path.join('.')] ??= issue.message;
  return errors;
}

describe('formatForSeconds', () => {
  it('writes a rule’s for as the rules file does', () => {
    expect(formatForSeconds(0)).toBe('0');
    expect(formatForSeconds(90)).toBe('1m 30s');
    expect(formatForSeconds(300)).toBe('5m');
    expect(formatForSeconds(5400)).toBe('1h 30m');
  });
});

describe('scopeText', () => {
  it('says which clusters a rule watches', () => {
    expect(scopeText({})).toBe('every cluster');
    expect(scopeText({ tags: [], cluster_ids: [] })).toBe('every cluster');
    expect(scopeText({ tags: ['prod', 'eu'] })).toBe('tagged prod, eu');
    expect(scopeText({ cluster_ids: [3] })).toBe('cluster 3');
    expect(scopeText({ tags: ['prod'], cluster_ids: [3, 4] })).toBe('tagged prod or clusters 3, 4');
  });
});

describe('formatAlertValue', () => {
  it('shows numbers to 4 significant digits, text as it is, and a dash for no value', () => {
    expect(formatAlertValue(2)).toBe('2');
    expect(formatAlertValue(93.456789)).toBe('93.46');
    expect(formatAlertValue('failed')).toBe('failed');
    expect(formatAlertValue(null)).toBe('—');
  });
});

describe('the rule form', () => {
  it('sends what the server accepts: a blank for and summary left out', async () => {
    const body = await RULE_FORM.parseAsync({ ...NEW_RULE, name: 'be-down', condition: 'backend_alive < backend_total', for: '' });
    expect(body).toEqual({ name: 'be-down', condition: 'backend_alive < backend_total', severity: 'warning' });
    expect(AlertRuleInput.safeParse(body).success).toBe(true);
    const fresh = await RULE_FORM.parseAsync({ ...NEW_RULE, name: 'at-once', condition: 'collect_status == "failed"' });
    expect(fresh).toEqual({ name: 'at-once', condition: 'collect_status == "failed"', for: '0', severity: 'warning' });
    const full = await RULE_FORM.parseAsync({ name: 'slow', condition: 'avg_cpu_usage > 90', for: '5m', severity: 'critical', summary: '{{ cluster }} busy' });
    expect(full).toEqual({ name: 'slow', condition: 'avg_cpu_usage > 90', for: '5m', severity: 'critical', annotations: { summary: '{{ cluster }} busy' } });
  });

  it('puts the shared schema’s messages on the fields, in the server’s words', async () => {
    const values: RuleFormValues = { name: 'Bad Name', condition: 'backend_alive <', for: 'soon', severity: 'info', summary: '{{ nope }}' };
    const server = AlertRuleInput.safeParse({ name: 'Bad Name', condition: 'backend_alive <', for: 'soon', severity: 'info', annotations: { summary: '{{ nope }}' } });
    const serverSays = Object.fromEntries((server.error?.issues ?? []).map((i) => [i.path.join('.'), i.message]));
    const errors = await validateForm(values);
    expect(errors.name).toBe(serverSays.name);
    expect(errors.condition).toBe(serverSays.condition);
    expect(errors.for).toBe(serverSays.for);
    expect(errors.condition).toMatch(/expected/);
  });

  it('maps the server’s details onto the fields, the rest apart', () => {
    expect(
      ruleErrorsFromDetails([
        { field: 'name', message: 'is a default or alerts-file rule' },
        { field: 'annotations.summary', message: 'bad placeholder' },
        { field: 'labels.team', message: 'not allowed' },
      ]),
    ).toEqual({ fields: { name: 'is a default or alerts-file rule', summary: 'bad placeholder' }, other: ['labels.team not allowed'] });
  });
});
