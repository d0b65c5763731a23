/**
 * Every node-list layout that comes without column titles — StarRocks 2.4 to 3.0 in both modes,
 * compute nodes included, and Doris 2.1, 3.0 and master — collected end to end over HTTP from a
 * simulated cluster that sends it: the counts and figures Stellar stores equal the simulator's
 * ground truth, a figure a layout lacks is null, and a layout no release has is a failed source
 * with its reason. Doris followers' redirects to the master: followed within the cluster,
 * refused anywhere else with no request sent there.
 */
import { createServer, type IncomingHttpHeaders } from 'node:http';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Collector, type CollectionResult } from '../../src/collector/collector.js';
import { ClusterRegistry } from '../../src/registry/cluster-registry.js';
import type { SimClusterSpec } from '../../src/simulator/cluster-spec.js';
import { parseFaults } from '../../src/simulator/faults.js';
import { FOREIGN_REDIRECT_HOST } from '../../src/simulator/fe-http-server.js';
import { startSimulatedFleet, type SimulatedFleet } from '../../src/simulator/fleet.js';
import type { Storage } from '../../src/storage/dialect/dialect.js';
import { openSqlite } from '../../src/storage/dialect/sqlite/sqlite-dialect.js';
import { migrateToLatest } from '../../src/storage/migrate.js';
import { clusterFields, manualClock, randomSecretBox } from '../helpers/factories.js';

/** A layout as a simulated cluster sends it, and which figures its columns carry. */
interface Case {
  readonly name: string;
  readonly spec: Partial<SimClusterSpec>;
  readonly cells: number;
  readonly list: 'backends' | 'compute_nodes';
  readonly cpuCores: boolean;
  readonly cpuUsage: boolean;
  readonly memLimit: boolean;
}

const CASES: readonly Case[] = [
  { name: 'starrocks 2.4 backends', spec: { version: '2.4' }, cells: 23, list: 'backends', cpuCores: true, cpuUsage: false, memLimit: false },
  { name: 'starrocks 3.0 backends', spec: { version: '3.0' }, cells: 26, list: 'backends', cpuCores: true, cpuUsage: true, memLimit: false },
  { name: 'starrocks 3.0 shared-data backends', spec: { version: '3.0', mode: 'shared_data', nodeKind: 'backend' }, cells: 28, list: 'backends', cpuCores: true, cpuUsage: true, memLimit: false },
  { name: 'starrocks 2.4 compute nodes', spec: { version: '2.4', nodeKind: 'compute_node' }, cells: 14, list: 'compute_nodes', cpuCores: false, cpuUsage: false, memLimit: false },
  { name: 'starrocks 3.0 compute nodes', spec: { version: '3.0', nodeKind: 'compute_node' }, cells: 18, list: 'compute_nodes', cpuCores: true, cpuUsage: true, memLimit: false },
  { name: 'starrocks 3.0 shared-data compute nodes', spec: { version: '3.0', mode: 'shared_data' }, cells: 20, list: 'compute_nodes', cpuCores: true, cpuUsage: true, memLimit: false },
  { name: 'doris 2.1 backends', spec: { engine: 'doris', dorisVersion: '2.1' }, cells: 25, list: 'backends', cpuCores: false, cpuUsage: false, memLimit: false },
  { name: 'doris 3.0 backends', spec: { engine: 'doris', dorisVersion: '3.0' }, cells: 27, list: 'backends', cpuCores: true, cpuUsage: false, memLimit: true },
  { name: 'doris master backends', spec: { engine: 'doris', dorisVersion: 'master' }, cells: 28, list: 'backends', cpuCores: true, cpuUsage: false, memLimit: true },
];

const clock = manualClock();
let storage: Storage;
let registry: ClusterRegistry;
let collector: Collector;
let layouts: SimulatedFleet;
let doris: SimulatedFleet;

async function register(fleet: SimulatedFleet, prefix: string, source: 'http' | 'mysql' = 'http'): Promise<number[]> {
  const ids: number[] = [];
  for (const d of fleet.details()) {
    const engine = d.engine === 'doris' ? 'doris' : 'starrocks';
    const fields = clusterFields({ name: `${prefix}-${d.name}`, fe_host: d.fe_host, fe_http_port: d.fe_http_port, fe_query_port: d.fe_query_port, password: 'pw', connection_timeout: 1, engine, node_list_source: source });
    ids.push((await registry.create(fields)).id);
  }
  return ids;
}

