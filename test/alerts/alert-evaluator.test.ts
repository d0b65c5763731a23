/**
 * The alert evaluator end to end: simulated clusters on loopback collected by the real
 * collector into a real database (both dialects), the evaluator told of each stored collection
 * as the service wires it. Rules fire after their `for` and resolve when the fault ends; a new
 * evaluator on the same database (a restart) neither forgets a firing alert nor notifies again.
 */
import pino from 'pino';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { AlertEvaluator } from '../../src/alerts/alert-evaluator.js';
import { AlertRuleBook } from '../../src/alerts/alert-rule-book.js';
import type { LoadedRule } from '../../src/alerts/alerts-file.js';
import { Collector } from '../../src/collector/collector.js';
import { ClusterRegistry } from '../../src/registry/cluster-registry.js';
import { AlertRuleInput, type AlertRuleSource } from '../../src/shared/alerts/alert-rule.js';
import { parseFaults } from '../../src/simulator/faults.js';
import { startSimulatedFleet, type SimulatedFleet } from '../../src/simulator/fleet.js';
import type { Storage } from '../../src/storage/dialect/dialect.js';
import { migrateToLatest } from '../../src/storage/migrate.js';
import { activeAlertStates, alertHistory, dueDeliveries } from '../../src/storage/repos/alerts.repo.js';
import { DIALECTS } from '../helpers/dialects.js';
import { clusterFields, manualClock, randomSecretBox } from '../helpers/factories.js';

const INTERVAL = 30_000;
const clock = manualClock();
const logger = pino({ level: 'silent' });
let fleet: SimulatedFleet;

beforeAll(async () => {
  fleet = await startSimulatedFleet({ clusters: 3, bes: 3, fes: 1, password: 'pw', clock: clock.now });
});
afterAll(async () => fleet.close());
afterEach(async () => {
  for (const c of fleet.clusters) await c.setFaults([]);
});

const RULES: AlertRuleSource[] = [
  { name: 'backend-down', condition: 'backend_alive < backend_total', for: '1m', severity: 'critical', labels: { team: 'dba' }, annotations: { summary: '{{ cluster }}: {{ value }} of {{ fields.backend_total }} backends alive' } },
  { name: 'cluster-unreachable', condition: 'collect_status == "failed"', for: '30s', severity: 'critical' },
  { name: 'stale', condition: 'no_data(3)', severity: 'warning' },
  { name: 'queries-climbing', condition: 'delta(query_total, 1m) > 0', scope: { tags: ['busy'] } },
  { name: 'disk-full', condition: 'disk_max_usage_pct > 90 or disk_usage_pct > 90', for: '1m', annotations: { summary: 'a disk is {{ fields.disk_max_usage_pct }} % full' } },
];
const loaded = (sources: AlertRuleSource[]): LoadedRule[] => sources.map((source) => ({ rule: AlertRuleInput.parse(source), source, origin: 'file' }));

