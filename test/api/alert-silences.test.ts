/**
 * Silences and acknowledgements through the API, on a real database (a SQLite file, or
 * PostgreSQL with STELLAR_TEST_DATABASE=postgres): made, listed, shown on the alerts they mute,
 * expired early; an acknowledgement of a firing alert shown until it resolves; bad input refused
 * naming the key, unknown ids 404, changes for administrators only.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type NewAlertEvent, recordAlertChanges } from '../../src/storage/repos/alerts.repo.js';
import { clusterBody } from '../helpers/factories.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';

let t: TestApp;
beforeEach(async () => {
  // Tokens outlive the hours the tests move the clock by.
  t = await createTestApp({ tokenTtlMs: 1000 * 3_600_000 });
});
afterEach(async () => t.close());

const call = (method: 'GET' | 'POST' | 'DELETE', url: string, payload?: unknown, authorization = t.auth) =>
  t.app.inject({ method, url, headers: { authorization }, ...(payload === undefined ? {} : { payload: payload as object }) });

const HOUR = 3_600_000;
const iso = (ms: number) => new Date(ms).toISOString();

/** A cluster with `backend-down` firing on it since now (as the evaluator stores it), and `fe-down` pending. */
async function firingCluster(name: string): Promise<{ id: number; firedAt: number }> {
  const id = (await call('POST', '/api/clusters', clusterBody({ name }))).json().id as number;
  const firedAt = t.clock.now();
  const labels = { alertname: 'backend-down', cluster: name, cluster_id: String(id), severity: 'critical', team: 'storage' };
  const fired: NewAlertEvent = { ruleName: 'backend-down', clusterId: id, event: 'fired', severity: 'critical', at: firedAt, activeSince: firedAt - 60_000, value: 2, labels, annotations: {}, channels: [] };
  await recordAlertChanges(t.storage.db, {
    states: [
      { ruleName: 'backend-down', clusterId: id, state: { status: 'firing', activeSince: firedAt - 60_000, firedAt, value: 2, evaluatedAt: firedAt } },
      { ruleName: 'fe-down', clusterId: id, state: { status: 'pending', activeSince: firedAt, firedAt: null, value: 0, evaluatedAt: firedAt } },
    ],
    events: [fired],
  });
  return { id, firedAt };
}

async function alertsNow(): Promise<Record<string, { silenced_by: number[]; acknowledged: unknown }>> {
  const answer = await call('GET', '/api/alerts');
  expect(answer.statusCode, answer.body).toBe(200);
  const { alerts } = answer.json();
  return Object.fromEntries(alerts.map((a: { rule: string; cluster: string; silenced_by: number[]; acknowledged: unknown }) => [`${a.rule}@${a.cluster}`, { silenced_by: a.silenced_by, acknowledged: a.acknowledged }]));
}

