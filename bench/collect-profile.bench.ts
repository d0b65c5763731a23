/**
 * What one cluster-cycle of collection costs Stellar in CPU, in-process and without the rest of
 * the service: the real Collector (scrapeCluster over loopback HTTP, buildSnapshot, the SQLite
 * SnapshotWriter on a temporary file) against a simulated fleet in a child process, so the
 * simulator's CPU is not counted. A second pass splits the same work into stages, each measured
 * on its own: the requests (HTTP, gunzip, the node lists' JSON), parsing, building, writing.
 * It runs the built modules (dist/); `node --cpu-prof --import tsx bench/index.ts collect-profile`
 * shows where the time goes.
 *
 * `npm run bench -- collect-profile [--clusters 200] [--cycles 7] [--warmup 2] [--baseline DIST]`:
 * with `--baseline`, another build's dist/ folder (e.g. of an earlier commit) collects the same
 * fleet into a database of its own, cycles alternating with this build's, and the ratio is printed.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import pino from 'pino';
import type { RawScrape } from '../src/collector/raw-scrape.js';
import type { CounterMemory } from '../src/collector/snapshot-builder.js';
import type { Storage } from '../src/storage/dialect/dialect.js';
import type { ProcTable } from '../src/starrocks/proc-table.js';
import { clusterFields } from '../test/helpers/factories.js';
import type * as CollectorModule from '../src/collector/collector.js';
import type * as SnapshotBuilderModule from '../src/collector/snapshot-builder.js';
import type * as ClusterRegistryModule from '../src/registry/cluster-registry.js';
import type * as SecretBoxModule from '../src/security/secret-box.js';
import type * as SnapshotFieldsModule from '../src/shared/snapshot-fields.js';
import type * as SqliteDialectModule from '../src/storage/dialect/sqlite/sqlite-dialect.js';
import type * as MigrateModule from '../src/storage/migrate.js';
import type * as NodeListsModule from '../src/starrocks/parse/node-lists.js';
import type * as PrometheusTextModule from '../src/starrocks/parse/prometheus-text.js';
import type * as StarrocksClientModule from '../src/starrocks/starrocks-client.js';
import { ensureBuild, type SimClusterOut, startSimulator } from './fleet-processes.js';

/**
 * The built modules, as `stellar start` runs them: under tsx every imported binding is read
 * through a getter, which more than doubled the parser's time and would misplace the costs.
 */
async function builtModules(dist: URL) {
  const load = async <T>(path: string): Promise<T> => (await import(new URL(path, dist).href)) as T;
  return {
    ...(await load<typeof CollectorModule>('collector/collector.js')),
    ...(await load<typeof SnapshotBuilderModule>('collector/snapshot-builder.js')),
    ...(await load<typeof ClusterRegistryModule>('registry/cluster-registry.js')),
    ...(await load<typeof SecretBoxModule>('security/secret-box.js')),
    ...(await load<typeof SnapshotFieldsModule>('shared/snapshot-fields.js')),
    ...(await load<typeof SqliteDialectModule>('storage/dialect/sqlite/sqlite-dialect.js')),
    ...(await load<typeof MigrateModule>('storage/migrate.js')),
    ...(await load<typeof NodeListsModule>('starrocks/parse/node-lists.js')),
    ...(await load<typeof PrometheusTextModule>('starrocks/parse/prometheus-text.js')),
    ...(await load<typeof StarrocksClientModule>('starrocks/starrocks-client.js')),
  };
}
type Built = Awaited<ReturnType<typeof builtModules>>;

interface Options {
  readonly clusters: number;
  readonly cycles: number;
  readonly warmup: number;
  /** Another build's dist/ folder, whose Collector runs cycles alternately with this one's. */
  readonly baseline: string | null;
}

function optionsFrom(args: readonly string[]): Options {
  const value = (name: string, fallback: number): number => {
    const at = args.indexOf(`--${name}`);
    const raw = at >= 0 ? Number(args[at + 1]) : fallback;
    if (!Number.isInteger(raw) || raw < 1) throw new Error(`--${name} takes a whole number ≥ 1`);
    return raw;
  };
  const baseline = args.indexOf('--baseline');
  return { clusters: value('clusters', 200), cycles: value('cycles', 7), warmup: value('warmup', 2), baseline: baseline >= 0 ? (args[baseline + 1] ?? null) : null };
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** CPU µs (user + system) this process spent in `work`. */
async function cpuOf(work: () => unknown): Promise<number> {
  const before = process.cpuUsage();
  await work();
  const used = process.cpuUsage(before);
  return used.user + used.system;
}

/** The first `concurrency` at a time, as the collector runs clusters. */
async function eachLimited<T>(items: readonly T[], concurrency: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) await work(items[next++]!);
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
}