describe.each(DIALECTS)('alert rules on simulated clusters, stored on $name', (dialect) => {
  let storage: Storage;
  let registry: ClusterRegistry;
  let collector: Collector;
  const ids: number[] = [];

  beforeAll(async () => {
    storage = await dialect.open();
    await migrateToLatest(storage);
    registry = new ClusterRegistry({ db: storage.db, dialect: storage.dialect, secrets: randomSecretBox(), now: clock.now });
    ids.length = 0;
    for (const [i, d] of fleet.details().entries()) {
      const cluster = await registry.create(clusterFields({ name: `sim-${i}`, tags: i === 2 ? ['busy'] : [], fe_host: d.fe_host, fe_http_port: d.fe_http_port, fe_query_port: d.fe_query_port, password: 'pw', connection_timeout: 1 }));
      ids.push(cluster.id);
    }
  });
  afterAll(async () => {
    await collector.close();
    await storage.close();
  });

  function evaluator() {
    const rules = new AlertRuleBook(loaded(RULES), { db: storage.db, logger, now: clock.now });
    const evaluations: number[] = [];
    const alerts = new AlertEvaluator({ db: storage.db, registry, rules, logger, intervalMs: INTERVAL, channels: () => ['alertmanager', 'webhook ops'], now: clock.now, evaluated: (n) => evaluations.push(n) });
    collector = new Collector({ storage, registry, logger, now: clock.now, options: { scrapeFollowers: true, scrapeBackends: false, runtimeInfo: false, maxConcurrency: 2 }, observer: alerts });
    return { alerts, evaluations };
  }

  async function cycle(alerts: AlertEvaluator, advanceMs = INTERVAL) {
    clock.advance(advanceMs);
    await collector.collectAll();
    await alerts.idle();
  }

  // The faults are on the first two clusters; the third (tagged busy) has the lookback rule.
  const faulty = (clusterId: number) => clusterId !== ids[2];
  const states = async () => (await activeAlertStates(storage.db)).filter((s) => faulty(s.clusterId)).map((s) => [s.ruleName, s.clusterId, s.state.status]);
  const events = async () => (await alertHistory(storage.db, { limit: 100 })).filter((e) => faulty(e.clusterId)).reverse().map((e) => [e.ruleName, e.clusterId, e.event, e.at]);

  it('a dead backend is pending, fires after `for`, survives a restart without a second notification, and resolves when the backend is back', async () => {
    const first = evaluator();
    const evaluations = first.evaluations;
    let alerts = first.alerts;
    await cycle(alerts);
    expect(await states()).toEqual([]);
    // Only the busy cluster has the lookback rule: one rule more evaluated there.
    expect(evaluations.sort()).toEqual([4, 4, 5]);

    await fleet.clusters[0]!.setFaults(parseFaults('be_dead@1'));
    await cycle(alerts);
    const pendingSince = clock.now();
    expect(await states()).toEqual([['backend-down', ids[0], 'pending']]);
    await cycle(alerts);
    expect(await states()).toEqual([['backend-down', ids[0], 'pending']]);
    expect(await events()).toEqual([]);
    await cycle(alerts);
    const firedAt = clock.now();
    expect(firedAt - pendingSince).toBe(60_000);
    expect(await states()).toEqual([['backend-down', ids[0], 'firing']]);
    const [fired] = await alertHistory(storage.db, { limit: 1 });
    expect(fired).toMatchObject({
      event: 'fired',
      at: firedAt,
      activeSince: pendingSince,
      value: 2,
      labels: { alertname: 'backend-down', cluster: 'sim-0', cluster_id: String(ids[0]), severity: 'critical', team: 'dba' },
      annotations: { summary: 'sim-0: 2 of 3 backends alive' },
    });
    const deliveries = async (at: number) => (await dueDeliveries(storage.db, at)).filter((d) => faulty(d.event.clusterId));
    expect((await deliveries(firedAt)).map((d) => [d.channel, d.event.id])).toEqual([
      ['alertmanager', fired!.id],
      ['webhook ops', fired!.id],
    ]);

    // A restart: a new collector and evaluator on the same database, the fault still there.
    await collector.close();
    ({ alerts } = evaluator());
    await cycle(alerts);
    await cycle(alerts);
    expect(await states()).toEqual([['backend-down', ids[0], 'firing']]);
    expect(await events()).toEqual([['backend-down', ids[0], 'fired', firedAt]]);

    await fleet.clusters[0]!.setFaults([]);
    await cycle(alerts);
    expect(await states()).toEqual([]);
    expect(await events()).toEqual([
      ['backend-down', ids[0], 'fired', firedAt],
      ['backend-down', ids[0], 'resolved', clock.now()],
    ]);
    const [resolved] = await alertHistory(storage.db, { limit: 1 });
    expect(resolved?.activeSince).toBe(pendingSince);
    expect((await deliveries(clock.now())).map((d) => `${d.channel} ${d.event.event}`)).toEqual(['alertmanager fired', 'webhook ops fired', 'alertmanager resolved', 'webhook ops resolved']);
  });

  it('a frontend that is down makes the collection fail: the cluster is unreachable after `for`, stale after 3 intervals without data', async () => {
    const { alerts } = evaluator();
    await cycle(alerts);
    const before = (await events()).length;
    await fleet.clusters[1]!.setFaults(parseFaults('fe_down'));
    await cycle(alerts);
    expect(await states()).toEqual([['cluster-unreachable', ids[1], 'pending']]);
    await cycle(alerts);
    expect(await states()).toEqual([['cluster-unreachable', ids[1], 'firing']]);
    await cycle(alerts);
    // The third interval since the last data: no_data(3) holds with `for` 0, so it fires at once.
    expect(await states()).toEqual([
      ['cluster-unreachable', ids[1], 'firing'],
      ['stale', ids[1], 'firing'],
    ]);
    await fleet.clusters[1]!.setFaults([]);
    await cycle(alerts);
    expect(await states()).toEqual([]);
    expect((await events()).slice(before).map(([rule, , event]) => `${rule} ${event}`)).toEqual(['cluster-unreachable fired', 'stale fired', 'cluster-unreachable resolved', 'stale resolved']);
  });

  it('a rule over a lookback reads the row at or before its start, and covers only the clusters of its scope', async () => {
    const { alerts } = evaluator();
    await cycle(alerts);
    const rows = await storage.db.selectFrom('metrics_snapshots').select(['collected_at', 'query_total']).where('cluster_id', '=', ids[2]!).orderBy('collected_at', 'desc').execute();
    const climbing = (await activeAlertStates(storage.db)).filter((s) => s.ruleName === 'queries-climbing');
    expect(climbing.map((s) => [s.clusterId, s.state.status])).toEqual([[ids[2], 'firing']]);
    const [event] = (await alertHistory(storage.db, { limit: 100, clusterId: ids[2]! })).filter((e) => e.ruleName === 'queries-climbing');
    const atEvent = rows.find((r) => r.collected_at === event!.at)!;
    const thenAtEvent = rows.find((r) => r.collected_at <= event!.at - 60_000)!;
    expect(event!.value).toBe(atEvent.query_total! - thenAtEvent.query_total!);
  });

  it('a disk filling up (the simulator’s disk_full) fires after `for` with the fullest disk in its summary, and resolves once freed', async () => {
    const { alerts } = evaluator();
    await cycle(alerts);
    await fleet.clusters[0]!.setFaults(parseFaults('disk_full@1=96'));
    await cycle(alerts);
    expect(await states()).toEqual([['disk-full', ids[0], 'pending']]);
    await cycle(alerts);
    await cycle(alerts);
    expect(await states()).toEqual([['disk-full', ids[0], 'firing']]);
    const [fired] = await alertHistory(storage.db, { limit: 1, clusterId: ids[0]! });
    const truth = fleet.clusters[0]!.truth(clock.now() - INTERVAL, clock.now());
    expect(truth.disk_max_usage_pct).toBeGreaterThan(90);
    expect(fired).toMatchObject({ ruleName: 'disk-full', event: 'fired', annotations: { summary: `a disk is ${Number(truth.disk_max_usage_pct!.toPrecision(4))} % full` } });
    await fleet.clusters[0]!.setFaults([]);
    await cycle(alerts);
    expect(await states()).toEqual([]);
    expect((await alertHistory(storage.db, { limit: 1, clusterId: ids[0]! }))[0]).toMatchObject({ ruleName: 'disk-full', event: 'resolved' });
  });
});
