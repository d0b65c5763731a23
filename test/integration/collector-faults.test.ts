/**
 * Every simulator fault through the whole collector: each gives a stored row with the right
 * status and figures, while a healthy cluster collected at the same time is unaffected.
 */
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Collector } from '../../src/collector/collector.js';
import { ClusterRegistry } from '../../src/registry/cluster-registry.js';
import { parseFaults } from '../../src/simulator/faults.js';
import { startSimulatedFleet, type SimulatedFleet } from '../../src/simulator/fleet.js';
import type { Storage } from '../../src/storage/dialect/dialect.js';
import { openSqlite } from '../../src/storage/dialect/sqlite/sqlite-dialect.js';
import { migrateToLatest } from '../../src/storage/migrate.js';
import { latestSnapshotRow } from '../../src/storage/repos/snapshots.repo.js';
import { clusterFields, randomSecretBox } from '../helpers/factories.js';

let fleet: SimulatedFleet;
let storage: Storage;
let collector: Collector;
let registry: ClusterRegistry;
const ids: number[] = [];

beforeAll(async () => {
  fleet = await startSimulatedFleet({ clusters: 2, fes: 3, bes: 3, version: '3.5' });
  storage = openSqlite(':memory:');
  await migrateToLatest(storage);
  registry = new ClusterRegistry({ db: storage.db, dialect: storage.dialect, secrets: randomSecretBox(), now: Date.now });
  for (const d of fleet.details()) {
    ids.push((await registry.create(clusterFields({ name: d.name, fe_host: d.fe_host, fe_http_port: d.fe_http_port, fe_query_port: d.fe_query_port, connection_timeout: 1 }))).id);
  }
  collector = new Collector({ storage, registry, logger: pino({ level: 'silent' }), now: Date.now, options: { scrapeFollowers: true, scrapeBackends: false, runtimeInfo: false, maxConcurrency: 2 } });
  await collector.collectAll();
});

afterAll(async () => {
  await collector.close();
  await fleet.close();
  await storage.close();
});

const CASES: readonly [fault: string, status: 'ok' | 'partial' | 'failed', failedKinds: string[]][] = [
  ['fe_down@all', 'failed', ['refused']],
  ['hang@all', 'failed', ['timeout']],
  ['slow@all=2500', 'failed', ['timeout']],
  ['http_500@all', 'failed', ['http_status']],
  ['truncated@all', 'failed', ['malformed']],
  ['wrong_password', 'partial', ['auth']],
  ['garbage@0', 'partial', ['malformed']],
  ['empty@1', 'partial', ['malformed']],
  ['fe_down@2', 'ok', []],
  ['slow@1=300', 'ok', []],
  ['crlf@all', 'ok', []],
  ['duplicates@all', 'ok', []],
  ['split_families@all', 'ok', []],
  ['follower_stale', 'ok', []],
  ['be_dead@1', 'ok', []],
  ['fe_restart@1', 'ok', []],
  ['failover=2', 'ok', []],
];

describe('collector under every fault', () => {
  for (const [fault, status, kinds] of CASES) {
    it(`${fault}: a ${status} row, the healthy cluster ok`, async () => {
      await fleet.clusters[0]!.setFaults(parseFaults(fault));
      try {
        const results = await collector.collectAll();
        const [broken, healthy] = results;
        expect(healthy?.status).toBe('ok');
        expect(broken?.status, JSON.stringify(broken?.failures)).toBe(status);
        expect([...new Set(broken?.failures.map((f) => f.kind))].sort()).toEqual(kinds);
        const row = await latestSnapshotRow(storage.db, ids[0]!);
        expect(row?.collect_status).toBe(status);
        if (status !== 'failed') expect(row?.qps).not.toBeNull();
        if (fault === 'be_dead@1') expect([row?.backend_alive, row?.backend_total]).toEqual([2, 3]);
        if (fault === 'fe_down@2') expect([row?.frontend_alive, row?.frontends_scraped]).toEqual([2, 2]);
        if (fault === 'duplicates@all' || fault === 'crlf@all') expect(row?.query_total).toBe(healthyTotal(row?.query_total));
      } finally {
        await fleet.clusters[0]!.setFaults([]);
      }
    });
  }
});

// Last: it deletes the first cluster.
describe('a cluster deleted while its collection is in flight', () => {
  it('gets no row and no result, and the other cluster is collected as usual', async () => {
    await fleet.clusters[0]!.setFaults(parseFaults('slow@all=500'));
    const before = await latestSnapshotRow(storage.db, ids[1]!);
    const collecting = collector.collectAll();
    await registry.delete(ids[0]!);
    const results = await collecting;
    expect(results.map((r) => [r.clusterId, r.status])).toEqual([[ids[1], 'ok']]);
    expect(await storage.db.selectFrom('metrics_snapshots').select('id').where('cluster_id', '=', ids[0]!).execute()).toEqual([]);
    expect((await latestSnapshotRow(storage.db, ids[1]!))?.collected_at).toBeGreaterThan(before!.collected_at);
  });
});

/** A query_total that is a whole, positive number (no duplicate counted twice, no CR in the number). */
function healthyTotal(value: number | null | undefined): number {
  expect(Number.isInteger(value)).toBe(true);
  expect(value).toBeGreaterThan(0);
  return value as number;
}
