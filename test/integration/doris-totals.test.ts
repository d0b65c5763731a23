/**
 * Doris end to end: simulated Doris clusters whose FEs print per-user breakdowns beside their
 * totals (and per-compute-group ones in compute-storage mode), collected over loopback HTTP into
 * a real SQLite database. The stored figures must equal the ground truth: not doubled by the
 * per-user series, not tripled by the compute groups, transactions read from `txn_counter`.
 */
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Collector } from '../../src/collector/collector.js';
import { ClusterRegistry } from '../../src/registry/cluster-registry.js';
import { startSimulatedFleet, type SimulatedFleet } from '../../src/simulator/fleet.js';
import type { Storage } from '../../src/storage/dialect/dialect.js';
import { openSqlite } from '../../src/storage/dialect/sqlite/sqlite-dialect.js';
import { migrateToLatest } from '../../src/storage/migrate.js';
import { latestSnapshotRow } from '../../src/storage/repos/snapshots.repo.js';
import { clusterFields, manualClock, randomSecretBox } from '../helpers/factories.js';

const clock = manualClock();
let fleet: SimulatedFleet;
let storage: Storage;
let collector: Collector;
const ids: number[] = [];

beforeAll(async () => {
  fleet = await startSimulatedFleet({ clusters: 2, bes: 3, engine: 'doris', password: 'pw', clock: clock.now, specs: [{ mode: 'shared_nothing' }, { mode: 'shared_data' }] });
  storage = openSqlite(':memory:');
  await migrateToLatest(storage);
  const registry = new ClusterRegistry({ db: storage.db, dialect: storage.dialect, secrets: randomSecretBox(), now: clock.now });
  for (const d of fleet.details()) {
    const fields = clusterFields({ name: d.name, engine: 'doris', fe_host: d.fe_host, fe_http_port: d.fe_http_port, fe_query_port: d.fe_query_port, password: 'pw', connection_timeout: 5 });
    ids.push((await registry.create(fields)).id);
  }
  collector = new Collector({
    storage,
    registry,
    logger: pino({ level: 'silent' }),
    now: clock.now,
    options: { scrapeFollowers: true, scrapeBackends: false, runtimeInfo: false, maxConcurrency: 2 },
  });
});

afterAll(async () => {
  await collector.close();
  await fleet.close();
  await storage.close();
});

describe('Collecting Doris clusters', () => {
  it('stores queries, errors, requests, connections and transactions equal to the ground truth in both modes', async () => {
    const t1 = clock.now();
    // Both collections must reach every FE: the latency figures are read from the FEs whose counters moved between them.
    const first = await collector.collectAll();
    expect(first.flatMap((r) => r.failures.filter((f) => f.source.startsWith('metrics')))).toEqual([]);
    clock.advance(60_000);
    const results = await collector.collectAll();
    expect(results.flatMap((r) => r.failures.filter((f) => f.source.startsWith('metrics')))).toEqual([]);
    for (const [i, id] of ids.entries()) {
      const mode = fleet.clusters[i]!.model.spec.mode;
      const row = await latestSnapshotRow(storage.db, id);
      const truth = fleet.clusters[i]!.truth(t1, clock.now());
      expect(row?.frontends_scraped, mode).toBe(truth.frontend_total);
      expect(truth.queries).toBeGreaterThan(0);
      expect(row?.queries, mode).toBe(truth.queries);
      expect(row?.qps, mode).toBeCloseTo(truth.qps, 6);
      expect(row?.requests, mode).toBe(truth.requests);
      expect(row?.query_errors, mode).toBe(truth.query_errors);
      expect(row?.query_error_rate, mode).toBeCloseTo(truth.query_error_rate, 6);
      expect(row?.query_total, mode).toBe(truth.query_total);
      expect(row?.connections, mode).toBe(truth.connections);
      expect(row?.query_latency_p99, mode).toBe(truth.query_latency_p99);
      expect(row?.txn_begin, mode).toBe(truth.txn_begin);
      expect(row?.txn_success, mode).toBe(truth.txn_success);
      expect(row?.txn_failed_total, mode).toBe(truth.txn_failed_total);
      expect(row?.txn_running, mode).toBe(truth.txn_running);
    }
  });
});
