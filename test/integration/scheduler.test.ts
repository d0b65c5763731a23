/**
 * The scheduler on real time with a short interval: the first collection at start-up, each
 * cluster at its own offset afterwards, no overlap, backoff after failures and recovery.
 */
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Collector } from '../../src/collector/collector.js';
import { CollectionScheduler } from '../../src/collector/scheduler.js';
import { clusterOffsetMs } from '../../src/collector/schedule.js';
import { ClusterRegistry } from '../../src/registry/cluster-registry.js';
import { parseFaults } from '../../src/simulator/faults.js';
import { startSimulatedFleet, type SimulatedFleet } from '../../src/simulator/fleet.js';
import type { Storage } from '../../src/storage/dialect/dialect.js';
import { openSqlite } from '../../src/storage/dialect/sqlite/sqlite-dialect.js';
import { migrateToLatest } from '../../src/storage/migrate.js';
import { clusterFields, randomSecretBox } from '../helpers/factories.js';

const INTERVAL = 600;
let fleet: SimulatedFleet;
let storage: Storage;
let collector: Collector;
let scheduler: CollectionScheduler;
const ids: number[] = [];

const rowsOf = async (id: number) =>
  storage.db.selectFrom('metrics_snapshots').select(['collected_at', 'collect_status']).where('cluster_id', '=', id).orderBy('collected_at').execute();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

beforeAll(async () => {
  fleet = await startSimulatedFleet({ clusters: 3, fes: 1, bes: 2 });
  storage = openSqlite(':memory:');
  await migrateToLatest(storage);
  const registry = new ClusterRegistry({ db: storage.db, dialect: storage.dialect, secrets: randomSecretBox(), now: Date.now });
  for (const d of fleet.details()) {
    ids.push((await registry.create(clusterFields({ name: d.name, fe_host: d.fe_host, fe_http_port: d.fe_http_port, fe_query_port: d.fe_query_port, connection_timeout: 1 }))).id);
  }
  await fleet.clusters[2]!.setFaults(parseFaults('fe_down@0'));
  const logger = pino({ level: 'silent' });
  collector = new Collector({ db: storage.db, registry, logger, now: Date.now, options: { scrapeFollowers: true, scrapeBackends: false, runtimeInfo: false, maxConcurrency: 2 } });
  scheduler = new CollectionScheduler({ collector, registry, logger, now: Date.now }, { intervalMs: INTERVAL, maxConcurrency: 2, tickMs: 20, backoff: { factor: 2, maxIntervals: 4 } });
});

afterAll(async () => {
  await scheduler.stop();
  await collector.close();
  await fleet.close();
  await storage.close();
});

describe('CollectionScheduler', () => {
  it('collects every cluster at start-up, then each at its offset, never twice at once', async () => {
    const started = Date.now();
    scheduler.start();
    await sleep(INTERVAL / 2);
    // Every cluster once at start-up, not one interval later (a quick failure may already have had its next slot).
    for (const id of ids) {
      const rows = await rowsOf(id);
      expect(rows.length, `cluster ${id} at start-up`).toBeGreaterThanOrEqual(1);
      expect(rows[0]!.collected_at - started).toBeLessThan(INTERVAL / 2);
    }
    await sleep(INTERVAL * 4);
    const rows = await rowsOf(ids[0]!);
    expect(rows.length).toBeGreaterThanOrEqual(4);
    // After the first, collections land on the cluster's slot in each interval (tick slack allowed).
    for (const row of rows.slice(1)) {
      const phase = (row.collected_at - clusterOffsetMs(ids[0]!, INTERVAL) + INTERVAL) % INTERVAL;
      expect(Math.min(phase, INTERVAL - phase)).toBeLessThan(INTERVAL / 4);
    }
    const gaps = rows.slice(1).map((r, i) => r.collected_at - rows[i]!.collected_at);
    for (const gap of gaps.slice(1)) expect(gap).toBeGreaterThan(INTERVAL / 2);
  });

  it('backs off a failing cluster, shows it, and recovers when it answers again', async () => {
    const state = scheduler.snapshot().get(ids[2]!)!;
    expect(state.lastStatus).toBe('failed');
    expect(state.consecutiveFailures).toBeGreaterThanOrEqual(2);
    expect(state.nextAttemptAt - (state.lastAttemptAt ?? 0)).toBeGreaterThan(INTERVAL);
    const healthy = (await rowsOf(ids[0]!)).length;
    const failing = (await rowsOf(ids[2]!)).length;
    expect(failing).toBeLessThan(healthy);
    await fleet.clusters[2]!.setFaults([]);
    await sleep(INTERVAL * 6);
    const recovered = scheduler.snapshot().get(ids[2]!)!;
    expect(recovered.lastStatus).toBe('ok');
    expect(recovered.consecutiveFailures).toBe(0);
  });
});
