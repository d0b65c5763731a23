/**
 * The collection state lives in the database: a collecting process stores each cluster's
 * schedule (failures, backoff, last outcome), a restart on the same database resumes it — a
 * cluster in backoff stays in it — and an API instance that does not collect shows the same
 * state as the process that does. On a SQLite file and on PostgreSQL, each closed and opened
 * again as a restart does; simulated clusters over loopback, the scheduler on a fake clock.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { presentCollection } from '../../src/api/presenters/cluster.js';
import { RAW_TREND_COLUMNS, TIER_TREND_COLUMNS } from '../../src/api/overview/trend-series.js';
import { startCollection } from '../../src/collector/collection-service.js';
import { CollectionStateStore } from '../../src/collector/collection-state-store.js';
import { loadConfig } from '../../src/config/sources.js';
import { Collector } from '../../src/collector/collector.js';
import { JobRunner } from '../../src/collector/job-runner.js';
import { clusterOffsetMs } from '../../src/collector/schedule.js';
import { CollectionScheduler } from '../../src/collector/scheduler.js';
import { ClusterRegistry } from '../../src/registry/cluster-registry.js';
import type { ClusterJson } from '../../src/shared/api/clusters.js';
import type { FleetOverviewJson } from '../../src/shared/api/fleet.js';
import type { ClusterOverviewJson } from '../../src/shared/api/overview.js';
import { parseFaults } from '../../src/simulator/faults.js';
import { startSimulatedFleet } from '../../src/simulator/fleet.js';
import type { Storage } from '../../src/storage/dialect/dialect.js';
import { openPostgres } from '../../src/storage/dialect/postgres/postgres-dialect.js';
import { openSqlite } from '../../src/storage/dialect/sqlite/sqlite-dialect.js';
import { migrateToLatest } from '../../src/storage/migrate.js';
import { collectionStateOf } from '../../src/storage/repos/collection-state.repo.js';
import { postgresSkipReason, postgresTestUrl } from '../helpers/dialects.js';
import { FakeClock, flush } from '../helpers/fake-clock.js';
import { clusterFields, randomSecretBox } from '../helpers/factories.js';
import { createTestApp, loggerInto } from '../helpers/test-app.js';

/** The test app's clock stands at this instant too. */
const T0 = Date.UTC(2026, 10, 24, 12, 0, 0);
const INTERVAL = 30_000;

/** One database that outlives the storages opened on it, as a file or a server does across restarts. */
interface SharedDatabase {
  open(): Storage;
  remove(): Promise<void>;
}

const DATABASES: ReadonlyArray<{ name: string; create(): Promise<SharedDatabase> }> = [
  {
    name: 'a SQLite file',
    create: () => {
      const folder = mkdtempSync(join(tmpdir(), 'stellar-state-'));
      return Promise.resolve({ open: () => openSqlite(join(folder, 'stellar.db')), remove: () => Promise.resolve(rmSync(folder, { recursive: true, force: true })) });
    },
  },
  ...(postgresSkipReason === null
    ? [
        {
          name: 'PostgreSQL',
          create: async () => {
            const target = await postgresTestUrl();
            return { open: () => openPostgres({ url: target.url, poolSize: 2 }), remove: () => target.drop() };
          },
        },
      ]
    : []),
];

let cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
  cleanups = [];
});

/** One collecting process on the database, as the service runs it (first collections on their slots, states stored), until stop(). */
async function startCollecting(database: SharedDatabase, clock: FakeClock) {
  const storage = database.open();
  await migrateToLatest(storage);
  const logger = loggerInto([], 'warn');
  const now = () => clock.now();
  const registry = new ClusterRegistry({ db: storage.db, dialect: storage.dialect, secrets: randomSecretBox(), now });
  const collector = new Collector({ storage, registry, logger, now, options: { scrapeFollowers: false, scrapeBackends: false, runtimeInfo: false, maxConcurrency: 2 } });
  const runner = new JobRunner({ clock, logger });
  const store = new CollectionStateStore({ storage, runner });
  const scheduler = new CollectionScheduler({ collector, registry, logger, runner, store }, { intervalMs: INTERVAL, maxConcurrency: 2, backoff: { factor: 2, maxIntervals: 4 }, firstCollections: 'on-slot' });
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    // The order of startCollection's stop(): the last states are stored once the collections in flight ended.
    scheduler.stop();
    await runner.stop();
    await store.flush();
    await collector.close();
    await storage.close();
  };
  cleanups.push(stop);
  scheduler.start();
  const settle = async () => {
    await runner.whenIdle();
    await flush();
  };
  return { storage, registry, scheduler, settle, stop };
}

/** The cluster's first slot after `after`. */
function slotAfter(id: number, after: number): number {
  const at = Math.floor(after / INTERVAL) * INTERVAL + clusterOffsetMs(id, INTERVAL);
  return at > after ? at : at + INTERVAL;
}

