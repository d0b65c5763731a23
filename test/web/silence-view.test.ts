import { describe, expect, it } from 'vitest';
import { editedRuleBody, formValuesOf } from '../../web/src/pages/alerts/alert-view.js';
import { checkSilenceForm, matcherText, silenceErrorsFromDetails, silenceFormFor } from '../../web/src/pages/alerts/silence-view.js';

describe('the silence form', () => {
  it('is filled in from a firing alert with its rule and cluster, for an hour', () => {
    const values = silenceFormFor({ rule: 'backend-down', cluster_id: 7 });
    expect(values.matchers.map(matcherText)).toEqual(['alertname="backend-down"', 'cluster_id="7"']);
    expect(checkSilenceForm({ ...values, comment: 'disk swap' })).toEqual({
      body: { matchers: [{ name: 'alertname', value: 'backend-down', regex: false }, { name: 'cluster_id', value: '7', regex: false }], duration: '1h', comment: 'disk swap' },
    });
  });

  it('sends a custom duration as written, and a regex matcher as =~', () => {
    const values = { ...silenceFormFor(null), matchers: [{ name: 'cluster', value: 'prod-.*', regex: true }], duration: 'custom' as const, customDuration: ' 90m ', comment: 'window' };
    expect(matcherText(values.matchers[0]!)).toBe('cluster=~"prod-.*"');
    expect(checkSilenceForm(values)).toEqual({ body: { matchers: [{ name: 'cluster', value: 'prod-.*', regex: true }], duration: '90m', comment: 'window' } });
  });

  it('says what the server would, next to the field: a bad label name or regex, a bad duration, no comment', () => {
    const checked = checkSilenceForm({ matchers: [{ name: '9x', value: '', regex: false }, { name: 'cluster', value: '(', regex: true }], duration: 'custom', customDuration: 'soon', comment: '' });
    expect('errors' in checked && checked.errors).toMatchObject({ matchers: { 0: { name: expect.any(String) }, 1: { value: expect.stringContaining('regular expression') } }, duration: expect.stringContaining('not a duration'), comment: expect.any(String) });
    // The server names the same keys as matchers[1].value.
    expect(silenceErrorsFromDetails([{ field: 'matchers[1].value', message: 'bad' }, { field: 'ends_at', message: 'past' }])).toEqual({ matchers: { 1: { value: 'bad' } }, duration: 'past', other: [] });
  });
});

describe('editing an API rule', () => {
  const rule = { name: 'heap-high', origin: 'api' as const, enabled: false, condition: 'jvm_heap_usage_pct > 95', for_seconds: 120, severity: 'warning' as const, scope: { tags: ['prod'] }, labels: { team: 'fe' }, annotations: { summary: 'old', runbook: 'http://wiki/heap' } };

  it('fills the form with the rule, and keeps what the form does not show', () => {
    expect(formValuesOf(rule)).toEqual({ name: 'heap-high', condition: 'jvm_heap_usage_pct > 95', for: '2m', severity: 'warning', summary: 'old' });
    expect(editedRuleBody(rule, { name: 'heap-high', condition: 'jvm_heap_usage_pct > 90', for: '5m', severity: 'critical', annotations: { summary: 'new' } })).toEqual({
      name: 'heap-high',
      condition: 'jvm_heap_usage_pct > 90',
      for: '5m',
      severity: 'critical',
      scope: { tags: ['prod'] },
      labels: { team: 'fe' },
      annotations: { runbook: 'http://wiki/heap', summary: 'new' },
      enabled: false,
    });
    expect(editedRuleBody(rule, { name: 'heap-high', condition: 'qps > 1' }).annotations).toEqual({ runbook: 'http://wiki/heap' });
  });
});
