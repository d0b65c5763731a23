/**
 * The fleet benchmark's processes, each its own: the simulator (`stellar simulate`, in shards of
 * at most 1,000 clusters, because one process holds at most `ulimit -n` sockets and each cluster
 * takes four listening ones plus a connection per client), Stellar (`stellar start` with a data
 * folder of its own) and Prometheus (Debian's binary with its own config and data folder, never
 * the system service). Every child is killed if the benchmark dies.
 */
import { type ChildProcess, execFileSync, spawn, spawnSync } from 'node:child_process';
import { createWriteStream, existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { Agent, request } from 'undici';

const ROOT = new URL('..', import.meta.url).pathname;
const MAIN = join(ROOT, 'dist', 'cli', 'main.js');
export const PROMETHEUS = '/usr/bin/prometheus';
/** Clusters per simulator process. */
export const SHARD_CLUSTERS = 1000;
/** The User-Agent of the benchmark's own requests to the simulator, told apart from the collectors'. */
export const PROBE_AGENT = 'stellar-fleet-bench';

const children = new Set<ChildProcess>();
process.on('exit', () => {
  for (const child of children) child.kill('SIGKILL');
});

export interface Child {
  readonly pid: number;
  readonly name: string;
  stop(): Promise<void>;
}

function track(child: ChildProcess, name: string, logFile: string): Child {
  const log = createWriteStream(logFile);
  child.stdout?.pipe(log);
  child.stderr?.pipe(log);
  children.add(child);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  exited.then(() => children.delete(child), () => undefined);
  return {
    pid: child.pid ?? 0,
    name,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const killer = setTimeout(() => child.kill('SIGKILL'), 20_000);
        await exited;
        clearTimeout(killer);
      }
      log.end();
    },
  };
}

function waitFor<T>(what: string, timeoutMs: number, probe: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  const attempt = async (): Promise<T> => {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`${what} did not come up within ${timeoutMs / 1000} s`);
    await new Promise((r) => setTimeout(r, 250));
    return attempt();
  };
  return attempt();
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** `dist/` as `npm start` would run it, rebuilt when older than src/. */
export function ensureBuild(): void {
  const result = spawnSync(process.execPath, [join(ROOT, 'scripts', 'ensure-build.mjs')], { stdio: 'inherit' });
  if (result.status !== 0) throw new Error('building dist/ failed');
}

/**
 * Debian's `prometheus` package, installed when missing. Debian starts a package's service on
 * install unless /usr/sbin/policy-rc.d forbids it, so one that does is put in place for the
 * install when there is none, and removed after. Returns the version line.
 */
export function ensurePrometheus(): string {
  if (!existsSync(PROMETHEUS)) {
    console.log('installing Debian’s prometheus package (apt-get), without starting its service …');
    const policy = '/usr/sbin/policy-rc.d';
    const ownPolicy = !existsSync(policy);
    if (ownPolicy) writeFileSync(policy, '#!/bin/sh\nexit 101\n', { mode: 0o755 });
    try {
      const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
      execFileSync('apt-get', ['update', '-q'], { stdio: 'inherit', env });
      execFileSync('apt-get', ['install', '-y', '-q', '--no-install-recommends', 'prometheus'], { stdio: 'inherit', env });
    } finally {
      if (ownPolicy) rmSync(policy);
    }
  }
  return execFileSync(PROMETHEUS, ['--version'], { encoding: 'utf8' }).split('\n')[0] ?? 'prometheus';
}

export interface SimFe {
  readonly host: string;
  readonly http_port: number;
}

export interface SimClusterOut {
  readonly name: string;
  readonly fe_host: string;
  readonly fe_http_port: number;
  readonly fe_query_port: number;
  readonly username: string;
  readonly password: string;
  readonly frontends: readonly SimFe[];
}

export interface Simulator {
  readonly shards: readonly Child[];
  /** Every cluster, names unique across shards. */
  readonly clusters: readonly SimClusterOut[];
  /** Connections accepted by every FE of every shard, by client. */
  connections(): Promise<{ accepted: number; byClient: Record<string, number> }>;
  stop(): Promise<void>;
}