describe('alert silences', () => {
  it('are made by the signed-in user, mute the alerts they match (shown on GET /api/alerts), and are expired early', async () => {
    const a = await firingCluster('prod-a');
    await firingCluster('prod-b');
    const now = t.clock.now();
    const made = await call('POST', '/api/alerts/silences', { matchers: [{ name: 'alertname', value: 'backend-down' }, { name: 'cluster_id', value: String(a.id) }], duration: '4h', comment: 'replacing a disk' });
    expect(made.statusCode).toBe(201);
    const silence = made.json();
    expect(silence).toEqual({
      id: expect.any(Number),
      matchers: [{ name: 'alertname', value: 'backend-down', regex: false }, { name: 'cluster_id', value: String(a.id), regex: false }],
      starts_at: iso(now),
      ends_at: iso(now + 4 * HOUR),
      status: 'active',
      comment: 'replacing a disk',
      created_by: 'admin',
      created_at: iso(now),
      expired_by: null,
      muting: [{ rule: 'backend-down', cluster_id: a.id, cluster: 'prod-a' }],
    });
    // A regex silence of every prod cluster's pending and firing alerts, to start in an hour.
    const later = (await call('POST', '/api/alerts/silences', { matchers: [{ name: 'cluster', value: 'prod-.*', regex: true }], starts_at: iso(now + HOUR), ends_at: iso(now + 2 * HOUR), comment: 'maintenance window' })).json();
    expect(later.status).toBe('pending');

    expect(await alertsNow()).toEqual({
      'backend-down@prod-a': { silenced_by: [silence.id], acknowledged: null },
      'fe-down@prod-a': { silenced_by: [], acknowledged: null },
      'backend-down@prod-b': { silenced_by: [], acknowledged: null },
      'fe-down@prod-b': { silenced_by: [], acknowledged: null },
    });
    t.clock.advance(HOUR);
    const during = await alertsNow();
    expect(during['backend-down@prod-a']!.silenced_by).toEqual([silence.id, later.id]);
    expect(during['fe-down@prod-b']!.silenced_by).toEqual([later.id]);

    expect((await call('DELETE', `/api/alerts/silences/${silence.id}`)).statusCode).toBe(204);
    const expired = (await call('GET', `/api/alerts/silences/${silence.id}`)).json();
    expect(expired).toMatchObject({ status: 'expired', ends_at: iso(now + HOUR), expired_by: 'admin', muting: [] });
    expect((await alertsNow())['backend-down@prod-a']!.silenced_by).toEqual([later.id]);
    // Expiring it again changes nothing.
    expect((await call('DELETE', `/api/alerts/silences/${silence.id}`)).statusCode).toBe(204);
    expect((await call('GET', `/api/alerts/silences/${silence.id}`)).json().ends_at).toBe(iso(now + HOUR));

    const listed = (await call('GET', '/api/alerts/silences')).json().silences;
    expect(listed.map((s: { id: number; status: string }) => [s.id, s.status])).toEqual([
      [later.id, 'active'],
      [silence.id, 'expired'],
    ]);
    // Ended more than expired_hours ago: no longer listed.
    t.clock.advance(26 * HOUR);
    expect((await call('GET', '/api/alerts/silences')).json().silences).toEqual([]);
    expect((await call('GET', '/api/alerts/silences?expired_hours=48')).json().silences).toHaveLength(2);
  });

  it('refuse bad input with 400 naming the key, and unknown ids with 404', async () => {
    const refused = async (body: object) => {
      const answer = await call('POST', '/api/alerts/silences', body);
      expect(answer.statusCode).toBe(400);
      return answer.json().details.map((d: { field: string }) => d.field);
    };
    expect(await refused({ matchers: [{ name: 'cluster', value: '(', regex: true }], duration: '1h', comment: 'c' })).toEqual(['matchers[0].value']);
    expect(await refused({ matchers: [], duration: '1h', comment: 'c' })).toEqual(['matchers']);
    expect(await refused({ matchers: [{ name: 'cluster', value: 'x' }], comment: 'c' })).toEqual(['duration']);
    expect(await refused({ matchers: [{ name: 'cluster', value: 'x' }], duration: 'a while', comment: 'c' })).toEqual(['duration']);
    expect(await refused({ matchers: [{ name: 'cluster', value: 'x' }], duration: '1h' })).toEqual(['comment']);
    expect(await refused({ matchers: [{ name: 'cluster', value: 'x' }], ends_at: iso(t.clock.now() - HOUR), comment: 'c' })).toEqual(['ends_at']);
    expect(await refused({ matchers: [{ name: 'cluster', value: 'x' }], duration: '1h', comment: 'c', by: 'someone else' })).toEqual(['by']);

    const missing = await call('DELETE', '/api/alerts/silences/999');
    expect(missing.statusCode).toBe(404);
    expect(missing.json().code).toBe('STELLAR_ERR_ALERT_SILENCE_NOT_FOUND');
    expect((await call('GET', '/api/alerts/silences/999')).statusCode).toBe(404);
    expect((await call('GET', '/api/alerts/silences/zero')).statusCode).toBe(400);
  });

  it('are read by viewers and made or expired by administrators only', async () => {
    await call('POST', '/api/users', { username: 'vera', password: 'viewer-password-1', role: 'viewer' });
    const token = (await call('POST', '/api/auth/login', { username: 'vera', password: 'viewer-password-1' })).json().token as string;
    const viewer = `Bearer ${token}`;
    const id = (await call('POST', '/api/alerts/silences', { matchers: [{ name: 'cluster', value: 'x' }], duration: '1h', comment: 'c' })).json().id as number;
    expect((await call('GET', '/api/alerts/silences', undefined, viewer)).json().silences).toHaveLength(1);
    expect((await call('POST', '/api/alerts/silences', { matchers: [{ name: 'cluster', value: 'x' }], duration: '1h', comment: 'c' }, viewer)).statusCode).toBe(403);
    expect((await call('DELETE', `/api/alerts/silences/${id}`, undefined, viewer)).statusCode).toBe(403);
  });
});