async function collect(id: number): Promise<CollectionResult> {
  return collector.collect(await registry.get(id));
}

let layoutIds: number[];
let dorisId: number;

beforeAll(async () => {
  [layouts, doris] = await Promise.all([
    startSimulatedFleet({ clusters: CASES.length, fes: 2, bes: 3, password: 'pw', clock: clock.now, specs: CASES.map((c) => c.spec) }),
    // FEs on hosts of their own: the master a follower redirects to is not the registered host.
    startSimulatedFleet({ clusters: 1, fes: 3, bes: 3, engine: 'doris', password: 'pw', clock: clock.now, distinctFeHosts: true }),
  ]);
  storage = openSqlite(':memory:');
  await migrateToLatest(storage);
  registry = new ClusterRegistry({ db: storage.db, dialect: storage.dialect, secrets: randomSecretBox(), now: clock.now });
  layoutIds = await register(layouts, 'layouts');
  [dorisId] = (await register(doris, 'follower')) as [number];
  collector = new Collector({
    storage,
    registry,
    logger: pino({ level: 'silent' }),
    now: clock.now,
    options: { scrapeFollowers: true, scrapeBackends: false, runtimeInfo: false, maxConcurrency: 4 },
  });
});

afterAll(async () => {
  await collector.close();
  await Promise.all([layouts.close(), doris.close()]);
  await storage.close();
});

describe('node lists without titles, every layout', () => {
  for (const [i, c] of CASES.entries()) {
    it(`${c.name} (${c.cells} cells): counts and figures equal the ground truth`, async () => {
      const d = layouts.details()[i]!;
      // The simulated FE sends this layout: rows as arrays of exactly this many cells.
      const answer = await fetch(`http://${d.fe_host}:${d.fe_http_port}/api/show_proc?path=/${c.list}`, { headers: { authorization: `Basic ${Buffer.from('root:pw').toString('base64')}` } });
      const body = (await answer.json()) as unknown[] | { data: unknown[] };
      const rows = Array.isArray(body) ? body : body.data;
      expect(rows.every((row) => Array.isArray(row) && row.length === c.cells)).toBe(true);

      const result = await collect(layoutIds[i]!);
      const truth = layouts.clusters[i]!.truth(clock.now() - 60_000, clock.now());
      const v = result.values;
      expect(result.failures).toEqual([]);
      expect([v.backend_total, v.backend_alive, v.compute_node_total, v.compute_node_alive]).toEqual([
        truth.backend_total,
        truth.backend_alive,
        // Doris has no compute-node list: none, not an unknown number.
        truth.compute_node_total,
        truth.compute_node_alive,
      ]);
      expect(truth[c.list === 'backends' ? 'backend_total' : 'compute_node_total']).toBe(3);
      expect(v.frontend_total).toBe(truth.frontend_total);
      expect(v.frontend_leader).toBe(truth.frontend_leader);
      if (c.list === 'backends') expect(v.tablet_count).toBe(truth.tablet_count);
      expect(v.cpu_cores_total).toBe(c.cpuCores ? truth.cpu_cores_total : null);
      if (c.cpuUsage) expect(v.avg_cpu_usage).toBeCloseTo(truth.avg_cpu_usage ?? Number.NaN, 6);
      else expect(v.avg_cpu_usage).toBeNull();
      if (c.memLimit) {
        // Doris prints `Memory` with two decimals: within 0.5 % of a unit of the true limit.
        expect(Math.abs((v.memory_limit_bytes_total ?? 0) / truth.memory_limit_bytes_total - 1)).toBeLessThan(1e-3);
      } else {
        expect(v.memory_limit_bytes_total).toBeNull();
      }
    });
  }

  it('over MySQL every layout is read by title: the same figures from the titled result sets', async () => {
    const ids = await register(layouts, 'mysql', 'mysql');
    for (const [i, c] of CASES.entries()) {
      const result = await collect(ids[i]!);
      const truth = layouts.clusters[i]!.truth(clock.now() - 60_000, clock.now());
      expect(result.failures, c.name).toEqual([]);
      expect([result.values.backend_total, result.values.compute_node_total, result.values.frontend_total], c.name).toEqual([truth.backend_total, truth.compute_node_total, truth.frontend_total]);
      expect(result.values.cpu_cores_total, c.name).toBe(c.cpuCores ? truth.cpu_cores_total : null);
      if (c.memLimit) expect(Math.abs((result.values.memory_limit_bytes_total ?? 0) / truth.memory_limit_bytes_total - 1), c.name).toBeLessThan(1e-3);
    }
  });

  it('a layout no release has is a failed source saying what came, never a figure; lists with titles still read', async () => {
    const doris30 = CASES.findIndex((c) => c.name === 'doris 3.0 backends');
    const sr32 = await startSimulatedFleet({ clusters: 1, fes: 1, bes: 2, version: '3.2', password: 'pw', clock: clock.now, faults: 'unknown_layout' });
    try {
      await layouts.clusters[doris30]!.setFaults(parseFaults('unknown_layout'));
      const result = await collect(layoutIds[doris30]!);
      const backends = result.failures.find((f) => f.source === 'backends');
      expect(backends?.kind).toBe('parse');
      expect(backends?.message).toMatch(/^backends: rows of 28 cells do not fit the Doris master \(after 3\.0\) layout \(row 1, cell 25 is not a CpuCores\)/);
      expect(result.values.backend_total).toBeNull();
      expect(result.values.memory_limit_bytes_total).toBeNull();
      // 3.2 sends objects by title: an extra column is just one more title.
      const [id] = await register(sr32, 'titled');
      const titled = await collect(id!);
      expect(titled.failures).toEqual([]);
      expect(titled.values.backend_total).toBe(2);
    } finally {
      await layouts.clusters[doris30]!.setFaults([]);
      await sr32.close();
    }
  });
});