export async function startSimulator(clusters: number, dir: string): Promise<Simulator> {
  const shardCount = Math.ceil(clusters / SHARD_CLUSTERS);
  const shards = await Promise.all(
    Array.from({ length: shardCount }, async (_, k) => {
      const size = Math.min(SHARD_CLUSTERS, clusters - k * SHARD_CLUSTERS);
      const out = join(dir, `sim-${k + 1}.json`);
      const args = [MAIN, 'simulate', '--clusters', String(size), '--seed', String(k + 1), '--out', out];
      const child = track(spawn(process.execPath, args, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] }), `simulator ${k + 1}`, join(dir, `sim-${k + 1}.log`));
      // The shards build their clusters at once on the machine's cores: allow for each one's share.
      const details = await waitFor(`simulator shard ${k + 1}`, Math.max(120_000, shardCount * 45_000), () =>
        Promise.resolve(existsSync(out) && readFileSync(join(dir, `sim-${k + 1}.log`), 'utf8').includes('started') ? out : undefined),
      );
      const parsed = JSON.parse(readFileSync(details, 'utf8')) as { clusters: SimClusterOut[] };
      const named = parsed.clusters.map((c) => (shardCount > 1 ? { ...c, name: `s${k + 1}-${c.name}` } : c));
      return { child, clusters: named };
    }),
  );
  const agent = new Agent({ connections: 1 });
  return {
    shards: shards.map((s) => s.child),
    clusters: shards.flatMap((s) => s.clusters),
    connections: async () => {
      let accepted = 0;
      const byClient: Record<string, number> = {};
      for (const shard of shards) {
        const fe = shard.clusters[0]?.frontends[0];
        const res = await request(`http://${fe?.host}:${fe?.http_port}/_sim/connections`, { dispatcher: agent, headers: { 'user-agent': PROBE_AGENT } });
        const body = (await res.body.json()) as { accepted: number; by_client: Record<string, number> };
        accepted += body.accepted;
        for (const [client, n] of Object.entries(body.by_client)) byClient[client] = (byClient[client] ?? 0) + n;
      }
      return { accepted, byClient };
    },
    stop: async () => {
      await agent.close();
      await Promise.all(shards.map((s) => s.child.stop()));
    },
  };
}

export interface Stellar extends Child {
  readonly url: string;
  readonly dataDir: string;
  readonly logFile: string;
  /** The admin's Basic credentials, as a header value. */
  readonly authorization: string;
  /** A call on the API as admin. */
  api(method: 'GET' | 'POST' | 'PUT', path: string, body?: unknown): Promise<unknown>;
}

const ADMIN_PASSWORD = 'fleet-bench-admin';

/** What a benchmark may change of `stellar start`: the data folder, more APP_* settings, node's own flags (a preload). */
export interface StellarStartOptions {
  readonly dataDir?: string;
  readonly env?: Readonly<Record<string, string>>;
  readonly nodeArgs?: readonly string[];
  readonly logName?: string;
}

/**
 * `stellar start` with every setting at its default but where it listens, where it keeps its
 * data and the collection interval (its default, 30 s, unless the benchmark is told otherwise).
 */
