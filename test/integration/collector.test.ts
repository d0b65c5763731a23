/**
 * The collector end to end: simulated clusters on loopback, real HTTP and MySQL, a real SQLite
 * database; stored rows checked against the simulator's ground truth, and broken clusters
 * that cost only their own timeout.
 */
import { sql } from 'kysely';
import pino from 'pino';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Collector } from '../../src/collector/collector.js';
import { slotStartMs } from '../../src/collector/schedule.js';
import { ClusterRegistry } from '../../src/registry/cluster-registry.js';
import { startSimulatedFleet, type SimulatedFleet } from '../../src/simulator/fleet.js';
import { parseFaults } from '../../src/simulator/faults.js';
import type { Storage } from '../../src/storage/dialect/dialect.js';
import { openSqlite } from '../../src/storage/dialect/sqlite/sqlite-dialect.js';
import { migrateToLatest } from '../../src/storage/migrate.js';
import { clusterNodesRow } from '../../src/storage/repos/nodes.repo.js';
import { latestSnapshotRow } from '../../src/storage/repos/snapshots.repo.js';
import { clusterFields, manualClock, randomSecretBox } from '../helpers/factories.js';
import { loggerInto } from '../helpers/test-app.js';

const clock = manualClock();
let fleet: SimulatedFleet;
let storage: Storage;
let registry: ClusterRegistry;
let collector: Collector;
const ids: number[] = [];

beforeAll(async () => {
  fleet = await startSimulatedFleet({
    clusters: 4,
    bes: 4,
    password: 'pw',
    clock: clock.now,
    beMetrics: true,
    specs: [{}, { version: '2.4', fes: 1 }, {}, {}],
  });
  storage = openSqlite(':memory:');
  await migrateToLatest(storage);
  registry = new ClusterRegistry({ db: storage.db, dialect: storage.dialect, secrets: randomSecretBox(), now: clock.now });
  for (const [i, d] of fleet.details().entries()) {
    const cluster = await registry.create(
      clusterFields({ name: d.name, fe_host: d.fe_host, fe_http_port: d.fe_http_port, fe_query_port: d.fe_query_port, password: 'pw', connection_timeout: 1, node_list_source: i === 1 ? 'mysql' : 'http' }),
    );
    ids.push(cluster.id);
  }
  collector = new Collector({
    storage,
    registry,
    logger: pino({ level: 'silent' }),
    now: clock.now,
    options: { scrapeFollowers: true, scrapeBackends: true, runtimeInfo: false, maxConcurrency: 4 },
  });
});

afterEach(async () => {
  for (const c of fleet.clusters) await c.setFaults([]);
});

afterAll(async () => {
  await collector.close();
  await fleet.close();
  await storage.close();
});