describe('Doris: the registered FE is a follower', () => {
  it('follows the 307 to the master, an FE of the frontends list on another host', async () => {
    await doris.clusters[0]!.setFaults(parseFaults('failover=1'));
    clock.advance(30_000);
    const result = await collect(dorisId);
    const truth = doris.clusters[0]!.truth(clock.now() - 60_000, clock.now());
    expect(doris.details()[0]!.frontends[1]!.host).toBe('127.0.0.2');
    expect(truth.frontend_leader).toMatch(/^127\.0\.0\.2_/);
    expect(result.failures).toEqual([]);
    expect([result.values.backend_total, result.values.backend_alive, result.values.frontend_total]).toEqual([truth.backend_total, truth.backend_alive, truth.frontend_total]);
    expect(result.values.frontend_leader).toBe(truth.frontend_leader);
    expect(result.values.tablet_count).toBe(truth.tablet_count);
  });

  it('refuses a redirect to a host outside the cluster: a failed source, and nothing sent there', async () => {
    const seen: IncomingHttpHeaders[] = [];
    const trap = createServer((req, res) => {
      seen.push(req.headers);
      res.end('[]');
    });
    await new Promise<void>((resolve) => trap.listen(0, FOREIGN_REDIRECT_HOST, resolve));
    const address = trap.address();
    const port = typeof address === 'object' && address !== null ? address.port : 0;
    try {
      await doris.clusters[0]!.setFaults(parseFaults(`redirect_elsewhere=${port}`));
      clock.advance(30_000);
      const result = await collect(dorisId);
      const lists = result.failures.filter((f) => ['frontends', 'backends'].includes(f.source));
      expect(lists.map((f) => f.kind)).toEqual(['http_status', 'http_status']);
      for (const f of lists) {
        expect(f.message).toContain(`HTTP 307 to http://${FOREIGN_REDIRECT_HOST}:${port}, a host that is neither the registered FE's nor in the cluster's frontends list: not followed, the credentials are not sent there`);
        expect(f.message).not.toContain('pw');
      }
      expect(result.values.backend_total).toBeNull();
      expect(seen).toEqual([]);
    } finally {
      await doris.clusters[0]!.setFaults([]);
      await new Promise<void>((resolve) => trap.close(() => resolve()));
    }
  });
});