describe.each(DATABASES)('collection state on $name', (kind) => {
  async function setUp() {
    const database = await kind.create();
    cleanups.push(() => database.remove());
    const clock = new FakeClock(T0);
    // Two clusters; the second's only FE is down, so each of its collections fails.
    const fleet = await startSimulatedFleet({ clusters: 2, fes: 1, bes: 1, clock: () => clock.now(), faults: '2:fe_down@0' });
    cleanups.push(() => fleet.close());
    const setup = database.open();
    await migrateToLatest(setup);
    const registry = new ClusterRegistry({ db: setup.db, dialect: setup.dialect, secrets: randomSecretBox(), now: () => T0 });
    const ids: number[] = [];
    for (const d of fleet.details()) ids.push((await registry.create(clusterFields({ name: d.name, fe_host: d.fe_host, fe_http_port: d.fe_http_port, fe_query_port: d.fe_query_port, connection_timeout: 1 }))).id);
    await setup.close();
    return { database, clock, fleet, healthy: ids[0]!, failing: ids[1]! };
  }

  it('resumes failures and backoff after a restart: a cluster in backoff stays in it', async () => {
    const { database, clock, failing } = await setUp();
    const first = await startCollecting(database, clock);
    // Attempts at its first slot s, then s + 1 and s + 3 intervals (backoff 1, 2, then 4 intervals).
    const s = slotAfter(failing, T0);
    await clock.advanceTo(s + 3 * INTERVAL, first.settle);
    expect(first.scheduler.scheduleStates().get(failing)).toMatchObject({ consecutiveFailures: 3, lastAttemptAt: s + 3 * INTERVAL, nextAttemptAt: s + 7 * INTERVAL });
    await first.stop();

    // Restarted an interval later: a fresh schedule would collect it at its next slot, s + 5 intervals.
    await clock.advanceTo(s + 4 * INTERVAL);
    const second = await startCollecting(database, clock);
    await clock.advanceTo(s + 7 * INTERVAL - 1, second.settle);
    expect(second.scheduler.scheduleStates().get(failing)).toMatchObject({ consecutiveFailures: 3, lastAttemptAt: s + 3 * INTERVAL, nextAttemptAt: s + 7 * INTERVAL, running: false });
    await clock.advanceTo(s + 7 * INTERVAL, second.settle);
    // The fourth failure in a row: the backoff goes on from where it was (4 intervals, the longest).
    expect(second.scheduler.scheduleStates().get(failing)).toMatchObject({ consecutiveFailures: 4, lastAttemptAt: s + 7 * INTERVAL, nextAttemptAt: s + 11 * INTERVAL });
    await second.stop();
    const reopened = database.open();
    expect(await collectionStateOf(reopened.db, failing)).toMatchObject({ consecutiveFailures: 4, lastStatus: 'failed', nextAttemptAt: s + 11 * INTERVAL, running: false });
    await reopened.close();
  });

  it('shows in an API instance that does not collect the state the collecting one holds', async () => {
    const { database, clock, healthy, failing } = await setUp();
    const collecting = await startCollecting(database, clock);
    await clock.advanceTo(T0 + 4 * INTERVAL, collecting.settle);
    // The states of the last second are stored within a second.
    await clock.advance(1000, collecting.settle);
    const viewer = await createTestApp({ storage: database.open() });
    cleanups.push(() => viewer.close());
    const get = async <T>(url: string): Promise<T> => {
      const response = await viewer.app.inject({ method: 'GET', url, headers: { authorization: viewer.auth } });
      expect(response.statusCode, response.body).toBe(200);
      return response.json<T>();
    };
    // As the collecting process would present them, at the viewer's instant.
    const held = (id: number) => presentCollection(collecting.scheduler.scheduleStates().get(id), viewer.clock.now());
    const failed = held(failing);
    expect(failed).toMatchObject({ status: 'failed', consecutive_failures: 3, last_success_at: null, last_error: expect.stringContaining('(refused)') });
    expect(held(healthy)).toMatchObject({ status: 'ok', consecutive_failures: 0, last_error: null, last_success_at: expect.any(String) });

    const clusters = await get<ClusterJson[]>('/api/clusters');
    expect(clusters.map((c) => [c.id, c.collection])).toEqual([
      [healthy, held(healthy)],
      [failing, failed],
    ]);
    expect((await get<ClusterJson>(`/api/clusters/${failing}`)).collection).toEqual(failed);
    const fleet = await get<FleetOverviewJson>('/api/fleet/overview');
    expect(new Map(fleet.clusters.map((c) => [c.id, c.collection]))).toEqual(new Map([[healthy, held(healthy)], [failing, failed]]));
    expect((await get<ClusterOverviewJson>(`/api/clusters/overview?cluster_id=${failing}`)).collection).toEqual(failed);
  });

  it('stores the last state when collection stops (SIGTERM), once the collection in flight has ended', async () => {
    const { database, clock, fleet, healthy } = await setUp();
    // Its answers take a while: the collection is still in flight when stop() is called.
    await fleet.clusters[0]!.setFaults(parseFaults('slow@0=300'));
    const storage = database.open();
    cleanups.push(() => storage.close());
    const registry = new ClusterRegistry({ db: storage.db, dialect: storage.dialect, secrets: randomSecretBox(), now: () => clock.now() });
    const metrics = { ...loadConfig({ configPath: join(tmpdir(), 'stellar-none.toml'), explicit: false, env: {} }).config.metrics, interval_secs: INTERVAL / 1000 };
    const running = startCollection({ storage, registry, logger: loggerInto([], 'warn'), metrics, clock, trendFields: RAW_TREND_COLUMNS, tierTrendColumns: TIER_TREND_COLUMNS });
    const slot = slotAfter(healthy, T0);
    // The service's first collection of the cluster is at its slot. The clock then stands still,
    // so the batch job writes nothing more: what is stored after stop() is stop()'s own write.
    const states = running.scheduler.scheduleStates();
    while (!states.has(healthy)) {
      await clock.advance(0);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    while (states.get(healthy)?.lastAttemptAt !== slot) {
      await clock.advanceTo(slot);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    await running.stop();
    expect(await collectionStateOf(storage.db, healthy)).toMatchObject({ lastStatus: 'ok', consecutiveFailures: 0, lastAttemptAt: slot, lastSuccessAt: slot, running: false });
  });
});
