import { describe, expect, it } from 'vitest';
import { DIALECTS, postgresSkipReason, postgresTestUrl } from '../../../test/helpers/dialects.js';
import { skipNote } from '../../../test/helpers/requirements.js';
import { openPostgres } from '../dialect/postgres/postgres-dialect.js';
import { clusterFields, manualClock, randomSecretBox } from '../../../test/helpers/factories.js';
import { ClusterRegistry } from '../../registry/cluster-registry.js';
import type { Storage } from '../dialect/dialect.js';
import { migrateToLatest } from '../migrate.js';
import {
  activeAlertStates,
  alertHistory,
  alertStatesOf,
  apiAlertRules,
  deleteApiAlertRule,
  claimDueDeliveries,
  dueDeliveries,
  failingDeliveries,
  firingAlerts,
  markDelivered,
  markFailed,
  type NewAlertEvent,
  nextDeliveryAt,
  recordAlertChanges,
  saveApiAlertRule,
} from './alerts.repo.js';

const T0 = Date.UTC(2026, 11, 3, 6, 0, 0);

async function setUp(open: () => Promise<Storage>, clusters: number) {
  const storage = await open();
  await migrateToLatest(storage);
  const registry = new ClusterRegistry({ db: storage.db, dialect: storage.dialect, secrets: randomSecretBox(), now: manualClock().now });
  const ids: number[] = [];
  for (let i = 0; i < clusters; i += 1) ids.push((await registry.create(clusterFields())).id);
  return { storage, registry, ids };
}

function fired(clusterId: number, at: number, overrides: Partial<NewAlertEvent> = {}): NewAlertEvent {
  return {
    ruleName: 'backend-down',
    clusterId,
    event: 'fired',
    severity: 'critical',
    at,
    activeSince: at - 60_000,
    value: 2,
    labels: { alertname: 'backend-down', cluster: 'c', cluster_id: String(clusterId), severity: 'critical' },
    annotations: { summary: 'c: 2 of 3 backends alive' },
    channels: ['alertmanager', 'webhook ops'],
    ...overrides,
  };
}

