/**
 * The alerts API on a real database (a SQLite file, or PostgreSQL with STELLAR_TEST_DATABASE):
 * alerts pending and firing now with the deliveries that fail, the history in pages, and the
 * rules with their origins; API rules created, replaced and deleted, refused with the key named.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { LoadedRule } from '../../src/alerts/alerts-file.js';
import { AlertRuleInput, type AlertRuleSource } from '../../src/shared/alerts/alert-rule.js';
import { DEFAULT_ALERT_RULES } from '../../src/shared/alerts/default-rules.js';
import { markFailed, recordAlertChanges } from '../../src/storage/repos/alerts.repo.js';
import { clusterBody } from '../helpers/factories.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';

const FILE_RULE: AlertRuleSource = { name: 'qps-low', condition: 'qps < 1', for: '10m', severity: 'info' };
const FIXED: LoadedRule[] = [
  ...DEFAULT_ALERT_RULES.map((source) => ({ rule: AlertRuleInput.parse(source), source, origin: 'default' as const })),
  { rule: AlertRuleInput.parse(FILE_RULE), source: FILE_RULE, origin: 'file' },
];

let t: TestApp;
beforeEach(async () => {
  t = await createTestApp({ alertRules: FIXED });
});
afterEach(async () => t.close());

const call = (method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, payload?: unknown) => t.app.inject({ method, url, headers: { authorization: t.auth }, ...(payload === undefined ? {} : { payload: payload as object }) });

async function cluster(name: string): Promise<number> {
  return (await call('POST', '/api/clusters', clusterBody({ name }))).json().id as number;
}

describe('GET /api/alert-rules', () => {
  it('lists the defaults, the file’s rules and the API’s, each with its origin', async () => {
    expect((await call('POST', '/api/alert-rules', { name: 'heap-high', condition: 'jvm_heap_usage_pct > 95', for: '2m', labels: { team: 'fe' } })).statusCode).toBe(201);
    const { rules } = (await call('GET', '/api/alert-rules')).json();
    expect(rules.map((r: { name: string; origin: string }) => `${r.origin} ${r.name}`)).toEqual([...DEFAULT_ALERT_RULES.map((r) => `default ${r.name}`), 'file qps-low', 'api heap-high']);
    expect(rules.at(-1)).toEqual({ name: 'heap-high', origin: 'api', enabled: true, condition: 'jvm_heap_usage_pct > 95', for_seconds: 120, severity: 'warning', scope: {}, labels: { team: 'fe' }, annotations: {} });
  });
});

describe('alert rules made through the API', () => {
  it('are refused with 400 naming each key AlertRuleInput objects to', async () => {
    const bad = await call('POST', '/api/alert-rules', { name: 'x', condition: 'disk_usage_pct >', for: 'soon', severity: 'page' });
    expect(bad.statusCode).toBe(400);
    const body = bad.json();
    expect(body.code).toBe('STELLAR_ERR_VALIDATION');
    expect(body.details.map((d: { field: string }) => d.field).sort()).toEqual(['condition', 'for', 'severity']);
    expect(body.details.find((d: { field: string }) => d.field === 'condition').message).toMatch(/expected a field, a number/);
  });

  it('may not take the name of a default, a file rule or another API rule (409), and are replaced and deleted by name', async () => {
    for (const name of ['backend-down', 'qps-low']) {
      const taken = await call('POST', '/api/alert-rules', { name, condition: 'qps > 1' });
      expect(taken.statusCode).toBe(409);
      expect(taken.json().code).toBe('STELLAR_ERR_ALERT_RULE_NAME_TAKEN');
      expect((await call('PUT', `/api/alert-rules/${name}`, { condition: 'qps > 1' })).statusCode).toBe(409);
      expect((await call('DELETE', `/api/alert-rules/${name}`)).statusCode).toBe(409);
    }
    expect((await call('POST', '/api/alert-rules', { name: 'busy', condition: 'qps > 1000' })).statusCode).toBe(201);
    expect((await call('POST', '/api/alert-rules', { name: 'busy', condition: 'qps > 1000' })).statusCode).toBe(409);

    const replaced = await call('PUT', '/api/alert-rules/busy', { condition: 'qps > 2000', severity: 'critical' });
    expect(replaced.statusCode).toBe(200);
    expect(replaced.json()).toMatchObject({ name: 'busy', condition: 'qps > 2000', severity: 'critical', origin: 'api' });
    expect((await call('PUT', '/api/alert-rules/busy', { name: 'other', condition: 'qps > 1' })).json().details).toEqual([{ field: 'name', message: expect.stringContaining('not renamed') }]);
    expect((await call('PUT', '/api/alert-rules/absent', { condition: 'qps > 1' })).json().code).toBe('STELLAR_ERR_ALERT_RULE_NOT_FOUND');

    expect((await call('DELETE', '/api/alert-rules/busy')).statusCode).toBe(204);
    expect((await call('DELETE', '/api/alert-rules/busy')).statusCode).toBe(404);
    expect((await call('GET', '/api/alert-rules')).json().rules.map((r: { name: string }) => r.name)).not.toContain('busy');
  });
});

describe('GET /api/alerts and /api/alerts/history', () => {
  it('show what is pending and firing, with the labels it fired with, the deliveries that fail, and the history newest first in pages', async () => {
    const a = await cluster('prod-a');
    const b = await cluster('prod-b');
    const T0 = Date.UTC(2026, 11, 3, 7);
    const labels = { alertname: 'backend-down', cluster: 'prod-a', cluster_id: String(a), severity: 'critical' };
    const [fired] = await recordAlertChanges(t.storage.db, {
      states: [
        { ruleName: 'backend-down', clusterId: a, state: { status: 'firing', activeSince: T0 - 60_000, firedAt: T0, value: 2, evaluatedAt: T0 } },
        { ruleName: 'cluster-unreachable', clusterId: b, state: { status: 'pending', activeSince: T0, firedAt: null, value: 'failed', evaluatedAt: T0 } },
      ],
      events: [{ ruleName: 'backend-down', clusterId: a, event: 'fired', severity: 'critical', at: T0, activeSince: T0 - 60_000, value: 2, labels, annotations: { summary: 'prod-a: 2 of 3 backends alive' }, channels: ['webhook ops'] }],
    });
    const delivery = await t.storage.db.selectFrom('alert_deliveries').select('id').executeTakeFirstOrThrow();
    await markFailed(t.storage.db, [delivery.id], 'the webhook "ops" at http://hooks.internal answered HTTP 500', T0 + 10_000);

    const now = (await call('GET', '/api/alerts')).json();
    expect(now.alerts).toEqual([
      { rule: 'backend-down', cluster_id: a, cluster: 'prod-a', status: 'firing', severity: 'critical', active_since: new Date(T0 - 60_000).toISOString(), fired_at: new Date(T0).toISOString(), value: 2, labels, annotations: { summary: 'prod-a: 2 of 3 backends alive' }, silenced_by: [], acknowledged: null },
      { rule: 'cluster-unreachable', cluster_id: b, cluster: 'prod-b', status: 'pending', severity: 'critical', active_since: new Date(T0).toISOString(), fired_at: null, value: 'failed', labels: {}, annotations: {}, silenced_by: [], acknowledged: null },
    ]);
    expect(now.failing_deliveries).toEqual([{ channel: 'webhook ops', rule: 'backend-down', cluster_id: a, event: 'fired', at: new Date(T0).toISOString(), attempts: 1, last_error: 'the webhook "ops" at http://hooks.internal answered HTTP 500' }]);
    const onlyB = (await call('GET', `/api/alerts?cluster_id=${b}`)).json();
    expect(onlyB.alerts.map((x: { rule: string }) => x.rule)).toEqual(['cluster-unreachable']);
    expect(onlyB.failing_deliveries).toEqual([]);
    expect((await call('GET', '/api/alerts?cluster_id=zero')).statusCode).toBe(400);

    for (let i = 1; i <= 2; i += 1) {
      await recordAlertChanges(t.storage.db, { states: [], events: [{ ruleName: 'backend-down', clusterId: a, event: i % 2 === 1 ? 'resolved' : 'fired', severity: 'critical', at: T0 + i * 60_000, activeSince: T0, value: 3, labels, annotations: {}, channels: [] }] });
    }
    const page = (await call('GET', `/api/alerts/history?cluster_id=${a}&limit=2`)).json();
    expect(page.events.map((e: { event: string; at: string }) => [e.event, e.at])).toEqual([
      ['fired', new Date(T0 + 120_000).toISOString()],
      ['resolved', new Date(T0 + 60_000).toISOString()],
    ]);
    const next = (await call('GET', `/api/alerts/history?cluster_id=${a}&limit=2&before_id=${page.next_before_id}`)).json();
    expect(next.events.map((e: { id: number }) => e.id)).toEqual([fired!.id]);
    expect(next.next_before_id).toBeNull();
    expect((await call('GET', `/api/alerts/history?cluster_id=${b}`)).json()).toEqual({ events: [], next_before_id: null });
  });
});
