/**
 * Tries every source the collector reads — the frontends, backends and compute-node lists
 * (none for Doris, which has no such list) and the configured FE's `/metrics` at once, then the
 * optional sources in effect (`[metrics] sources`): every other alive FE's `/metrics`, each FE's
 * `/api/show_runtime_info`, every alive BE/CN's `/metrics` — each bounded by the cluster's
 * timeout, and says what each returned or why it failed. FEs are told apart and reached with the
 * collector's own rules (`configuredFeRow`, `withFallback`), so a test behind NAT sees what a
 * collection would. A client is made for the test and closed after it, so a test never
 * shares a pool with the collector or with another test (jlon/starrocks-admin gave every test
 * pool key 0, so a second test ran with the first one's host and credentials).
 */
import { configuredFeRow, withFallback } from '../../collector/scrape-cluster.js';
import type { OptionalSource } from '../../config/schema.js';
import type { ConnectionTestJson, SourceCheckJson } from '../../shared/overview-types.js';
import { ScrapeError } from '../../starrocks/errors.js';
import { type FrontendRow, NodeListError, type NodeRow, parseFrontendRows, parseNodeRows } from '../../starrocks/parse/node-lists.js';
import { parsePrometheusText } from '../../starrocks/parse/prometheus-text.js';
import { type FeAddress, type MetricsText, StarRocksClient, type StarRocksTarget } from '../../starrocks/starrocks-client.js';
import { frontendsVersion } from '../presenters/nodes.js';

const MIB = 1024 * 1024;

function errorKind(error: unknown): string {
  if (error instanceof ScrapeError) return error.kind;
  if (error instanceof NodeListError) return 'parse';
  return 'unexpected';
}

function describeNodes(rows: readonly NodeRow[], what: string): string {
  const alive = rows.filter((r) => r.alive).length;
  return `${rows.length} ${what}, ${alive} alive`;
}

export async function testConnection(
  target: StarRocksTarget,
  sources: ReadonlySet<OptionalSource>,
  now: () => number = () => performance.now(),
): Promise<ConnectionTestJson> {
  const client = new StarRocksClient(target, { connectionsPerOrigin: 1 });
  // Each call has the cluster's timeout; this is only a backstop for the whole test (two rounds).
  const call = { signal: AbortSignal.timeout(target.connection_timeout * 2000 + 1000) };
  const options = { engine: target.engine };
  const configured = client.configuredFe;
  let version: string | null = null;
  let frontends: FrontendRow[] = [];
  const nodes: NodeRow[] = [];

  const check = async (source: string, run: () => Promise<string>): Promise<SourceCheckJson> => {
    const started = now();
    try {
      const message = await run();
      return { source, ok: true, duration_ms: Math.round(now() - started), message, error_kind: null };
    } catch (error) {
      return { source, ok: false, duration_ms: Math.round(now() - started), message: error instanceof Error ? error.message : String(error), error_kind: errorKind(error) };
    }
  };
  const nodeList = (source: 'backends' | 'compute_nodes', what: string) =>
    check(source, async () => {
      const rows = parseNodeRows(await (source === 'backends' ? client.backends(call) : client.computeNodes(call)), source === 'backends' ? 'backend' : 'compute_node', options);
      nodes.push(...rows);
      return describeNodes(rows, what);
    });
  const metrics = (source: string, at: FeAddress, ask: () => Promise<MetricsText>) =>
    check(`${source} ${at.host}:${at.httpPort}`, async () => {
      const answer = await ask();
      const parsed = parsePrometheusText(answer.text);
      return `${parsed.families.length} metric families, ${parsed.sampleCount} samples (${answer.bodyBytes} bytes)`;
    });
  // An FE is reached as the collector reaches it: at its listed address, else at the configured host.
  const feMetrics = (at: FeAddress) => metrics('metrics', at, () => withFallback(at, configured, call, (fe) => client.metricsText(fe, call)));
  const beMetrics = (at: FeAddress) => metrics('be_metrics', at, () => client.metricsText(at, call));
  const runtimeInfo = (at: FeAddress) =>
    check(`runtime_info ${at.host}:${at.httpPort}`, async () => {
      const info = await withFallback(at, configured, call, (fe) => client.runtimeInfo(fe, call));
      const used = (info.total_mem - info.free_mem) / MIB;
      return `JVM heap ${used.toFixed(0)} MiB used of ${(info.max_mem / MIB).toFixed(0)} MiB, ${info.thread_cnt} threads`;
    });

  try {
    const first = await Promise.all([
      check('frontends', async () => {
        frontends = parseFrontendRows(await client.frontends(call), options);
        const leader = frontends.find((r) => r.role === 'LEADER');
        version = frontendsVersion(frontends);
        const alive = frontends.filter((r) => r.alive).length;
        return `${frontends.length} frontends, ${alive} alive, leader ${leader ? (leader.name ?? `${leader.host}:${leader.httpPort}`) : 'unknown'}${version ? `, version ${version}` : ''}`;
      }),
      nodeList('backends', 'backends'),
      ...(target.engine === 'doris' ? [] : [nodeList('compute_nodes', 'compute nodes')]),
      feMetrics(configured),
    ]);
    // The second round reaches the nodes the lists named, as the collector does.
    const configuredRow = configuredFeRow(frontends, configured);
    const others = frontends
      .filter((f) => f !== configuredRow && f.alive && f.host !== null && f.httpPort !== null)
      .map((f) => ({ host: f.host ?? '', httpPort: f.httpPort ?? 0 }));
    const second = await Promise.all([
      ...(sources.has('follower_metrics') ? others.map(feMetrics) : []),
      ...(sources.has('runtime_info') ? [configured, ...(sources.has('follower_metrics') ? others : [])].map(runtimeInfo) : []),
      ...(sources.has('be_metrics')
        ? nodes.filter((n) => n.alive && n.host !== null && n.httpPort !== null).map((n) => beMetrics({ host: n.host ?? '', httpPort: n.httpPort ?? 0 }))
        : []),
    ]);
    const checks = [...first, ...second];
    return { ok: checks.every((c) => c.ok), version, checks };
  } finally {
    await client.close();
  }
}
