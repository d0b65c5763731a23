/**
 * Tries every source the collector reads — the frontends, backends and compute-node lists
 * (none for Doris, which has no such list), the configured FE's `/metrics` and its
 * `/api/show_runtime_info` — at once, each bounded by the cluster's timeout, and says what each
 * returned or why it failed. A client is made for the test and closed after it, so a test never
 * shares a pool with the collector or with another test (the prior art's pool-key bug).
 */
import type { ConnectionTestJson, SourceCheckJson } from '../../shared/overview-types.js';
import { ScrapeError } from '../../starrocks/errors.js';
import { NodeListError, type NodeRow, parseFrontendRows, parseNodeRows } from '../../starrocks/parse/node-lists.js';
import { parsePrometheusText } from '../../starrocks/parse/prometheus-text.js';
import { StarRocksClient, type StarRocksTarget } from '../../starrocks/starrocks-client.js';

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

export async function testConnection(target: StarRocksTarget, now: () => number = () => performance.now()): Promise<ConnectionTestJson> {
  const client = new StarRocksClient(target, { connectionsPerOrigin: 1 });
  // Each call has the cluster's timeout; this is only a backstop for the whole test.
  const call = { signal: AbortSignal.timeout(target.connection_timeout * 2000 + 1000) };
  const options = { engine: target.engine };
  const fe = `${target.fe_host}:${target.fe_http_port}`;
  let version: string | null = null;

  const check = async (source: string, run: () => Promise<string>): Promise<SourceCheckJson> => {
    const started = now();
    try {
      const message = await run();
      return { source, ok: true, duration_ms: Math.round(now() - started), message, error_kind: null };
    } catch (error) {
      return { source, ok: false, duration_ms: Math.round(now() - started), message: error instanceof Error ? error.message : String(error), error_kind: errorKind(error) };
    }
  };

  try {
    const checks = await Promise.all([
      check('frontends', async () => {
        const rows = parseFrontendRows(await client.frontends(call), options);
        const leader = rows.find((r) => r.role === 'LEADER');
        version = leader?.version ?? rows.find((r) => r.version !== null)?.version ?? null;
        const alive = rows.filter((r) => r.alive).length;
        return `${rows.length} frontends, ${alive} alive, leader ${leader ? (leader.name ?? `${leader.host}:${leader.httpPort}`) : 'unknown'}${version ? `, version ${version}` : ''}`;
      }),
      check('backends', async () => describeNodes(parseNodeRows(await client.backends(call), 'backend', options), 'backends')),
      ...(target.engine === 'doris' ? [] : [check('compute_nodes', async () => describeNodes(parseNodeRows(await client.computeNodes(call), 'compute_node', options), 'compute nodes'))]),
      check(`metrics ${fe}`, async () => {
        const answer = await client.metricsText(client.configuredFe, call);
        const parsed = parsePrometheusText(answer.text);
        return `${parsed.families.length} metric families, ${parsed.sampleCount} samples (${answer.bodyBytes} bytes)`;
      }),
      check(`runtime_info ${fe}`, async () => {
        const info = await client.runtimeInfo(client.configuredFe, call);
        const used = (info.total_mem - info.free_mem) / MIB;
        return `JVM heap ${used.toFixed(0)} MiB used of ${(info.max_mem / MIB).toFixed(0)} MiB, ${info.thread_cnt} threads`;
      }),
    ]);
    return { ok: checks.every((c) => c.ok), version, checks };
  } finally {
    await client.close();
  }
}