describe('Collector', () => {
  it('stores rows whose figures equal the ground truth between two collections', async () => {
    const t1 = clock.now();
    await collector.collectAll();
    clock.advance(60_000);
    const results = await collector.collectAll();
    expect(results.map((r) => [r.status, r.failures])).toEqual(results.map(() => ['ok', []]));
    for (const [i, id] of ids.entries()) {
      const row = await latestSnapshotRow(storage.db, id);
      const truth = fleet.clusters[i]!.truth(t1, clock.now());
      expect(row?.collected_at).toBe(clock.now());
      expect(row?.collect_status).toBe('ok');
      expect(JSON.parse(row?.failed_sources ?? 'null')).toEqual([]);
      expect(row?.queries, `cluster ${i}`).toBe(truth.queries);
      expect(row?.qps).toBeCloseTo(truth.qps, 6);
      expect(row?.query_latency_p99).toBe(truth.query_latency_p99);
      expect(row?.backend_alive).toBe(truth.backend_alive);
      expect(row?.frontend_total).toBe(truth.frontend_total);
      expect(row?.frontends_scraped).toBe(truth.frontend_total);
      expect(row?.tablet_count).toBe(truth.tablet_count);
      expect(row?.jvm_heap_used).toBe(truth.jvm_heap_used);
      // The node lists are kept for /api/clusters/:id/nodes; no node changed since the first
      // collection, so they were stored then and not rewritten (NODE_LIST_REFRESH_MS).
      const nodes = await clusterNodesRow(storage.db, id);
      expect(nodes?.backends_at).toBe(t1);
      expect(JSON.parse(nodes?.backends ?? '[]')).toHaveLength(truth.backend_total);
      expect(JSON.parse(nodes?.frontends ?? '[]').filter((f: { role: string }) => f.role === 'LEADER')).toHaveLength(1);
    }
    const withBe = await latestSnapshotRow(storage.db, ids[0]!);
    const truth = fleet.clusters[0]!.truth(t1, clock.now());
    expect(withBe?.be_cpu_usage).toBeCloseTo(truth.be!.cpu_usage_pct, 6);
    expect(withBe?.network_send_rate).toBeCloseTo(truth.be!.network_sent_bytes / 60, 6);
    // A 2.4 cluster has no CPU column in its backend list: null, not 0.
    expect((await latestSnapshotRow(storage.db, ids[1]!))?.avg_cpu_usage).toBeNull();
  });

  it('a hung, a down and a half-broken cluster each get their own row; the healthy one is unaffected and nobody waits beyond a timeout', async () => {
    await fleet.clusters[1]!.setFaults(parseFaults('hang@all'));
    await fleet.clusters[2]!.setFaults(parseFaults('fe_down@all'));
    await fleet.clusters[3]!.setFaults(parseFaults('http_500@1,wrong_password'));
    clock.advance(30_000);
    const started = performance.now();
    const results = await collector.collectAll();
    const elapsed = performance.now() - started;
    expect(results.map((r) => r.status)).toEqual(['ok', 'failed', 'failed', 'partial']);
    // connection_timeout is 1 s; a collection's budget is two rounds of calls plus a second.
    expect(elapsed).toBeLessThan(6_000);
    const hung = await latestSnapshotRow(storage.db, ids[1]!);
    expect(JSON.parse(hung?.failed_sources ?? '[]').map((f: { kind: string }) => f.kind)).toContain('timeout');
    expect(hung?.qps).toBeNull();
    const down = await latestSnapshotRow(storage.db, ids[2]!);
    expect(JSON.parse(down?.failed_sources ?? '[]').map((f: { kind: string }) => f.kind)).toEqual(['refused', 'refused', 'refused', 'refused']);
    const half = results[3]!;
    expect(half.failures.map((f) => `${f.source.split(' ')[0]}:${f.kind}`).sort()).toEqual(['backends:auth', 'compute_nodes:auth', 'frontends:auth']);
    expect(half.values.qps).not.toBeNull();
    expect(half.values.backend_total).toBeNull();
    // Lists that failed keep what the last good collection saw.
    const kept = await clusterNodesRow(storage.db, ids[3]!);
    expect(kept?.backends_at).toBeLessThan(clock.now());
    expect(JSON.parse(kept?.backends ?? '[]').length).toBeGreaterThan(0);
  });

  it('picks up an edited cluster on the next collection and forgets a deleted one', async () => {
    const d = fleet.details()[2]!;
    await registry.update(ids[3]!, { fe_http_port: d.fe_http_port, fe_query_port: d.fe_query_port }, { keepPassword: true });
    await registry.delete(ids[1]!);
    clock.advance(30_000);
    const results = await collector.collectAll();
    expect(results.map((r) => r.clusterId)).toEqual([ids[0], ids[2], ids[3]]);
    const moved = results.find((r) => r.clusterId === ids[3])!;
    expect(moved.status).toBe('ok');
    expect(moved.values.frontend_leader).toBe(fleet.clusters[2]!.truth(clock.now() - 1000, clock.now()).frontend_leader);
  });

  it('reaches FEs whose listed address is unreachable at the configured host, and never scrapes one FE twice', async () => {
    // The FEs list 127.255.255.254 (nothing listens there), as FEs behind NAT list internal IPs.
    const hidden = await startSimulatedFleet({ clusters: 1, fes: 3, bes: 2, password: 'pw', clock: clock.now, advertiseHost: '127.255.255.254', beMetrics: true });
    try {
      const d = hidden.details()[0]!;
      const cluster = await registry.create(clusterFields({ name: 'behind-nat', fe_host: d.fe_host, fe_http_port: d.fe_http_port, fe_query_port: d.fe_query_port, password: 'pw', connection_timeout: 1 }));
      const t1 = clock.now();
      await collector.collectAll([cluster.id]);
      clock.advance(30_000);
      const [result] = await collector.collectAll([cluster.id]);
      expect(result?.status, JSON.stringify(result?.failures)).toBe('ok');
      expect(result?.frontendsScraped).toBe(3);
      expect(result?.values.queries).toBe(hidden.clusters[0]!.truth(t1, clock.now()).queries);
    } finally {
      await hidden.close();
    }
  });

  it('remembers counters only once the row is stored: after a failed write the next row counts both intervals', async () => {
    const [cluster] = await registry.list().then((all) => all.filter((c) => c.id === ids[0]));
    clock.advance(30_000);
    await collector.collect(cluster!);
    const since = clock.now();
    // A real write failure inside SQLite (as a full disk or a lock timeout would give).
    await sql`create trigger refuse_snapshots before insert on metrics_snapshots begin select raise(abort, 'disk I/O error'); end`.execute(storage.db);
    try {
      clock.advance(30_000);
      await expect(collector.collect(cluster!)).rejects.toThrow(/disk I\/O error/);
    } finally {
      await sql`drop trigger refuse_snapshots`.execute(storage.db);
    }
    clock.advance(30_000);
    const result = await collector.collect(cluster!);
    const truth = fleet.clusters[0]!.truth(since, clock.now());
    expect(result.values.queries).toBe(truth.queries);
    expect((await latestSnapshotRow(storage.db, ids[0]!))?.queries).toBe(truth.queries);
  });

  it('with the runtime_info source, asks every FE and takes the heap of an FE whose /metrics is empty from it', async () => {
    const withRuntime = new Collector({
      storage,
      registry,
      logger: pino({ level: 'silent' }),
      now: clock.now,
      options: { scrapeFollowers: true, scrapeBackends: false, runtimeInfo: true, maxConcurrency: 1 },
    });
    try {
      await fleet.clusters[0]!.setFaults(parseFaults('empty@1'));
      clock.advance(30_000);
      const [result] = await withRuntime.collectAll([ids[0]!]);
      const truth = fleet.clusters[0]!.truth(clock.now() - 30_000, clock.now());
      // The empty /metrics is a failed source; the runtime info of all three FEs answered.
      expect(result?.failures.map((f) => `${f.source.split(' ')[0]}:${f.kind}`)).toEqual(['metrics:malformed']);
      expect(result?.values.jvm_heap_used).toBe(truth.jvm_heap_used);
      expect(result?.values.jvm_heap_max).toBe(truth.jvm_heap_max);
    } finally {
      await withRuntime.close();
    }
  });
});

