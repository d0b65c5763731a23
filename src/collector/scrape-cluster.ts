/**
 * One collection from one cluster: the node lists and every alive FE's `/metrics` at once,
 * each call with its own timeout and all under the cluster's deadline; optionally each BE's
 * `/metrics`. A failed source is recorded with its kind and never discards the others.
 */
import type { Engine } from '../shared/api-types.js';
import { ScrapeError } from '../starrocks/errors.js';
import { type FrontendRow, NodeListError, type NodeRow, parseFrontendRows, parseNodeRows } from '../starrocks/parse/node-lists.js';
import { parsePrometheusText } from '../starrocks/parse/prometheus-text.js';
import type { ProcTable } from '../starrocks/proc-table.js';
import type { FeAddress, StarRocksClient } from '../starrocks/starrocks-client.js';
import type { BeScrape, FeScrape, RawScrape, SourceFailure } from './raw-scrape.js';

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

  const scrapeFe = async (fe: FeAddress, leaderInList: boolean): Promise<FeScrape | null> =>
    attempt(`metrics ${fe.host}:${fe.httpPort}`, async () => {
      const answer = await client.metricsText(fe, call);
      return { key: `${fe.host}:${fe.httpPort}`, leaderInList, metrics: parsePrometheusText(answer.text), atMs: options.now() };
    });

  const [frontends, backends, computeNodes, configuredFe] = await Promise.all([
    table('frontends', () => client.frontends(call), (t) => parseFrontendRows(t, listOptions)),
    table('backends', () => client.backends(call), (t) => parseNodeRows(t, 'backend', listOptions)),
    target.engine === 'doris' ? Promise.resolve<NodeRow[]>([]) : table('compute_nodes', () => client.computeNodes(call), (t) => parseNodeRows(t, 'compute_node', listOptions)),
    scrapeFe(configured, false),
  ]);

  const fes: FeScrape[] = [];
  const configuredKey = `${configured.host}:${configured.httpPort}`;
  const others = options.scrapeFollowers ? otherAliveFes(frontends, configuredKey) : [];
  const configuredRow = frontends?.find((f) => `${f.host}:${f.httpPort}` === configuredKey);
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
    failures,
  };
}

/** Alive FEs of the list other than the configured one, with an address to reach them at. */
function otherAliveFes(frontends: readonly FrontendRow[] | null, configuredKey: string): FrontendRow[] {
  return (frontends ?? []).filter((f) => f.alive && f.host !== null && f.httpPort !== null && `${f.host}:${f.httpPort}` !== configuredKey);
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
