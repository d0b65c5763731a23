/**
 * One collection from one cluster: the node lists and the configured FE's `/metrics` (with the
 * `runtime_info` source, its runtime info too) at once, then every other alive FE's and,
 * optionally, each BE's — each call with its own timeout and all under the cluster's deadline.
 * Every source asked is recorded: how long it took and what it returned, or why it failed; a
 * failed source never discards the others. The connection test is this scrape, presented.
 */
import { DEFAULT_LIMITS, type OptionalSource, type ScrapeLimits } from '../config/schema.js';
import { TargetPolicy } from '../security/allowed-targets.js';
import type { Engine } from '../shared/cluster-kinds.js';
import { ScrapeError } from '../starrocks/errors.js';
import { type FrontendRow, frontendsVersion, NodeListError, type NodeRow, parseFrontendRows, parseNodeRows } from '../starrocks/parse/node-lists.js';
import { ParseLimitError, type ParsedMetrics, parsePrometheusTextInSlices } from '../starrocks/parse/prometheus-text.js';
import type { ProcTable } from '../starrocks/proc-table.js';
import type { CallOptions, FeAddress, RuntimeInfo, StarRocksClient } from '../starrocks/starrocks-client.js';
import { type BeScrape, type FeScrape, failuresOf, type RawScrape, type RuntimeScrape, type SourceFailure, type SourceOutcome } from './raw-scrape.js';

export interface ScrapeTarget {
  readonly engine: Engine;
  readonly fe_host: string;
  readonly fe_http_port: number;
}

/** Which optional sources a scrape asks, besides the node lists and the configured FE's `/metrics`. */
export interface ScrapeSources {
  /** Scrape every alive FE, not only the configured one (on by default: qps is a sum over FEs). */
  readonly scrapeFollowers: boolean;
  /** Scrape each alive BE/CN's `/metrics` for network, disk IO and CPU. */
  readonly scrapeBackends: boolean;
  /** Ask each scraped FE's `/api/show_runtime_info`, for heap figures when `/metrics` has none. */
  readonly runtimeInfo: boolean;
  /**
   * Ask each scraped FE `/metrics?with_table_metrics=minified`, as the cluster's user: a custom
   * metric reads a per-table family. Every FE scraped is asked, a `fe_leader` metric's too: which
   * FE leads is known only from the list, asked at the same time as the configured FE's page.
   */
  readonly tableMetrics?: boolean;
}

/** The scrape's sources as `[metrics] sources` (effectiveSources) names them. */
export function scrapeSourcesFrom(sources: ReadonlySet<OptionalSource>): ScrapeSources {
  return { scrapeFollowers: sources.has('follower_metrics'), scrapeBackends: sources.has('be_metrics'), runtimeInfo: sources.has('runtime_info') };
}

export interface ScrapeOptions extends ScrapeSources {
  /** The whole collection's budget, in ms. */
  readonly deadlineMs: number;
  /** The collection's clock (epoch ms): its time, each answer's time, each source's duration. */
  readonly now: () => number;
  /** `[security] allowed_targets`: a host outside is not asked, its sources fail as `not_allowed`; any host when absent. */
  readonly targets?: TargetPolicy;
  /** What is accepted from the cluster: series and line length here, the FEs asked (bytes are the client's); the defaults when absent. */
  readonly limits?: ScrapeLimits;
}

/**
 * The budget of a whole collection: every call has the cluster's connection_timeout and all of
 * a round run at once; a second round (other FEs, BEs) follows the first.
 */
export function scrapeDeadlineMs(connectionTimeoutSeconds: number): number {
  return connectionTimeoutSeconds * 2000 + 1000;
}

/** What a source returned, and its summary for the record. */
interface Answered<T> {
  readonly value: T;
  readonly summary: () => string;
}

/** A source asked: its value when it answered, and its outcome for the record. */
interface Asked<T> {
  readonly value: T | null;
  readonly outcome: SourceOutcome;
}

interface AskedFe {
  readonly metrics: Asked<FeScrape>;
  readonly runtime: Asked<RuntimeScrape> | null;
}