describe.each(DIALECTS)('the alert tables on $name', (dialect) => {
  it('stores states, events and deliveries together, and gives the firing alerts back with what they fired with', async () => {
    const { storage, ids } = await setUp(() => dialect.open(), 2);
    const [a, b] = ids as [number, number];
    const firing = { status: 'firing', activeSince: T0 - 60_000, firedAt: T0, value: 2, evaluatedAt: T0 } as const;
    const pending = { status: 'pending', activeSince: T0, firedAt: null, value: 'failed', evaluatedAt: T0 } as const;
    const [event] = await recordAlertChanges(storage.db, {
      states: [
        { ruleName: 'backend-down', clusterId: a, state: firing },
        { ruleName: 'cluster-unreachable', clusterId: b, state: pending },
      ],
      events: [fired(a, T0)],
    });
    expect(event?.id).toBeTypeOf('number');
    expect(await alertStatesOf(storage.db, a)).toEqual(new Map([['backend-down', firing]]));
    expect((await activeAlertStates(storage.db)).map((s) => [s.ruleName, s.clusterId, s.state.status])).toEqual([
      ['backend-down', a, 'firing'],
      ['cluster-unreachable', b, 'pending'],
    ]);
    expect(await activeAlertStates(storage.db, b)).toHaveLength(1);
    const firingNow = await firingAlerts(storage.db);
    expect(firingNow).toEqual([expect.objectContaining({ id: event!.id, ruleName: 'backend-down', clusterId: a, at: T0, value: 2, annotations: { summary: 'c: 2 of 3 backends alive' } })]);
    expect(firingNow[0]).not.toHaveProperty('channels');

    // Resolved: the state is replaced, the firing list is empty, the history has both, newest first.
    await recordAlertChanges(storage.db, {
      states: [{ ruleName: 'backend-down', clusterId: a, state: { status: 'inactive', activeSince: null, firedAt: null, value: 3, evaluatedAt: T0 + 30_000 } }],
      events: [fired(a, T0 + 30_000, { event: 'resolved', value: 3 })],
    });
    expect(await firingAlerts(storage.db)).toEqual([]);
    expect((await alertHistory(storage.db, { limit: 10 })).map((e) => e.event)).toEqual(['resolved', 'fired']);
    await storage.close();
  });

  it('pages the history newest first, fleet-wide and per cluster', async () => {
    const { storage, ids } = await setUp(() => dialect.open(), 2);
    const [a, b] = ids as [number, number];
    for (let i = 0; i < 5; i += 1) await recordAlertChanges(storage.db, { states: [], events: [fired(i % 2 === 0 ? a : b, T0 + i * 1000, { channels: [] })] });
    const first = await alertHistory(storage.db, { limit: 2 });
    expect(first.map((e) => e.at)).toEqual([T0 + 4000, T0 + 3000]);
    const second = await alertHistory(storage.db, { limit: 2, beforeId: first.at(-1)!.id });
    expect(second.map((e) => e.at)).toEqual([T0 + 2000, T0 + 1000]);
    expect((await alertHistory(storage.db, { limit: 10, clusterId: a })).map((e) => e.at)).toEqual([T0 + 4000, T0 + 2000, T0]);
    await storage.close();
  });

  it('hands out due deliveries, keeps a failed one with its error until its next attempt, and forgets a delivered one', async () => {
    const { storage, ids } = await setUp(() => dialect.open(), 1);
    await recordAlertChanges(storage.db, { states: [], events: [fired(ids[0]!, T0)] });
    expect(await nextDeliveryAt(storage.db)).toBe(T0);
    const due = await dueDeliveries(storage.db, T0);
    expect(due.map((d) => d.channel)).toEqual(['alertmanager', 'webhook ops']);
    expect(due[0]!.event.annotations).toEqual({ summary: 'c: 2 of 3 backends alive' });
    await markDelivered(storage.db, [due[0]!.id], T0 + 10);
    await markFailed(storage.db, [due[1]!.id], 'HTTP 500', T0 + 10_000);
    expect(await dueDeliveries(storage.db, T0 + 9_999)).toEqual([]);
    expect(await nextDeliveryAt(storage.db)).toBe(T0 + 10_000);
    const failing = await failingDeliveries(storage.db);
    expect(failing.map((d) => [d.channel, d.attempts, d.lastError])).toEqual([['webhook ops', 1, 'HTTP 500']]);
    const again = await dueDeliveries(storage.db, T0 + 10_000);
    expect(again.map((d) => d.attempts)).toEqual([1]);
    await markDelivered(storage.db, [again[0]!.id], T0 + 10_001);
    expect(await failingDeliveries(storage.db)).toEqual([]);
    expect(await nextDeliveryAt(storage.db)).toBeNull();
    await storage.close();
  });

  it('hands a due delivery to one claim only, and again once the claim runs out unsent', async () => {
    const { storage, ids } = await setUp(() => dialect.open(), 1);
    await recordAlertChanges(storage.db, { states: [], events: [fired(ids[0]!, T0)] });
    expect((await claimDueDeliveries(storage.db, T0, 60_000)).map((d) => d.channel)).toEqual(['alertmanager', 'webhook ops']);
    expect(await claimDueDeliveries(storage.db, T0 + 1, 60_000)).toEqual([]);
    expect((await claimDueDeliveries(storage.db, T0 + 60_000, 60_000)).map((d) => d.channel)).toEqual(['alertmanager', 'webhook ops']);
    await storage.close();
  });

  it('keeps the rules made through the API, replaced and deleted by name', async () => {
    const { storage, ids } = await setUp(() => dialect.open(), 1);
    expect(await saveApiAlertRule(storage.db, 'qps-high', { name: 'qps-high', condition: 'qps > 1000' }, T0)).toBe('created');
    expect(await saveApiAlertRule(storage.db, 'qps-high', { name: 'qps-high', condition: 'qps > 2000' }, T0 + 1)).toBe('replaced');
    expect(await apiAlertRules(storage.db)).toEqual([{ name: 'qps-high', definition: { name: 'qps-high', condition: 'qps > 2000' }, updatedAt: T0 + 1 }]);
    await recordAlertChanges(storage.db, { states: [{ ruleName: 'qps-high', clusterId: ids[0]!, state: { status: 'pending', activeSince: T0, firedAt: null, value: 2500, evaluatedAt: T0 } }], events: [] });
    expect(await deleteApiAlertRule(storage.db, 'qps-high')).toBe(true);
    expect(await deleteApiAlertRule(storage.db, 'qps-high')).toBe(false);
    expect(await apiAlertRules(storage.db)).toEqual([]);
    // Its state stays for the evaluator, which resolves what the rule had firing.
    expect(await activeAlertStates(storage.db)).toHaveLength(1);
    await storage.close();
  });
});

describe.skipIf(postgresSkipReason !== null)(`alert deliveries claimed by instances sharing PostgreSQL${skipNote(postgresSkipReason)}`, () => {
  it('go to one instance each, however many claim at once', async () => {
    const target = await postgresTestUrl();
    const [a, b] = [openPostgres({ url: target.url, poolSize: 2 }), openPostgres({ url: target.url, poolSize: 2 })];
    try {
      const { ids } = await setUp(() => Promise.resolve(a), 20);
      await recordAlertChanges(a.db, { states: [], events: ids.map((id) => fired(id, T0)) });
      const [byA, byB] = await Promise.all([claimDueDeliveries(a.db, T0, 60_000), claimDueDeliveries(b.db, T0, 60_000)]);
      const claimed = [...byA, ...byB].map((d) => d.id);
      expect(claimed).toHaveLength(40);
      expect(new Set(claimed).size).toBe(40);
    } finally {
      await Promise.all([a.close(), b.close()]);
      await target.drop();
    }
  });
});
