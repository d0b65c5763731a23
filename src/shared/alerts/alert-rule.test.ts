import { describe, expect, it } from 'vitest';
import { AlertRuleInput, renderAlertTemplate, ruleCoversCluster } from './alert-rule.js';
import { DEFAULT_ALERT_RULES } from './default-rules.js';

const issues = (input: unknown) => {
  const parsed = AlertRuleInput.safeParse(input);
  return parsed.success ? [] : parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
};

describe('alert rules', () => {
  it('take a rule as written, with defaults: fleet-wide, warning, at once', () => {
    const rule = AlertRuleInput.parse({ name: 'disk', condition: 'disk_usage_pct > 90' });
    expect(rule).toMatchObject({ name: 'disk', for: 0, severity: 'warning', scope: {}, labels: {}, annotations: {}, enabled: true });
    expect(rule.condition.text).toBe('disk_usage_pct > 90');
    expect(AlertRuleInput.parse({ name: 'disk', condition: 'disk_usage_pct > 90', for: '10m' }).for).toBe(600_000);
    for (const zero of [0, '0', '0s', '0m']) expect(AlertRuleInput.parse({ name: 'disk', condition: 'disk_usage_pct > 90', for: zero }).for).toBe(0);
    expect(issues({ name: 'd', condition: 'qps > 1', for: '0 parsecs' })[0]).toMatch(/^for: "0 parsecs" is not a duration/);
  });

  it('name the key and the problem of a rule that is wrong', () => {
    expect(issues({ name: 'Disk Full', condition: 'disk_usage_pct > 90' })).toEqual(['name: must be lowercase letters, digits, "-" or "_", starting with a letter, at most 63 characters']);
    expect(issues({ name: 'd', condition: 'disk > 90' })[0]).toMatch(/^condition: "disk" at 1 is not a snapshot field/);
    expect(issues({ name: 'd', condition: 'qps > 1', for: '5 parsecs' })[0]).toMatch(/^for: "5 parsecs" is not a duration/);
    expect(issues({ name: 'd', condition: 'qps > 1', severity: 'page' })[0]).toMatch(/^severity: /);
    expect(issues({ name: 'd', condition: 'qps > 1', labels: { cluster: 'x' } })).toEqual(['labels.cluster: is set by Stellar on every alert (alertname, cluster, cluster_id, severity)']);
    expect(issues({ name: 'd', condition: 'qps > 1', annotations: { summary: '{{ clustr }} is slow' } })[0]).toMatch(/^annotations\.summary: \{\{ clustr \}\} is not a placeholder/);
    expect(issues({ name: 'd', condition: 'qps > 1', annotations: { summary: '{{ fields.nope }}' } })[0]).toMatch(/is not a placeholder/);
    expect(issues({ name: 'd', condition: 'qps > 1', colour: 'red' })[0]).toMatch(/colour/);
  });

  it('fill templates with the cluster, the value and the latest figures', () => {
    const text = '{{ cluster }} (#{{cluster_id}}): {{ value }} of {{ fields.backend_total }} [{{ labels.team }}, {{ severity }}, {{ rule }}] {{ fields.qps }}';
    expect(
      renderAlertTemplate(text, { cluster: 'prod', clusterId: 7, value: 9, rule: 'backend-down', severity: 'critical', labels: { team: 'olap' }, fields: { backend_total: 10, qps: 1234.5678 } }),
    ).toBe('prod (#7): 9 of 10 [olap, critical, backend-down] 1235');
    expect(renderAlertTemplate('{{ value }} / {{ fields.qps }}', { cluster: 'c', clusterId: 1, value: null, rule: 'r', severity: 'info', labels: {}, fields: null })).toBe('no value / no value');
  });

  it('watch every cluster, or those listed by id or tag', () => {
    const cluster = { id: 3, tags: ['prod', 'eu'] };
    expect(ruleCoversCluster({ scope: {} }, cluster)).toBe(true);
    expect(ruleCoversCluster({ scope: { tags: ['eu'] } }, cluster)).toBe(true);
    expect(ruleCoversCluster({ scope: { tags: ['us'] } }, cluster)).toBe(false);
    expect(ruleCoversCluster({ scope: { cluster_ids: [3] } }, cluster)).toBe(true);
    expect(ruleCoversCluster({ scope: { cluster_ids: [4], tags: ['us'] } }, cluster)).toBe(false);
  });

  it('ship defaults that are valid rules with unique names', () => {
    const parsed = DEFAULT_ALERT_RULES.map((r) => AlertRuleInput.parse(r));
    expect(new Set(parsed.map((r) => r.name)).size).toBe(parsed.length);
    expect(parsed.map((r) => r.name)).toContain('backend-down');
  });
});
