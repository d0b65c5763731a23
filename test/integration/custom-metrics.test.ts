/**
 * Custom metrics end to end, on every dialect: a simulated cluster on loopback whose FEs print
 * thread pools and per-table load counters (these only when asked `with_table_metrics` by the
 * admin user) and whose BEs print loaded rows (families no built-in field reads), collected by
 * the real collector; each value checked against what the simulator printed at those instants
 * (src/simulator/extra-families.ts), and read back from the stored row.
 */
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Collector } from '../../src/collector/collector.js';
import { scrapeCluster } from '../../src/collector/scrape-cluster.js';
import { buildSnapshot, EMPTY_MEMORY } from '../../src/collector/snapshot-builder.js';
import { StarRocksClient } from '../../src/starrocks/starrocks-client.js';
import { fixedCustomMetricSet } from '../../src/collector/custom-metric-set.js';
import { ClusterRegistry } from '../../src/registry/cluster-registry.js';
import type { Cluster } from '../../src/registry/cluster.js';
import { CustomMetricInput, type CustomMetricSource } from '../../src/shared/custom-metrics.js';
import { beLoadRows, feTableLoadRows, feThreadPools } from '../../src/simulator/extra-families.js';
import { parseFaults } from '../../src/simulator/faults.js';
import { startSimulatedFleet, type SimulatedFleet } from '../../src/simulator/fleet.js';
import { counterIncrease } from '../../src/simulator/ground-truth.js';
import type { Storage } from '../../src/storage/dialect/dialect.js';
import { migrateToLatest } from '../../src/storage/migrate.js';
import { latestSnapshotRow } from '../../src/storage/repos/snapshots.repo.js';
import { DIALECTS } from '../helpers/dialects.js';
import { clusterFields, manualClock, randomSecretBox } from '../helpers/factories.js';

const clock = manualClock();
let fleet: SimulatedFleet;

beforeAll(async () => {
  fleet = await startSimulatedFleet({ clusters: 1, fes: 3, bes: 2, password: 'pw', clock: clock.now, beMetrics: true });
});

afterAll(async () => {
  await fleet.close();
});

const define = (source: CustomMetricSource) => CustomMetricInput.parse(source);

const METRICS = [
  define({ name: 'pool_queue_max', source: 'fe', family: 'starrocks_fe_thread_pool', labels: { type: 'task_in_queue' }, aggregate: 'max', unit: 'tasks', description: 'Longest thread pool queue of any FE' }),
  define({ name: 'pool_active_sum', source: 'fe', family: 'starrocks_fe_thread_pool', labels: { type: 'active_thread_num', name: '~query-.*|mysql-nio-pool' } }),
  define({ name: 'pool_size_avg', source: 'fe', family: 'starrocks_fe_thread_pool', labels: { type: 'pool_size' }, aggregate: 'avg' }),
  define({ name: 'deploy_pool_min', source: 'fe', family: 'starrocks_fe_thread_pool', labels: { type: 'pool_size', name: 'query-deploy' }, aggregate: 'min' }),
  define({ name: 'leader_deploy_queue', source: 'fe_leader', family: 'starrocks_fe_thread_pool', labels: { name: 'query-deploy', type: 'task_in_queue' } }),
  define({ name: 'orders_rows_rate', source: 'fe', family: 'starrocks_fe_table_load_rows', labels: { tbl_name: 'orders' }, kind: 'rate', unit: 'rows/s', table_metrics: true }),
  define({ name: 'rows_loaded', source: 'fe', family: 'starrocks_fe_table_load_rows', kind: 'delta', unit: 'rows', table_metrics: true }),
  define({ name: 'be_rows_rate', source: 'be', family: 'starrocks_be_load_rows', kind: 'rate' }),
];