const CONCURRENCY = 16;

/** One build's Collector over the simulated fleet, with a database of its own. */
async function startCollector(built: Built, file: string, clusters: readonly SimClusterOut[]) {
  const { Collector, ClusterRegistry, SecretBox, openSqlite, migrateToLatest } = built;
  const storage = openSqlite(file);
  await migrateToLatest(storage);
  const registry = new ClusterRegistry({ db: storage.db, dialect: storage.dialect, secrets: new SecretBox(randomBytes(32)), now: Date.now });
  const ids: number[] = [];
  for (const c of clusters) {
    const created = await registry.create(clusterFields({ name: c.name, fe_host: c.fe_host, fe_http_port: c.fe_http_port, fe_query_port: c.fe_query_port, username: c.username, password: c.password }));
    ids.push(created.id);
  }
  const collector = new Collector({
    storage,
    registry,
    logger: pino({ level: 'warn' }),
    now: Date.now,
    options: { scrapeFollowers: true, scrapeBackends: false, runtimeInfo: false, maxConcurrency: CONCURRENCY, intervalMs: 30_000 },
  });
  let fes = 0;
  let rows = 0;
  return {
    storage,
    ids,
    /** FEs scraped per collection so far. */
    fesPerRow: () => fes / rows,
    /** One cycle over every cluster; every collection must be ok. */
    cycle: async () => {
      const results = await collector.collectAll();
      rows += results.length;
      fes += results.reduce((n, r) => n + r.frontendsScraped, 0);
      const bad = results.filter((r) => r.status !== 'ok');
      if (bad.length > 0) throw new Error(`${bad.length} collections not ok: ${JSON.stringify(bad[0]?.failures)}`);
    },
    close: async () => {
      await collector.close();
      await storage.close();
    },
  };
}