describe('acknowledging a firing alert', () => {
  it('records who, when and why, shown on the alert until it resolves; a pending or unknown alert is 404', async () => {
    const a = await firingCluster('prod-a');
    t.clock.advance(60_000);
    const acked = await call('POST', `/api/alerts/firing/backend-down/${a.id}/ack`, { comment: 'on it' });
    expect(acked.statusCode).toBe(200);
    const ack = { by: 'admin', at: iso(t.clock.now()), comment: 'on it' };
    expect(acked.json()).toEqual({ rule: 'backend-down', cluster_id: a.id, fired_at: iso(a.firedAt), acknowledged: ack });
    expect((await alertsNow())['backend-down@prod-a']!.acknowledged).toEqual(ack);

    for (const url of [`/api/alerts/firing/fe-down/${a.id}/ack`, `/api/alerts/firing/no-such-rule/${a.id}/ack`, '/api/alerts/firing/backend-down/999/ack']) {
      const refused = await call('POST', url, {});
      expect(refused.statusCode).toBe(404);
      expect(refused.json().code).toBe('STELLAR_ERR_ALERT_NOT_FIRING');
    }
    expect((await call('POST', `/api/alerts/firing/backend-down/${a.id}/ack`, { comment: 7 })).json().details.map((d: { field: string }) => d.field)).toEqual(['comment']);

    // It resolves: the acknowledgement ends with it, and the next firing is not acknowledged.
    const labels = { alertname: 'backend-down', cluster: 'prod-a', cluster_id: String(a.id), severity: 'critical' };
    const at = t.clock.now();
    await recordAlertChanges(t.storage.db, {
      states: [{ ruleName: 'backend-down', clusterId: a.id, state: { status: 'inactive', activeSince: null, firedAt: null, value: 3, evaluatedAt: at } }],
      events: [{ ruleName: 'backend-down', clusterId: a.id, event: 'resolved', severity: 'critical', at, activeSince: a.firedAt - 60_000, value: 3, labels, annotations: {}, channels: [] }],
    });
    expect(await t.storage.db.selectFrom('alert_acks').selectAll().execute()).toEqual([]);
    await recordAlertChanges(t.storage.db, { states: [{ ruleName: 'backend-down', clusterId: a.id, state: { status: 'firing', activeSince: at, firedAt: at + 1, value: 2, evaluatedAt: at + 1 } }], events: [] });
    expect((await alertsNow())['backend-down@prod-a']!.acknowledged).toBeNull();
  });

  it('is withdrawn by an administrator; a viewer may not acknowledge', async () => {
    const a = await firingCluster('prod-a');
    await call('POST', '/api/users', { username: 'vera', password: 'viewer-password-1', role: 'viewer' });
    const viewer = `Bearer ${(await call('POST', '/api/auth/login', { username: 'vera', password: 'viewer-password-1' })).json().token as string}`;
    expect((await call('POST', `/api/alerts/firing/backend-down/${a.id}/ack`, {}, viewer)).statusCode).toBe(403);
    expect((await call('POST', `/api/alerts/firing/backend-down/${a.id}/ack`, {})).json().acknowledged.comment).toBe('');
    expect((await call('DELETE', `/api/alerts/firing/backend-down/${a.id}/ack`)).statusCode).toBe(204);
    expect((await alertsNow())['backend-down@prod-a']!.acknowledged).toBeNull();
    expect((await call('DELETE', `/api/alerts/firing/backend-down/${a.id}/ack`)).statusCode).toBe(404);
  });
});