describe.each(DIALECTS)('custom metrics collected and stored on $name', (dialect) => {
  let storage: Storage;
  let registry: ClusterRegistry;
  let cluster: Cluster;
  const collectors: Collector[] = [];

  const collectorWith = (metrics = METRICS, scrapeBackends = true): Collector => {
    const collector = new Collector({
      storage,
      registry,
      logger: pino({ level: 'silent' }),
      now: clock.now,
      options: { scrapeFollowers: true, scrapeBackends, runtimeInfo: false, maxConcurrency: 1 },
      customMetrics: fixedCustomMetricSet(metrics),
    });
    collectors.push(collector);
    return collector;
  };

  beforeAll(async () => {
    storage = await dialect.open();
    await migrateToLatest(storage);
    registry = new ClusterRegistry({ db: storage.db, dialect: storage.dialect, secrets: randomSecretBox(), now: clock.now });
    const d = fleet.details()[0]!;
    cluster = await registry.create(clusterFields({ name: d.name, fe_host: d.fe_host, fe_http_port: d.fe_http_port, fe_query_port: d.fe_query_port, password: 'pw', connection_timeout: 2 }));
  });

  afterAll(async () => {
    for (const collector of collectors) await collector.close();
    await fleet.clusters[0]!.setFaults([]);
    await storage.close();
  });

  const model = () => fleet.clusters[0]!.model;
  const fes = () => model().fes.map((fe) => fe.index);
  const pools = (t: number) => fes().flatMap((i) => feThreadPools(model(), i, t));
  const tableRows = (i: number, t: number) => feTableLoadRows(model(), i, t);
  /** Σ over the FEs and the tables `keep` lets through of each counter's increase (a restart's new value counted whole). */
  const rowsIncrease = (t1: number, t2: number, keep: (table: string) => boolean, fesCounted = fes()) =>
    fesCounted.reduce((sum, i) => {
      const before = tableRows(i, t1);
      return sum + tableRows(i, t2).reduce((s, row, k) => (keep(row.table) ? s + counterIncrease(before[k]!.rows, row.rows) : s), 0);
    }, 0);
  const beRowsIncrease = (t1: number, t2: number) => model().bes.reduce((s, be) => s + (beLoadRows(model(), be.index, t2) - beLoadRows(model(), be.index, t1)), 0);

  it('gives each aggregate and kind the value the nodes printed, and stores it in custom_values', async () => {
    const collector = collectorWith();
    const t1 = clock.now();
    const first = await collector.collect(cluster);
    expect(first.status).toBe('ok');
    expect(first.failures).toEqual([]);
    // Gauges from the first collection; rates and deltas need a previous reading.
    expect(first.custom.pool_queue_max).toBe(Math.max(...pools(t1).map((p) => p.tasksInQueue)));
    expect(first.custom).toMatchObject({ orders_rows_rate: null, rows_loaded: null, be_rows_rate: null });

    clock.advance(60_000);
    const t2 = clock.now();
    const second = await collector.collect(cluster);
    expect(second.status).toBe('ok');
    const now = pools(t2);
    const leader = model().leaderAt(t2);
    expect(second.custom.pool_queue_max).toBe(Math.max(...now.map((p) => p.tasksInQueue)));
    expect(second.custom.pool_active_sum).toBe(now.filter((p) => p.name !== 'starrocks-taskrun-pool').reduce((s, p) => s + p.activeThreads, 0));
    expect(second.custom.pool_size_avg).toBeCloseTo(now.reduce((s, p) => s + p.poolSize, 0) / now.length, 9);
    expect(second.custom.deploy_pool_min).toBe(Math.min(...now.filter((p) => p.name === 'query-deploy').map((p) => p.poolSize)));
    expect(second.custom.leader_deploy_queue).toBe(feThreadPools(model(), leader, t2).find((p) => p.name === 'query-deploy')!.tasksInQueue);
    expect(second.custom.orders_rows_rate).toBeCloseTo(rowsIncrease(t1, t2, (table) => table === 'orders') / 60, 9);
    expect(second.custom.rows_loaded).toBe(rowsIncrease(t1, t2, () => true));
    expect(second.custom.rows_loaded).toBeGreaterThan(0);
    expect(second.custom.be_rows_rate).toBeCloseTo(beRowsIncrease(t1, t2) / 60, 9);

    const row = await latestSnapshotRow(storage.db, cluster.id);
    expect(row?.collected_at).toBe(t2);
    expect(JSON.parse(row?.custom_values ?? 'null')).toEqual(second.custom);
  });

  it('counts a counter that went down (an FE restarted) by its new value', async () => {
    const collector = collectorWith();
    clock.advance(30_000);
    await collector.collect(cluster);
    const t1 = clock.now();
    // The restart a second after the collection: the simulator's counters at t1 are those printed then.
    clock.advance(1_000);
    await fleet.clusters[0]!.setFaults(parseFaults('fe_restart@1'));
    clock.advance(59_000);
    const t2 = clock.now();
    const result = await collector.collect(cluster);
    await fleet.clusters[0]!.setFaults([]);
    // FE 1's counters started again below what they were: its increase is what it counted since.
    const before = tableRows(1, t1).reduce((s, r) => s + r.rows, 0);
    const after = tableRows(1, t2).reduce((s, r) => s + r.rows, 0);
    expect(after).toBeLessThan(before);
    expect(result.custom.rows_loaded).toBe(rowsIncrease(t1, t2, () => true));
    expect(result.custom.rows_loaded).toBeGreaterThanOrEqual(0);
  });

  it('takes a family missing on one FE from the others with a warning, and gives null, never 0, where no node prints it', async () => {
    const nowhere = define({ name: 'not_printed', source: 'fe', family: 'starrocks_fe_no_such_family' });
    const collector = collectorWith([...METRICS, nowhere]);
    clock.advance(30_000);
    await collector.collect(cluster);
    const t1 = clock.now();
    await fleet.clusters[0]!.setFaults(parseFaults('no_table_metrics@1'));
    clock.advance(60_000);
    const t2 = clock.now();
    const result = await collector.collect(cluster);
    await fleet.clusters[0]!.setFaults([]);
    expect(result.custom.rows_loaded).toBe(rowsIncrease(t1, t2, () => true, [0, 2]));
    expect(result.custom.not_printed).toBeNull();
    const fe1 = fleet.details()[0]!.frontends[1]!;
    // Seen in the collection's failed sources; the cluster's own status is the built-in sources': ok.
    expect(result.status).toBe('ok');
    expect(result.failures).toEqual(
      expect.arrayContaining([
        { source: 'custom_metrics', kind: 'custom_metric', message: `custom metric orders_rows_rate: starrocks_fe_table_load_rows missing on ${fe1.host}:${fe1.http_port}; the value is from the other 2 (a per-table family: with with_table_metrics=minified, an FE prints no table whose counter is 0)` },
        { source: 'custom_metrics', kind: 'custom_metric', message: 'custom metric not_printed: no fe node printed starrocks_fe_no_such_family' },
      ]),
    );
    const row = await latestSnapshotRow(storage.db, cluster.id);
    expect(row?.collect_status).toBe('ok');
    expect(JSON.parse(row?.failed_sources ?? '[]')).toEqual(result.failures);
    expect(JSON.parse(row?.custom_values ?? '{}')).toMatchObject({ not_printed: null, rows_loaded: result.custom.rows_loaded });
    // The built-in figures are untouched by it.
    expect(row?.qps).not.toBeNull();
  });

  it('gives a be metric null and says to turn on be_metrics when BEs are not scraped', async () => {
    clock.advance(30_000);
    const result = await collectorWith(METRICS, false).collect(cluster);
    expect(result.custom.be_rows_rate).toBeNull();
    expect(result.custom.pool_queue_max).not.toBeNull();
    expect(result.failures).toEqual([
      { source: 'custom_metrics', kind: 'custom_metric', message: 'custom metric be_rows_rate: its source is be, but BEs are not scraped; turn on the be_metrics source ([metrics] sources)' },
    ]);
  });

  it('goes on after a restart with the same definitions: the stored values read back, counters again from the next collection', async () => {
    const before = collectorWith();
    clock.advance(30_000);
    await before.collect(cluster);
    clock.advance(30_000);
    await before.collect(cluster);
    const stored = await latestSnapshotRow(storage.db, cluster.id);
    await before.close();
    // A new process: the same storage and definitions, no counter memory.
    const after = collectorWith();
    clock.advance(30_000);
    const t1 = clock.now();
    const first = await after.collect(cluster);
    expect(JSON.parse(stored?.custom_values ?? 'null')).toMatchObject({ pool_queue_max: expect.any(Number), rows_loaded: expect.any(Number) });
    expect(first.custom.pool_queue_max).toBe(Math.max(...pools(t1).map((p) => p.tasksInQueue)));
    expect(first.custom.rows_loaded).toBeNull();
    clock.advance(30_000);
    const second = await after.collect(cluster);
    expect(second.custom.rows_loaded).toBe(rowsIncrease(t1, clock.now(), () => true));
  });

  it('asks the FEs, and only the FEs, for per-table families only while a table_metrics metric is in effect', async () => {
    const sim = fleet.clusters[0]!;
    const during = async (metrics: typeof METRICS) => {
      const before = sim.requests();
      clock.advance(30_000);
      await collectorWith(metrics).collect(cluster);
      const after = sim.requests();
      return Object.fromEntries(Object.entries(after).flatMap(([key, n]) => (n > (before[key] ?? 0) ? [[key, n - (before[key] ?? 0)]] : [])));
    };
    const fesAsked = (path: string) => Object.fromEntries(fes().map((i) => [`fe${i} ${path}`, 1]));
    const besAsked = Object.fromEntries(model().bes.map((be) => [`be${be.index} /metrics`, 1]));
    const withTables = await during(METRICS);
    expect(withTables).toMatchObject({ ...fesAsked('/metrics?with_table_metrics=minified'), ...besAsked });
    expect(Object.keys(withTables).filter((k) => / \/metrics$/.test(k) && k.startsWith('fe'))).toEqual([]);
    const without = await during(METRICS.filter((m) => !m.table_metrics));
    expect(without).toMatchObject({ ...fesAsked('/metrics'), ...besAsked });
    expect(Object.keys(without).filter((k) => k.includes('with_table_metrics'))).toEqual([]);
  });

  it('computes every built-in field alike whether or not the FEs were asked for per-table families', async () => {
    const client = new StarRocksClient(await registry.connection(cluster.id));
    try {
      const sources = { scrapeFollowers: true, scrapeBackends: true, runtimeInfo: false, deadlineMs: 10_000, now: clock.now };
      let plain = EMPTY_MEMORY;
      let tables = EMPTY_MEMORY;
      for (let i = 0; i < 2; i += 1) {
        clock.advance(30_000);
        const a = await scrapeCluster(client, cluster, sources);
        const b = await scrapeCluster(client, cluster, { ...sources, tableMetrics: true });
        expect(a.fes.some((fe) => fe.metrics.family('starrocks_fe_table_load_rows') !== undefined)).toBe(false);
        expect(b.fes.every((fe) => fe.metrics.family('starrocks_fe_table_load_rows') !== undefined)).toBe(true);
        const builtA = buildSnapshot(a, plain);
        const builtB = buildSnapshot(b, tables);
        expect(builtB.values).toEqual(builtA.values);
        expect(builtB.status).toBe('ok');
        plain = builtA.memory;
        tables = builtB.memory;
      }
    } finally {
      await client.close();
    }
  });

  it('gives null and says why when the cluster’s user may not see per-table families (the FE still answers 200)', async () => {
    const d = fleet.details()[0]!;
    const viewer = await registry.create(clusterFields({ name: `${d.name}-viewer`, fe_host: d.fe_host, fe_http_port: d.fe_http_port, fe_query_port: d.fe_query_port, username: 'viewer', password: 'pw', connection_timeout: 2 }));
    const collector = collectorWith(METRICS.filter((m) => m.name === 'rows_loaded' || m.name === 'pool_queue_max'));
    // Two collections: a delta has a value from the second on, when its family is printed.
    clock.advance(30_000);
    await collector.collect(viewer);
    clock.advance(30_000);
    const result = await collector.collect(viewer);
    // The FE's page was read (the viewer cannot read node lists, so only the configured FE).
    expect(result.custom.pool_queue_max).toEqual(expect.any(Number));
    expect(result.custom.rows_loaded).toBeNull();
    expect(result.failures).toContainEqual({
      source: 'custom_metrics',
      kind: 'custom_metric',
      message: expect.stringMatching(/^custom metric rows_loaded: no fe node printed starrocks_fe_table_load_rows \(a per-table family: the FE prints it only to a user who is root or holds db_admin and user_admin/),
    });
    await registry.delete(viewer.id);
  });

  it('stores no custom_values where no custom metric is defined', async () => {
    clock.advance(30_000);
    const result = await collectorWith([]).collect(cluster);
    expect(result.custom).toEqual({});
    expect((await latestSnapshotRow(storage.db, cluster.id))?.custom_values).toBeNull();
  });
});