describe('Collector with stampSlots (the scheduler’s collections)', () => {
  it('stores each row with its slot, and logs a second collection of a slot, by another collector, as a normal event', async () => {
    const interval = 30_000;
    const lines: string[] = [];
    const twin = (): Collector =>
      new Collector({ storage, registry, logger: loggerInto(lines, 'info'), now: clock.now, options: { scrapeFollowers: false, scrapeBackends: false, runtimeInfo: false, maxConcurrency: 4, intervalMs: interval, stampSlots: true } });
    const [first, second] = [twin(), twin()];
    try {
      const id = ids[0]!;
      const cluster = await registry.get(id);
      clock.advance(slotStartMs(id, interval, clock.now() + interval) + 1000 - clock.now());
      await first.collect(cluster);
      clock.advance(5000);
      await second.collect(cluster);
      const rows = await storage.db.selectFrom('metrics_snapshots').select(['collected_at', 'slot_at']).where('cluster_id', '=', id).where('slot_at', 'is not', null).execute();
      expect(rows).toEqual([{ collected_at: clock.now() - 5000, slot_at: clock.now() - 6000 }]);
      const refused = lines.map((l) => JSON.parse(l) as { level: number; msg: string; slot_at?: number; err?: unknown }).filter((l) => l.msg.includes('already has one for this slot'));
      expect(refused).toEqual([expect.objectContaining({ level: 30, slot_at: clock.now() - 6000 })]);
      expect(refused[0]?.err).toBeUndefined();
    } finally {
      await first.close();
      await second.close();
    }
  });
});
