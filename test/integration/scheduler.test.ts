/**
 * The scheduler driving a real Collector against simulated clusters over loopback, on a fake
 * clock: the first collection at start-up, each cluster on its slot afterwards, no overlap, the
 * next collection started the moment one ends, a fleet beyond the old polling tick's ceiling on
 * time, backoff and recovery, lag when every slot is busy, registry changes, and stop().
 * Only the scheduler's timers are fake; sockets, timeouts and SQLite run on real time.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { presentCollection } from '../../src/api/presenters/cluster.js';
import { Collector } from '../../src/collector/collector.js';
import { JobRunner } from '../../src/collector/job-runner.js';
import { clusterOffsetMs } from '../../src/collector/schedule.js';
import { type ClusterCollector, CollectionScheduler } from '../../src/collector/scheduler.js';
import { ClusterRegistry } from '../../src/registry/cluster-registry.js';
import { parseFaults } from '../../src/simulator/faults.js';
import { startSimulatedFleet, type SimulatedFleet } from '../../src/simulator/fleet.js';
import type { Storage } from '../../src/storage/dialect/dialect.js';
import { openSqlite } from '../../src/storage/dialect/sqlite/sqlite-dialect.js';
import { migrateToLatest } from '../../src/storage/migrate.js';
import { FakeClock, flush } from '../helpers/fake-clock.js';
import { clusterFields, randomSecretBox } from '../helpers/factories.js';
import { fillSqlite } from '../helpers/full-sqlite.js';
import { loggerInto } from '../helpers/test-app.js';

const T0 = Date.UTC(2026, 10, 24, 12, 0, 0);
let cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
  cleanups = [];
});

interface Options {
  readonly clusters: number;
  readonly intervalMs: number;
  readonly maxConcurrency: number;
  readonly faults?: string;
  readonly connectionTimeout?: number;
  readonly firstCollections?: 'at-once' | 'on-slot';
}

async function setUp(options: Options) {
  const clock = new FakeClock(T0);
  const now = () => clock.now();
  const fleet: SimulatedFleet = await startSimulatedFleet({ clusters: options.clusters, fes: 1, bes: 1, clock: now, ...(options.faults ? { faults: options.faults } : {}) });
  const storage: Storage = openSqlite(':memory:');
  await migrateToLatest(storage);
  const registry = new ClusterRegistry({ db: storage.db, dialect: storage.dialect, secrets: randomSecretBox(), now });
  const ids: number[] = [];
  const register = async (i: number) => {
    const d = fleet.details()[i]!;
    const fields = clusterFields({ name: d.name, fe_host: d.fe_host, fe_http_port: d.fe_http_port, fe_query_port: d.fe_query_port, connection_timeout: options.connectionTimeout ?? 1 });
    return (await registry.create(fields)).id;
  };
  for (let i = 0; i < options.clusters; i += 1) ids.push(await register(i));
  const logs: string[] = [];
  const logger = loggerInto(logs, 'warn');
  const collector = new Collector({ storage, registry, logger, now, options: { scrapeFollowers: true, scrapeBackends: false, runtimeInfo: false, maxConcurrency: options.maxConcurrency } });
  // The real collector, watched: how many collections run at once, overall and per cluster.
  const watch = { inFlight: 0, most: 0, perCluster: new Map<number, number>(), overlapped: false, forgotten: [] as number[], descriptions: new Map<number, string[]>() };
  const watched: ClusterCollector = {
    async collect(cluster) {
      watch.inFlight += 1;
      watch.most = Math.max(watch.most, watch.inFlight);
      const mine = (watch.perCluster.get(cluster.id) ?? 0) + 1;
      watch.perCluster.set(cluster.id, mine);
      if (mine > 1) watch.overlapped = true;
      watch.descriptions.set(cluster.id, [...(watch.descriptions.get(cluster.id) ?? []), cluster.description]);
      try {
        return await collector.collect(cluster);
      } finally {
        watch.inFlight -= 1;
        watch.perCluster.set(cluster.id, (watch.perCluster.get(cluster.id) ?? 1) - 1);
      }
    },
    forget(clusterId) {
      watch.forgotten.push(clusterId);
      return collector.forget(clusterId);
    },
  };
  const runner = new JobRunner({ clock, logger });
  const scheduler = new CollectionScheduler({ collector: watched, registry, logger, runner }, { intervalMs: options.intervalMs, maxConcurrency: options.maxConcurrency, backoff: { factor: 2, maxIntervals: 4 }, firstCollections: options.firstCollections ?? 'at-once' });
  cleanups.push(async () => {
    scheduler.stop();
    await runner.stop();
    await collector.close();
    await fleet.close();
    await storage.close();
  });
  /** Every collection a fired timer started has ended. */
  const settle = async () => {
    await runner.whenIdle();
    await flush();
  };
  const rowsOf = async (id: number) =>
    storage.db.selectFrom('metrics_snapshots').select(['collected_at', 'collect_status']).where('cluster_id', '=', id).orderBy('collected_at').execute();
  const timesOf = async (id: number) => (await rowsOf(id)).map((r) => r.collected_at);
  const stateOf = (id: number) => scheduler.scheduleStates().get(id)!;
  return { clock, fleet, storage, registry, ids, register, logs, watch, runner, scheduler, settle, rowsOf, timesOf, stateOf };
}