export async function scrapeCluster(client: StarRocksClient, target: ScrapeTarget, options: ScrapeOptions): Promise<RawScrape> {
  const started = options.now();
  const limits = options.limits ?? DEFAULT_LIMITS;
  const call: CallOptions = { signal: AbortSignal.timeout(options.deadlineMs), now: options.now };
  const configured: FeAddress = { host: target.fe_host, httpPort: target.fe_http_port };
  const listOptions = { engine: target.engine };
  const feMetrics = { tableMetrics: options.tableMetrics === true };
  let metricsBytes = 0;
  // Each host is checked once per collection (a name may need a DNS lookup), before it is asked anything.
  const refusals = new Map<string, Promise<string | null>>();
  const targets = options.targets ?? TargetPolicy.ANY;
  const refusalOf = (host: string): Promise<string | null> => {
    let refusal = refusals.get(host);
    if (refusal === undefined) refusals.set(host, (refusal = targets.refusal(host)));
    return refusal;
  };
  const ask = <T>(source: string, work: () => Promise<Answered<T>>, host: string): Promise<Asked<T>> =>
    askSource(source, options.now, async () => {
      const refusal = await refusalOf(host);
      if (refusal !== null) throw new ScrapeError('not_allowed', source, refusal);
      return work();
    });
  const list = <T>(source: string, get: () => Promise<ProcTable>, parse: (t: ProcTable) => T[], summary: (rows: T[]) => () => string) =>
    ask(source, async () => {
      const rows = parse(await get());
      return { value: rows, summary: summary(rows) };
    }, target.fe_host);

  const scrapeFe = async (fe: FeAddress, leaderInList: boolean): Promise<AskedFe> => {
    const key = keyOf(fe);
    const [metrics, runtime] = await Promise.all([
      ask(`metrics ${key}`, async () => {
        const answer = await withFallback(fe, configured, call, (at) => client.metricsText(at, call, feMetrics));
        const parsed = await parsePrometheusTextInSlices(answer.text, limits);
        metricsBytes += answer.bodyBytes;
        return { value: { key, leaderInList, metrics: parsed, atMs: answer.answeredAt }, summary: metricsSummary(parsed, answer.bodyBytes) };
      }, fe.host),
      options.runtimeInfo
        ? ask(`runtime_info ${key}`, async () => {
            const info = await withFallback(fe, configured, call, (at) => client.runtimeInfo(at, call));
            return { value: { key, info }, summary: runtimeSummary(info) };
          }, fe.host)
        : null,
    ]);
    return { metrics, runtime };
  };
  const scrapeBe = (node: FeAddress): Promise<Asked<BeScrape>> => {
    const key = keyOf(node);
    return ask(`be_metrics ${key}`, async () => {
      const answer = await client.metricsText(node, call);
      const parsed = await parsePrometheusTextInSlices(answer.text, limits);
      metricsBytes += answer.bodyBytes;
      return { value: { key, metrics: parsed, atMs: answer.answeredAt }, summary: metricsSummary(parsed, answer.bodyBytes) };
    }, node.host);
  };

  const [frontends, backends, computeNodes, configuredFe] = await Promise.all([
    list('frontends', () => client.frontends(call), (t) => parseFrontendRows(t, listOptions), frontendsSummary),
    list('backends', () => client.backends(call), (t) => parseNodeRows(t, 'backend', listOptions), (rows) => nodesSummary(rows, 'backends')),
    client.hasComputeNodeList
      ? list('compute_nodes', () => client.computeNodes(call), (t) => parseNodeRows(t, 'compute_node', listOptions), (rows) => nodesSummary(rows, 'compute nodes'))
      : null,
    scrapeFe(configured, false),
  ]);

  const configuredRow = configuredFeRow(frontends.value, configured);
  const alive = options.scrapeFollowers ? (frontends.value ?? []).filter((f) => f !== configuredRow && f.alive && reachable(f)) : [];
  // The configured FE counts as one: a list of thousands (a hostile or broken FE) costs at most the limit in requests.
  const others = alive.slice(0, limits.max_frontends - 1);
  const cut: SourceOutcome | null =
    others.length < alive.length
      ? {
          source: 'follower_metrics',
          ok: false,
          durationMs: 0,
          kind: 'over_limit',
          message: `the frontends list names ${alive.length + 1} alive FEs; only the configured FE and the first ${others.length} others were scraped (limit limits.max_frontends)`,
        }
      : null;
  const nodes = [...(backends.value ?? []), ...(computeNodes?.value ?? [])].filter((n) => n.alive && reachable(n));
  const [followers, bes] = await Promise.all([
    Promise.all(others.map((f) => scrapeFe(addressOf(f), f.role === 'LEADER'))),
    options.scrapeBackends ? Promise.all(nodes.map((n) => scrapeBe(addressOf(n)))) : null,
  ]);
  // The configured FE is asked before the list can say whether it leads.
  const configuredScrape = configuredFe.metrics.value && { ...configuredFe.metrics.value, leaderInList: configuredRow?.role === 'LEADER' };
  const allFes = [configuredFe, ...followers];

  const sources: SourceOutcome[] = [
    frontends.outcome,
    backends.outcome,
    ...(computeNodes ? [computeNodes.outcome] : []),
    ...allFes.map((f) => f.metrics.outcome),
    ...(cut ? [cut] : []),
    ...allFes.flatMap((f) => (f.runtime ? [f.runtime.outcome] : [])),
    ...(bes ?? []).map((b) => b.outcome),
  ];
  return {
    engine: target.engine,
    collectedAt: started,
    durationMs: options.now() - started,
    frontends: frontends.value,
    backends: backends.value,
    // Without a compute-node list there are none, not an unknown number.
    computeNodes: computeNodes ? computeNodes.value : [],
    fes: [configuredScrape, ...followers.map((f) => f.metrics.value)].filter((fe): fe is FeScrape => fe !== null),
    bes: bes && valuesOf(bes),
    runtime: options.runtimeInfo ? valuesOf(allFes.map((f) => f.runtime)) : null,
    sources,
    failures: failuresOf(sources),
    metricsBytes,
  };
}

