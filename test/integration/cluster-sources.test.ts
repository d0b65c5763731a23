/**
 * A cluster's own optional sources, end to end: simulated clusters on loopback, real HTTP, a
 * real database. What each collection asked is counted at the simulator, so a cluster that
 * switched its optional sources off is seen to cost its FE exactly the always-read requests,
 * while a cluster following the global set is asked its followers and BEs as well.
 */
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Collector } from '../../src/collector/collector.js';
import { ClusterRegistry } from '../../src/registry/cluster-registry.js';
import type { OptionalSource } from '../../src/shared/optional-sources.js';
import { startSimulatedFleet, type SimulatedFleet } from '../../src/simulator/fleet.js';
import type { SimulatedCluster } from '../../src/simulator/simulated-cluster.js';
import type { Storage } from '../../src/storage/dialect/dialect.js';
import { openSqlite } from '../../src/storage/dialect/sqlite/sqlite-dialect.js';
import { migrateToLatest } from '../../src/storage/migrate.js';
import { clusterFields, manualClock, randomSecretBox } from '../helpers/factories.js';

const clock = manualClock();
let fleet: SimulatedFleet;
let storage: Storage;
let registry: ClusterRegistry;
let collector: Collector;

/** The requests a cluster answered during `work`, by `node path`. */
async function requestsDuring(cluster: SimulatedCluster, work: () => Promise<unknown>): Promise<Record<string, number>> {
  const before = cluster.requests();
  await work();
  const after = cluster.requests();
  return Object.fromEntries(Object.entries(after).flatMap(([key, n]) => (n - (before[key] ?? 0) > 0 ? [[key, n - (before[key] ?? 0)]] : [])));
}

const sim = (i: number): SimulatedCluster => fleet.clusters[i]!;

async function register(i: number, sources: readonly OptionalSource[] | null): Promise<number> {
  const d = fleet.details()[i]!;
  const cluster = await registry.create(
    clusterFields({ name: d.name, fe_host: d.fe_host, fe_http_port: d.fe_http_port, fe_query_port: d.fe_query_port, password: 'pw', connection_timeout: 2, sources }),
  );
  return cluster.id;
}

beforeAll(async () => {
  fleet = await startSimulatedFleet({ clusters: 3, fes: 3, bes: 3, password: 'pw', clock: clock.now, beMetrics: true });
  storage = openSqlite(':memory:');
  await migrateToLatest(storage);
  registry = new ClusterRegistry({ db: storage.db, dialect: storage.dialect, secrets: randomSecretBox(), now: clock.now });
  // The global set: followers and BEs, no runtime info.
  collector = new Collector({
    storage,
    registry,
    logger: pino({ level: 'silent' }),
    now: clock.now,
    options: { scrapeFollowers: true, scrapeBackends: true, runtimeInfo: false, maxConcurrency: 3 },
  });
});

afterAll(async () => {
  await collector.close();
  await fleet.close();
  await storage.close();
});

describe('a cluster’s own sources', () => {
  it('sources [] asks only the node lists and the configured FE’s /metrics; the global set asks the followers and BEs too', async () => {
    const none = await register(0, []);
    const global = await register(1, null);
    const noneAsked = await requestsDuring(sim(0), () => collector.collectAll([none]));
    expect(noneAsked).toEqual({
      'fe0 /api/show_proc?path=/backends': 1,
      'fe0 /api/show_proc?path=/compute_nodes': 1,
      'fe0 /api/show_proc?path=/frontends': 1,
      'fe0 /metrics': 1,
    });

    const globalAsked = await requestsDuring(sim(1), () => collector.collectAll([global]));
    expect(globalAsked).toEqual({
      'fe0 /api/show_proc?path=/backends': 1,
      'fe0 /api/show_proc?path=/compute_nodes': 1,
      'fe0 /api/show_proc?path=/frontends': 1,
      'fe0 /metrics': 1,
      'fe1 /metrics': 1,
      'fe2 /metrics': 1,
      'be0 /metrics': 1,
      'be1 /metrics': 1,
      'be2 /metrics': 1,
    });
  });

  it('an explicit list is followed as given, runtime info included although the global set has none', async () => {
    const id = await register(2, ['runtime_info', 'be_metrics']);
    const asked = await requestsDuring(sim(2), () => collector.collectAll([id]));
    expect(Object.keys(asked).filter((k) => !k.includes('show_proc')).sort()).toEqual(['be0 /metrics', 'be1 /metrics', 'be2 /metrics', 'fe0 /api/show_runtime_info', 'fe0 /metrics']);
  });

  it('an edit takes effect at the next collection: the cluster that had none now asks its BEs', async () => {
    const [first] = await registry.list();
    clock.advance(1000);
    await registry.update(first!.id, { sources: ['be_metrics'] });
    clock.advance(30_000);
    const asked = await requestsDuring(sim(0), () => collector.collectAll([first!.id]));
    expect(Object.keys(asked).filter((k) => k.endsWith('/metrics')).sort()).toEqual(['be0 /metrics', 'be1 /metrics', 'be2 /metrics', 'fe0 /metrics']);
    const back = await registry.update(first!.id, { sources: null });
    expect(back.sources).toBeNull();
  });
});