export async function collectProfileBench(args: readonly string[]): Promise<string> {
  const o = optionsFrom(args);
  ensureBuild();
  const built = await builtModules(new URL('../dist/', import.meta.url));
  const baselineBuilt = o.baseline === null ? null : await builtModules(pathToFileURL(`${resolve(o.baseline)}/`));
  const dir = mkdtempSync(join(tmpdir(), 'stellar-collect-profile-'));
  const simulator = await startSimulator(o.clusters, dir);
  const mine = await startCollector(built, join(dir, 'stellar.db'), simulator.clusters);
  const theirs = baselineBuilt && (await startCollector(baselineBuilt, join(dir, 'baseline.db'), simulator.clusters));
  try {
    for (let i = 0; i < o.warmup; i += 1) {
      await mine.cycle();
      await theirs?.cycle();
    }
    const whole: number[] = [];
    const baseline: number[] = [];
    // Alternate cycles, each build first every other time, so both live through the same load.
    for (let i = 0; i < o.cycles; i += 1) {
      if (theirs && i % 2 === 1) baseline.push(await cpuOf(theirs.cycle));
      whole.push(await cpuOf(mine.cycle));
      if (theirs && i % 2 === 0) baseline.push(await cpuOf(theirs.cycle));
    }
    const stages = await stagesOf(built, simulator.clusters, mine.ids, mine.storage, o);
    const perCycle = (us: readonly number[]) => (median(us) / o.clusters).toFixed(0).padStart(6);
    const range = (us: readonly number[]) => `(${(Math.min(...us) / o.clusters).toFixed(0)}–${(Math.max(...us) / o.clusters).toFixed(0)})`;
    return [
      `Collection CPU per cluster-cycle, the median cycle (range): ${o.clusters} clusters × ${mine.fesPerRow().toFixed(1)} FEs, ${o.cycles} cycles after ${o.warmup} warm-up, ${CONCURRENCY} at a time`,
      `  Collector.collectAll (everything)               ${perCycle(whole)} µs ${range(whole)}`,
      ...(theirs ? [`  the same, baseline build ${o.baseline}  ${perCycle(baseline)} µs ${range(baseline)}   this build ${(median(whole) / median(baseline)).toFixed(3)} × baseline`] : []),
      `  stages of this build, each measured on its own:`,
      `    requests (HTTP, gunzip, node lists' JSON)     ${perCycle(stages.requests)} µs ${range(stages.requests)}`,
      `    parse (/metrics text, node-list rows)         ${perCycle(stages.parse)} µs ${range(stages.parse)}`,
      `    build (buildSnapshot)                         ${perCycle(stages.build)} µs ${range(stages.build)}`,
      `    write (SnapshotWriter, SQLite file)           ${perCycle(stages.write)} µs ${range(stages.write)}`,
    ].join('\n');
  } finally {
    await mine.close();
    await theirs?.close();
    await simulator.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

interface Fetched {
  readonly frontends: ProcTable;
  readonly backends: ProcTable;
  readonly computeNodes: ProcTable;
  readonly metrics: { text: string; atMs: number; key: string }[];
}

/** The collection's work in stages, each over every cluster and cycle before the next begins. */
async function stagesOf(
  { StarRocksClient, SNAPSHOT_FIELDS, EMPTY_MEMORY, buildSnapshot, parseFrontendRows, parseNodeRows, parsePrometheusText }: Built,
  clusters: readonly SimClusterOut[],
  ids: readonly number[],
  storage: Storage,
  o: Options,
): Promise<Record<'requests' | 'parse' | 'build' | 'write', number[]>> {
  const clients = clusters.map(
    (c) =>
      new StarRocksClient(
        { fe_host: c.fe_host, fe_http_port: c.fe_http_port, fe_query_port: c.fe_query_port, username: c.username, password: c.password, enable_ssl: false, connection_timeout: 10, engine: 'starrocks', node_list_source: 'http' },
        { keepAliveMs: 45_000, now: Date.now },
      ),
  );
  const writer = storage.snapshotWriter(SNAPSHOT_FIELDS);
  const memories: CounterMemory[] = clusters.map(() => EMPTY_MEMORY);
  const totals: Record<'requests' | 'parse' | 'build' | 'write', number[]> = { requests: [], parse: [], build: [], write: [] };
  const fetchAll = async (): Promise<Fetched[]> => {
    const out: Fetched[] = new Array<Fetched>(clusters.length);
    await eachLimited([...clusters.keys()], CONCURRENCY, async (i) => {
      const client = clients[i]!;
      const call = { now: Date.now };
      const [frontends, backends, computeNodes, ...metrics] = await Promise.all([
        client.frontends(call),
        client.backends(call),
        client.computeNodes(call),
        ...clusters[i]!.frontends.map((fe) => client.metricsText({ host: fe.host, httpPort: fe.http_port }, call).then((m) => ({ text: m.text, atMs: m.answeredAt, key: `${fe.host}:${fe.http_port}` }))),
      ]);
      out[i] = { frontends, backends, computeNodes, metrics };
    });
    return out;
  };
  await fetchAll();
  for (let cycle = 0; cycle < o.cycles; cycle += 1) {
    let fetched: Fetched[] = [];
    totals.requests.push(await cpuOf(async () => (fetched = await fetchAll())));
    const collectedAt = Date.now() + cycle;
    let raws: RawScrape[] = [];
    totals.parse.push(
      await cpuOf(() => {
        raws = fetched.map((f) => ({
          engine: 'starrocks',
          collectedAt,
          durationMs: 1,
          frontends: parseFrontendRows(f.frontends, { engine: 'starrocks' }),
          backends: parseNodeRows(f.backends, 'backend', { engine: 'starrocks' }),
          computeNodes: parseNodeRows(f.computeNodes, 'compute_node', { engine: 'starrocks' }),
          fes: f.metrics.map((m, k) => ({ key: m.key, leaderInList: k === 0, metrics: parsePrometheusText(m.text), atMs: m.atMs })),
          bes: null,
          runtime: null,
          sources: [],
          failures: [],
          metricsBytes: 0,
        }));
      }),
    );
    let snapshots: ReturnType<typeof buildSnapshot>[] = [];
    totals.build.push(
      await cpuOf(() => {
        snapshots = raws.map((raw, i) => buildSnapshot(raw, memories[i]!));
      }),
    );
    totals.write.push(
      await cpuOf(async () => {
        for (const [i, b] of snapshots.entries()) {
          await writer.write({ clusterId: ids[i]!, collectedAt, status: b.status, durationMs: 1, failedSources: '[]', frontendsScraped: 3, values: b.values, nodes: { at: collectedAt, frontends: null, backends: null, computeNodes: null } });
          memories[i] = b.memory;
        }
      }),
    );
  }
  await Promise.all(clients.map((c) => c.close()));
  return totals;
}