/**
 * A call to an FE at the address the frontends list gives; when that address cannot be
 * reached (an internal IP behind NAT or in a container network), at the configured host with
 * the FE's own port.
 */
export async function withFallback<T>(fe: FeAddress, configured: FeAddress, call: { signal?: AbortSignal }, ask: (at: FeAddress) => Promise<T>): Promise<T> {
  try {
    return await ask(fe);
  } catch (error) {
    const fallback = { host: configured.host, httpPort: fe.httpPort };
    // Never the configured FE itself under another name: its counters would count twice.
    const same = fallback.httpPort === configured.httpPort;
    if (fe.host === configured.host || same || !(error instanceof ScrapeError) || (error.kind !== 'refused' && error.kind !== 'timeout') || call.signal?.aborted) throw error;
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

async function askSource<T>(source: string, now: () => number, work: () => Promise<Answered<T>>): Promise<Asked<T>> {
  const started = now();
  try {
    const { value, summary } = await work();
    return { value, outcome: { source, ok: true, durationMs: now() - started, summary } };
  } catch (error) {
    return { value: null, outcome: { source, ok: false, durationMs: now() - started, ...failureOf(error) } };
  }
}

function failureOf(error: unknown): Pick<SourceFailure, 'kind' | 'message'> {
  if (error instanceof ScrapeError) return { kind: error.kind, message: error.message };
  if (error instanceof NodeListError) return { kind: 'parse', message: error.message };
  if (error instanceof ParseLimitError) return { kind: 'over_limit', message: `${error.message} (limit limits.${error.key})` };
  return { kind: 'parse', message: error instanceof Error ? error.message : String(error) };
}

function valuesOf<T>(asked: readonly (Asked<T> | null)[]): T[] {
  return asked.flatMap((a) => (a === null || a.value === null ? [] : [a.value]));
}

const keyOf = (at: FeAddress): string => `${at.host}:${at.httpPort}`;
const reachable = (row: { readonly host: string | null; readonly httpPort: number | null }): boolean => row.host !== null && row.httpPort !== null;
const addressOf = (row: { readonly host: string | null; readonly httpPort: number | null }): FeAddress => ({ host: row.host ?? '', httpPort: row.httpPort ?? 0 });

// The summaries: functions of numbers and rows the scrape keeps anyway, written only when read.
const MIB = 1024 * 1024;

function frontendsSummary(rows: readonly FrontendRow[]): () => string {
  return () => {
    const leader = rows.find((r) => r.role === 'LEADER');
    const version = frontendsVersion(rows);
    const leaderName = leader ? (leader.name ?? `${leader.host}:${leader.httpPort}`) : 'unknown';
    return `${rows.length} frontends, ${rows.filter((r) => r.alive).length} alive, leader ${leaderName}${version ? `, version ${version}` : ''}`;
  };
}

function nodesSummary(rows: readonly NodeRow[], what: string): () => string {
  return () => `${rows.length} ${what}, ${rows.filter((r) => r.alive).length} alive`;
}

function metricsSummary(parsed: ParsedMetrics, bodyBytes: number): () => string {
  return () => `${parsed.families.length} metric families, ${parsed.sampleCount} samples (${bodyBytes} bytes)`;
}

function runtimeSummary(info: RuntimeInfo): () => string {
  return () => `JVM heap ${((info.total_mem - info.free_mem) / MIB).toFixed(0)} MiB used of ${(info.max_mem / MIB).toFixed(0)} MiB, ${info.thread_cnt} threads`;
}