export async function startStellar(dir: string, intervalSecs: number, options: StellarStartOptions = {}): Promise<Stellar> {
  const port = await freePort();
  const dataDir = options.dataDir ?? join(dir, 'stellar-data');
  const logFile = join(dir, options.logName ?? 'stellar.log');
  const env = {
    ...process.env,
    APP_SERVER_PORT: String(port),
    APP_SERVER_DATA_DIR: dataDir,
    APP_AUTH_ADMIN_PASSWORD: ADMIN_PASSWORD,
    APP_LOG_FORMAT: 'json',
    APP_METRICS_INTERVAL_SECS: String(intervalSecs),
    ...options.env,
  };
  // The working directory is the run's own, so no conf/config.toml is read: defaults apply.
  const child = track(spawn(process.execPath, [...(options.nodeArgs ?? []), MAIN, 'start'], { cwd: dir, env, stdio: ['ignore', 'pipe', 'pipe'] }), 'stellar', logFile);
  const url = `http://127.0.0.1:${port}`;
  const agent = new Agent({ connections: 16 });
  const authorization = `Basic ${Buffer.from(`admin:${ADMIN_PASSWORD}`).toString('base64')}`;
  await waitFor('stellar', 60_000, async () => ((await request(`${url}/readyz`, { dispatcher: agent })).statusCode === 200 ? true : undefined));
  return {
    ...child,
    url,
    dataDir,
    logFile,
    authorization,
    api: async (method, path, body) => {
      const res = await request(`${url}${path}`, {
        method,
        dispatcher: agent,
        headers: { authorization, 'content-type': 'application/json' },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      const text = await res.body.text();
      if (res.statusCode >= 300) throw new Error(`${method} ${path}: HTTP ${res.statusCode} ${text.slice(0, 300)}`);
      return JSON.parse(text) as unknown;
    },
    stop: async () => {
      await agent.close();
      await child.stop();
    },
  };
}

/** Register every simulated cluster through the API, as a user would, a few at a time. */
export async function registerClusters(stellar: Stellar, clusters: readonly SimClusterOut[]): Promise<Map<string, number>> {
  const ids = new Map<string, number>();
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < clusters.length) {
      const c = clusters[next++];
      if (c === undefined) continue;
      const created = (await stellar.api('POST', '/api/clusters', {
        name: c.name,
        fe_host: c.fe_host,
        fe_http_port: c.fe_http_port,
        fe_query_port: c.fe_query_port,
        username: c.username,
        password: c.password,
      })) as { id: number };
      ids.set(c.name, created.id);
    }
  };
  await Promise.all(Array.from({ length: 8 }, worker));
  return ids;
}

export interface Prometheus extends Child {
  /** Resolves once every target has been scraped at least once. */
  allTargetsUp(count: number): Promise<void>;
  /** Scrapes done so far, over every target. */
  scrapes(): Promise<number>;
  /** Targets whose last scrape failed. */
  targetsDown(): Promise<number>;
}

/** Prometheus scraping every FE's /metrics at the interval, from a config and data folder of its own. */
export async function startPrometheus(dir: string, clusters: readonly SimClusterOut[], intervalSecs: number): Promise<Prometheus> {
  const port = await freePort();
  const config = join(dir, 'prometheus.yml');
  const targets = clusters.flatMap((c) => c.frontends.map((fe) => `'${fe.host}:${fe.http_port}'`));
  writeFileSync(
    config,
    [
      'global:',
      `  scrape_interval: ${intervalSecs}s`,
      `  scrape_timeout: ${Math.min(10, intervalSecs)}s`,
      'scrape_configs:',
      '  - job_name: fe',
      '    static_configs:',
      `      - targets: [${targets.join(', ')}]`,
      '',
    ].join('\n'),
  );
  const args = [`--config.file=${config}`, `--storage.tsdb.path=${join(dir, 'prometheus-data')}`, `--web.listen-address=127.0.0.1:${port}`];
  const child = track(spawn(PROMETHEUS, args, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] }), 'prometheus', join(dir, 'prometheus.log'));
  const url = `http://127.0.0.1:${port}`;
  const agent = new Agent({ connections: 1 });
  const get = async (path: string): Promise<string> => {
    const res = await request(`${url}${path}`, { dispatcher: agent });
    return res.body.text();
  };
  const query = async (promql: string): Promise<string> => {
    const body = JSON.parse(await get(`/api/v1/query?query=${encodeURIComponent(promql)}`)) as { data: { result: { value: [number, string] }[] } };
    return body.data.result[0]?.value[1] ?? '0';
  };
  await waitFor('prometheus', 60_000, async () => ((await request(`${url}/-/ready`, { dispatcher: agent })).statusCode === 200 ? true : undefined));
  return {
    ...child,
    // Every interval between two scrapes of a target is one observation of this summary.
    scrapes: async () =>
      [...(await get('/metrics')).matchAll(/^prometheus_target_interval_length_seconds_count\{[^}]*\} (\S+)$/gm)].reduce((sum, m) => sum + Number(m[1]), 0),
    targetsDown: async () => Number(await query('count(up == 0)')),
    allTargetsUp: async (count) => {
      await waitFor(`prometheus's first scrape of all ${count} targets`, 180_000, async () => (Number(await query('count(up)')) >= count ? true : undefined));
    },
    stop: async () => {
      await agent.close();
      await child.stop();
    },
  };
}