/** The cluster's slots in (from, to]: its offset in every interval. */
function slots(id: number, interval: number, from: number, to: number): number[] {
  const out: number[] = [];
  for (let at = Math.floor(from / interval) * interval + clusterOffsetMs(id, interval); at <= to; at += interval) if (at > from) out.push(at);
  return out;
}

describe('CollectionScheduler', () => {
  it('collects every cluster at start-up, then each on its slot every interval, never two of one at once', async () => {
    const interval = 30_000;
    const t = await setUp({ clusters: 3, intervalMs: interval, maxConcurrency: 2 });
    t.scheduler.start();
    await t.clock.advance(0, t.settle);
    // Three clusters, two slots: the third starts when one of the first two ends, at the same instant.
    for (const id of t.ids) expect(await t.timesOf(id)).toEqual([T0]);
    const end = T0 + 4 * interval;
    await t.clock.advanceTo(end, t.settle);
    for (const id of t.ids) {
      expect(await t.timesOf(id), `cluster ${id}`).toEqual([T0, ...slots(id, interval, T0, end)]);
      expect((await t.rowsOf(id)).every((r) => r.collect_status === 'ok')).toBe(true);
      expect(t.stateOf(id)).toMatchObject({ lastStatus: 'ok', consecutiveFailures: 0, running: false, lagMs: 0 });
    }
    expect(t.watch.most).toBe(2);
    expect(t.watch.overlapped).toBe(false);
  });

  it('with firstCollections on-slot, collects each cluster at start-up at its slot of the first interval, and a cluster added later at once', async () => {
    const interval = 30_000;
    const t = await setUp({ clusters: 4, intervalMs: interval, maxConcurrency: 4, firstCollections: 'on-slot' });
    const known = t.ids.slice(0, 3);
    await t.registry.delete(t.ids[3]!);
    t.scheduler.start();
    await t.clock.advance(0, t.settle);
    for (const id of known) expect(await t.timesOf(id)).toEqual([]);
    const end = T0 + 2 * interval;
    await t.clock.advanceTo(end, t.settle);
    // Spread over the interval as afterwards: no two clusters at the same instant (their offsets differ).
    for (const id of known) expect(await t.timesOf(id), `cluster ${id}`).toEqual(slots(id, interval, T0, end));
    expect(new Set(known.map((id) => clusterOffsetMs(id, interval))).size).toBe(known.length);
    const added = await t.register(3);
    await t.clock.advance(0, t.settle);
    expect(await t.timesOf(added)).toEqual([end]);
  });

  it('starts the next due collection the moment one ends, with no tick in between', async () => {
    // One slot, and the first cluster's FE answers after 300 ms of real time.
    const t = await setUp({ clusters: 3, intervalMs: 60_000, maxConcurrency: 1, faults: '1:slow@0=300' });
    t.scheduler.start();
    await t.clock.advance(0, t.settle);
    // The clock did not move: each collection started as the one before it ended, all at T0.
    for (const id of t.ids) expect(await t.timesOf(id)).toEqual([T0]);
    expect(t.watch.most).toBe(1);
  });

  it('keeps a fleet beyond the old tick ceiling (2 per 0.5 s tick = 20 per interval) on its slots', async () => {
    const interval = 5_000;
    const t = await setUp({ clusters: 32, intervalMs: interval, maxConcurrency: 2 });
    t.scheduler.start();
    const end = T0 + 2 * interval;
    await t.clock.advanceTo(end, t.settle);
    for (const id of t.ids) {
      expect(await t.timesOf(id), `cluster ${id}`).toEqual([T0, ...slots(id, interval, T0, end)]);
      expect(t.stateOf(id).lagMs).toBe(0);
    }
    expect(t.watch.most).toBe(2);
    expect(t.logs.join('')).not.toContain('falling behind');
  });

  it('backs off a failing cluster by 2, 4, 4 intervals, shows it, and returns to its slot when it answers', async () => {
    const interval = 30_000;
    const t = await setUp({ clusters: 2, intervalMs: interval, maxConcurrency: 2, faults: '2:fe_down@0' });
    const failing = t.ids[1]!;
    t.scheduler.start();
    const [s1] = slots(failing, interval, T0, T0 + interval) as [number];
    await t.clock.advanceTo(s1 + 10 * interval, t.settle);
    const attempts = [T0, s1, s1 + 2 * interval, s1 + 6 * interval, s1 + 10 * interval];
    expect(await t.timesOf(failing)).toEqual(attempts);
    expect((await t.rowsOf(failing)).every((r) => r.collect_status === 'failed')).toBe(true);
    expect(t.stateOf(failing)).toMatchObject({ lastStatus: 'failed', consecutiveFailures: 5, lastAttemptAt: s1 + 10 * interval, nextAttemptAt: s1 + 14 * interval });
    expect(presentCollection(t.stateOf(failing), t.clock.now())).toMatchObject({ status: 'failed', consecutive_failures: 5, next_attempt_at: new Date(s1 + 14 * interval).toISOString() });
    expect(await t.timesOf(t.ids[0]!)).toEqual([T0, ...slots(t.ids[0]!, interval, T0, s1 + 10 * interval)]);

    await t.fleet.clusters[1]!.setFaults([]);
    await t.clock.advanceTo(s1 + 14 * interval, t.settle);
    expect(t.stateOf(failing)).toMatchObject({ lastStatus: 'ok', consecutiveFailures: 0, nextAttemptAt: s1 + 15 * interval });
  });

  it('falls behind when every slot is busy, and says how far: in the state, the API and a warning', async () => {
    const interval = 60_000;
    const t = await setUp({ clusters: 2, intervalMs: interval, maxConcurrency: 1, connectionTimeout: 2 });
    // `first` holds the only slot from its next slot on; `second` is due while it does.
    const [first, second] = [...t.ids].sort((a, b) => clusterOffsetMs(a, interval) - clusterOffsetMs(b, interval)) as [number, number];
    const [firstSlot] = slots(first, interval, T0, T0 + interval) as [number];
    const [secondSlot] = slots(second, interval, T0, T0 + interval) as [number];
    t.scheduler.start();
    await t.clock.advance(0, t.settle);
    await t.fleet.clusters[t.ids.indexOf(first)]!.setFaults(parseFaults('hang'));
    await t.clock.advanceTo(firstSlot);
    expect(t.stateOf(first).running).toBe(true);
    // A fifth of an interval behind is not yet late; half of one is.
    await t.clock.advanceTo(secondSlot + interval / 5);
    expect(presentCollection(t.stateOf(second), t.clock.now())).toMatchObject({ lag_ms: interval / 5, late: false });
    const waitUntil = secondSlot + interval / 2;
    await t.clock.advanceTo(waitUntil);
    expect(t.stateOf(second)).toMatchObject({ running: false, nextAttemptAt: secondSlot });
    expect(presentCollection(t.stateOf(second), t.clock.now())).toMatchObject({ lag_ms: interval / 2, late: true });

    // The hanging collection times out (real time); the waiting one starts at once, half an interval late.
    await t.settle();
    expect(await t.timesOf(second)).toEqual([T0, waitUntil]);
    expect(t.stateOf(second).lagMs).toBe(interval / 2);
    const warning = t.logs.map((l) => JSON.parse(l) as { msg: string; lag_ms?: number; cluster_id?: number }).find((l) => l.msg.includes('falling behind'));
    expect(warning).toMatchObject({ cluster_id: second, lag_ms: interval / 2 });
    expect(warning?.msg).toContain(`cluster ${second} started 30.0 s after its slot`);
  });

  it('collects an added cluster at once, follows an edited interval, and forgets a deleted cluster', async () => {
    const interval = 30_000;
    const t = await setUp({ clusters: 3, intervalMs: interval, maxConcurrency: 2 });
    const [a, b, c] = t.ids as [number, number, number];
    await t.registry.delete(c);
    t.scheduler.start();
    await t.clock.advance(1_000, t.settle);
    // The registry says it changed: no waiting for the next re-read (REGISTRY_REREAD_MS).
    const added = await t.register(2);
    await t.clock.advance(0, t.settle);
    expect(await t.timesOf(added)).toEqual([T0 + 1_000]);

    await t.registry.update(a, { collect_interval: 90 });
    await t.registry.delete(b);
    await t.clock.advance(0, t.settle);
    expect(t.scheduler.scheduleStates().has(b)).toBe(false);
    // Its connections are let go of at once, not when the service stops.
    expect(t.watch.forgotten).toEqual([b]);
    const end = T0 + 1_000 + 6 * interval;
    await t.clock.advanceTo(end, t.settle);
    expect(await t.timesOf(a)).toEqual([T0, ...slots(a, 90_000, T0 + 1_000, end)]);
    expect(await t.timesOf(b)).toEqual([]);
  });

  it('drops the row of a cluster deleted while its collection is in flight, quietly, and goes on with the others', async () => {
    const interval = 30_000;
    const t = await setUp({ clusters: 2, intervalMs: interval, maxConcurrency: 2, connectionTimeout: 5 });
    const [gone, kept] = t.ids as [number, number];
    // Held in flight: its FE answers after a while, long after the delete below.
    await t.fleet.clusters[0]!.setFaults(parseFaults('slow@all=1000'));
    t.scheduler.start();
    await t.clock.advance(0);
    expect(t.stateOf(gone).running).toBe(true);
    await t.registry.delete(gone);
    await t.clock.advance(0, t.settle);
    expect(await t.rowsOf(gone)).toEqual([]);
    expect(t.scheduler.scheduleStates().has(gone)).toBe(false);
    // A normal event: nothing at warn or error (no "collection failed" with a stack trace).
    expect(t.logs).toEqual([]);
    await t.clock.advance(interval, t.settle);
    expect((await t.rowsOf(kept)).length).toBe(2);
    expect(t.scheduler.scheduleStates().has(gone)).toBe(false);
  });

  it('on a full disk stores nothing and logs no error per collection, and stores again once there is room', async () => {
    const interval = 30_000;
    const t = await setUp({ clusters: 2, intervalMs: interval, maxConcurrency: 2 });
    t.scheduler.start();
    await t.clock.advance(0, t.settle);
    const makeRoom = await fillSqlite(t.storage);
    // The snapshots' pages keep a little room: a few collections may still be stored.
    for (let i = 0; i < 100 && t.storage.writeHealth.failure === null; i += 1) await t.clock.advance(interval, t.settle);
    expect(t.storage.writeHealth.failure?.reason).toBe('the disk is full (SQLITE_FULL)');
    const stored = (await t.rowsOf(t.ids[0]!)).length;
    await t.clock.advance(3 * interval, t.settle);
    expect((await t.rowsOf(t.ids[0]!)).length).toBe(stored);
    expect(t.logs.filter((line) => line.includes('collection failed'))).toEqual([]);
    await makeRoom();
    // Backed off after the failures: within the backoff's longest wait (4 intervals), rows again.
    await t.clock.advance(5 * interval, t.settle);
    expect((await t.rowsOf(t.ids[0]!)).length).toBeGreaterThan(stored);
    expect(t.storage.writeHealth.failure).toBeNull();
  });

  it('collects with the latest fields: an edit here applies to the next collection, one by another process within an interval', async () => {
    const interval = 30_000;
    const t = await setUp({ clusters: 1, intervalMs: interval, maxConcurrency: 1 });
    const [a] = t.ids as [number];
    t.scheduler.start();
    await t.clock.advance(0, t.settle);
    await t.registry.update(a, { description: 'edited here' });
    const [first, second, third] = slots(a, interval, T0, T0 + 3 * interval) as [number, number, number];
    await t.clock.advanceTo(first, t.settle);
    // Another process's registry over the same database: this one hears nothing of it.
    const elsewhere = new ClusterRegistry({ db: t.storage.db, dialect: t.storage.dialect, secrets: randomSecretBox(), now: () => t.clock.now() });
    await elsewhere.update(a, { description: 'edited elsewhere' });
    await t.clock.advanceTo(second, t.settle);
    await t.clock.advanceTo(third, t.settle);
    expect(t.watch.descriptions.get(a)).toEqual(['', 'edited here', 'edited elsewhere', 'edited elsewhere']);
  });

  it('stops: waits for the collection in flight and starts nothing after', async () => {
    const interval = 30_000;
    const t = await setUp({ clusters: 1, intervalMs: interval, maxConcurrency: 1, faults: 'slow@0=200' });
    const id = t.ids[0]!;
    t.scheduler.start();
    await t.clock.advance(0);
    expect(t.stateOf(id).running).toBe(true);
    t.scheduler.stop();
    await t.runner.stop();
    expect(await t.timesOf(id)).toEqual([T0]);
    expect(t.stateOf(id).running).toBe(false);
    await t.clock.advance(10 * interval, t.settle);
    expect(await t.timesOf(id)).toEqual([T0]);
  });
});
