/**
 * One collection from one cluster: the node lists and every alive FE's `/metrics` (with the
 * `runtime_info` source, its runtime info too) at once, each call with its own timeout and all
 * under the cluster's deadline; optionally each BE's `/metrics`. A failed source is recorded
 * with its kind and never discards the others.
 */
import type { Engine } from '../shared/cluster-kinds.js';
import { ScrapeError } from '../starrocks/errors.js';
import { type FrontendRow, NodeListError, type NodeRow, parseFrontendRows, parseNodeRows } from '../starrocks/parse/node-lists.js';
import { parsePrometheusText } from '../starrocks/parse/prometheus-text.js';
import type { ProcTable } from '../starrocks/proc-table.js';
import type { FeAddress, StarRocksClient } from '../starrocks/starrocks-client.js';
import type { BeScrape, FeScrape, RawScrape, RuntimeScrape, SourceFailure } from './raw-scrape.js';

export interface ScrapeTarget {
  readonly engine: Engine;
  readonly fe_host: string;
  readonly fe_http_port: number;
}

export interface ScrapeOptions {
  /** Scrape every alive FE, not only the configured one (on by default: qps is a sum over FEs). */
  readonly scrapeFollowers: boolean;
  /** Scrape each alive BE/CN's `/metrics` for network, disk IO and CPU. */
  readonly scrapeBackends: boolean;
  /** Ask each scraped FE's `/api/show_runtime_info`, for heap figures when `/metrics` has none. */
  readonly runtimeInfo: boolean;
  /** The whole collection's budget, in ms. */
  readonly deadlineMs: number;
  readonly now: () => number;
}

export async function scrapeCluster(client: StarRocksClient, target: ScrapeTarget, options: ScrapeOptions): Promise<RawScrape> {
  const started = options.now();
  const signal = AbortSignal.timeout(options.deadlineMs);
  const call = { signal };
  const failures: SourceFailure[] = [];
  const configured: FeAddress = { host: target.fe_host, httpPort: target.fe_http_port };
  const listOptions = { engine: target.engine };

  const attempt = async <T>(source: string, work: () => Promise<T>): Promise<T | null> => {
    try {
      return await work();
    } catch (error) {
      failures.push(failureOf(source, error));
      return null;
    }
  };
  const table = <T>(source: string, get: () => Promise<ProcTable>, parse: (t: ProcTable) => T): Promise<T | null> =>
    attempt(source, async () => parse(await get()));

  const runtime: RuntimeScrape[] = [];
  const askRuntime = async (fe: FeAddress): Promise<void> => {
    const key = `${fe.host}:${fe.httpPort}`;
    const info = await attempt(`runtime_info ${key}`, () => withFallback(fe, configured, call, (at) => client.runtimeInfo(at, call)));
    if (info) runtime.push({ key, info });
  };
  const scrapeFe = async (fe: FeAddress, leaderInList: boolean): Promise<FeScrape | null> => {
    const [scraped] = await Promise.all([
      attempt(`metrics ${fe.host}:${fe.httpPort}`, async () => {
        const answer = await withFallback(fe, configured, call, (at) => client.metricsText(at, call));
        return { key: `${fe.host}:${fe.httpPort}`, leaderInList, metrics: parsePrometheusText(answer.text), atMs: options.now() };
      }),
      options.runtimeInfo ? askRuntime(fe) : undefined,
    ]);
    return scraped;
  };

  const [frontends, backends, computeNodes, configuredFe] = await Promise.all([
    table('frontends', () => client.frontends(call), (t) => parseFrontendRows(t, listOptions)),
    table('backends', () => client.backends(call), (t) => parseNodeRows(t, 'backend', listOptions)),
    target.engine === 'doris' ? Promise.resolve<NodeRow[]>([]) : table('compute_nodes', () => client.computeNodes(call), (t) => parseNodeRows(t, 'compute_node', listOptions)),
    scrapeFe(configured, false),
  ]);

  const fes: FeScrape[] = [];
  const configuredRow = configuredFeRow(frontends, configured);
  const others = options.scrapeFollowers ? (frontends ?? []).filter((f) => f !== configuredRow && f.alive && f.host !== null && f.httpPort !== null) : [];
  if (configuredFe) fes.push({ ...configuredFe, leaderInList: configuredRow?.role === 'LEADER' });
  const [followers, bes] = await Promise.all([
    Promise.all(others.map((f) => scrapeFe({ host: f.host ?? '', httpPort: f.httpPort ?? 0 }, f.role === 'LEADER'))),
    options.scrapeBackends ? scrapeBackends(client, [...(backends ?? []), ...(computeNodes ?? [])], call, options, attempt) : Promise.resolve(null),
  ]);
  for (const fe of followers) if (fe) fes.push(fe);

  return {
    engine: target.engine,
    collectedAt: started,
    durationMs: options.now() - started,
    frontends,
    backends,
    computeNodes,
    fes,
    bes,
    runtime: options.runtimeInfo ? runtime : null,
    failures,
  };
}

/**
 * A call to an FE at the address the frontends list gives; when that address cannot be
 * reached (an internal IP behind NAT or in a container network), at the configured host with
 * the FE's own port.
 */
export async function withFallback<T>(fe: FeAddress, configured: FeAddress, call: { signal: AbortSignal }, ask: (at: FeAddress) => Promise<T>): Promise<T> {
  try {
    return await ask(fe);
  } catch (error) {
    const fallback = { host: configured.host, httpPort: fe.httpPort };
    // Never the configured FE itself under another name: its counters would count twice.
    const same = fallback.httpPort === configured.httpPort;
    if (fe.host === configured.host || same || !(error instanceof ScrapeError) || (error.kind !== 'refused' && error.kind !== 'timeout') || call.signal.aborted) throw error;
    return ask(fallback);
  }
}

/**
 * The configured FE's row: the one at its address, or, when the list shows other addresses
 * (internal IPs), the only row with its HTTP port.
 */
export function configuredFeRow(frontends: readonly FrontendRow[] | null, configured: FeAddress): FrontendRow | undefined {
  const rows = frontends ?? [];
  const exact = rows.find((f) => f.host === configured.host && f.httpPort === configured.httpPort);
  if (exact) return exact;
  const samePort = rows.filter((f) => f.httpPort === configured.httpPort);
  return samePort.length === 1 ? samePort[0] : undefined;
}

async function scrapeBackends(
  client: StarRocksClient,
  nodes: readonly NodeRow[],
  call: { signal: AbortSignal },
  options: ScrapeOptions,
  attempt: <T>(source: string, work: () => Promise<T>) => Promise<T | null>,
): Promise<BeScrape[]> {
  const alive = nodes.filter((n) => n.alive && n.host !== null && n.httpPort !== null);
  const scraped = await Promise.all(
    alive.map((n) =>
      attempt(`be_metrics ${n.host}:${n.httpPort}`, async () => {
        const answer = await client.metricsText({ host: n.host ?? '', httpPort: n.httpPort ?? 0 }, call);
        return { key: `${n.host}:${n.httpPort}`, metrics: parsePrometheusText(answer.text), atMs: options.now() };
      }),
    ),
  );
  return scraped.filter((b): b is BeScrape => b !== null);
}

function failureOf(source: string, error: unknown): SourceFailure {
  if (error instanceof ScrapeError) return { source, kind: error.kind, message: error.message };
  if (error instanceof NodeListError) return { source, kind: 'parse', message: error.message };
  return { source, kind: 'parse', message: error instanceof Error ? error.message : String(error) };
}
