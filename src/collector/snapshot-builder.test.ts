/**
 * The snapshot builder against the simulator's ground truth: the same instants rendered by the
 * simulator, parsed as the collector parses them, and built into snapshots.
 */
import { describe, expect, it } from 'vitest';
import { renderBeMetrics } from '../simulator/be-metrics-server.js';
import { ClusterModel } from '../simulator/cluster-model.js';
import type { SimClusterSpec } from '../simulator/cluster-spec.js';
import { procBody, runtimeInfoBody } from '../simulator/fe-endpoints.js';
import { groundTruth } from '../simulator/ground-truth.js';
import { renderFeMetrics } from '../simulator/render-fe-metrics.js';
import { backendsTable, computeNodesTable, frontendsTable } from '../simulator/render-node-lists.js';
import { SNAPSHOT_FIELDS } from '../shared/snapshot-fields.js';
import { parseFrontendRows, parseNodeRows } from '../starrocks/parse/node-lists.js';
import { parsePrometheusText } from '../starrocks/parse/prometheus-text.js';
import { runtimeInfoFrom } from '../starrocks/fe-json.js';
import { procTableFromJson } from '../starrocks/proc-table.js';
import type { RawScrape } from './raw-scrape.js';
import { buildSnapshot, type CounterMemory, EMPTY_MEMORY } from './snapshot-builder.js';

const T0 = Date.UTC(2026, 10, 24, 12);
const VIEW = { answeringFe: 0, staleFollowerView: false };
const NO_QUIRKS = { duplicates: false, splitFamilies: false };

function model(overrides: Partial<SimClusterSpec> = {}): ClusterModel {
  const m = new ClusterModel(
    { name: 'b', engine: 'starrocks', mode: 'shared_nothing', version: '3.5', fes: 3, bes: 5, seed: 11, latencyGauges: false, beMetrics: true, ...overrides },
    'root',
    '',
    T0,
  );
  m.fes.forEach((fe, i) => (fe.httpPort = 8030 + i));
  return m;
}

/** What a collection at `t` brings back, rendered and parsed without sockets. */
function scrapeAt(m: ClusterModel, t: number): RawScrape {
  const table = (body: string) => procTableFromJson(JSON.parse(body));
  const options = { engine: m.engine };
  const shared = m.spec.mode === 'shared_data';
  return {
    engine: m.engine,
    collectedAt: t,
    durationMs: 5,
    frontends: parseFrontendRows(table(procBody(m, frontendsTable(m, t, VIEW))), options),
    backends: parseNodeRows(table(procBody(m, backendsTable(m, t, VIEW))), 'backend', options),
    // Doris has no compute-node list: the client never asks for one.
    computeNodes: shared && m.engine === 'starrocks' ? parseNodeRows(table(procBody(m, computeNodesTable(m, t, VIEW))), 'compute_node', options) : [],
    fes: m.fes
      .filter((fe) => m.events.feAlive(fe.index, t))
      .map((fe) => ({
        key: `${fe.host}:${fe.httpPort}`,
        leaderInList: m.leaderAt(t) === fe.index,
        metrics: parsePrometheusText(renderFeMetrics(m, fe.index, t, NO_QUIRKS)),
        atMs: t,
      })),
    bes: m.spec.beMetrics
      ? m.bes.filter((be) => m.events.beAlive(be.index, t)).map((be) => ({ key: be.ip, metrics: parsePrometheusText(renderBeMetrics(m, be.index, t)), atMs: t }))
      : null,
    runtime: null,
    sources: [],
    failures: [],
    metricsBytes: 0,
  };
}

function twoCollections(m: ClusterModel, t1: number, t2: number) {
  const first = buildSnapshot(scrapeAt(m, t1), EMPTY_MEMORY);
  const second = buildSnapshot(scrapeAt(m, t2), first.memory);
  return { first, second, truth: groundTruth(m, t1, t2) };
}

const close = (actual: unknown, expected: number | null, relative = 1e-9) => {
  if (expected === null) return expect(actual).toBeNull();
  expect(typeof actual).toBe('number');
  expect(Math.abs((actual as number) - expected)).toBeLessThanOrEqual(Math.abs(expected) * relative + 1e-9);
};

describe('buildSnapshot against the ground truth', () => {
  it('sets every catalogued field, and nothing else', () => {
    const { second } = twoCollections(model(), T0, T0 + 60_000);
    expect(Object.keys(second.values).sort()).toEqual(SNAPSHOT_FIELDS.map((f) => f.name).sort());
  });

  it('queries, rates, totals and latency equal the truth between two collections', () => {
    const { second, truth } = twoCollections(model(), T0 + 1_000, T0 + 61_000);
    const v = second.values;
    expect(second.status).toBe('ok');
    expect(v.queries).toBe(truth.queries);
    expect(v.requests).toBe(truth.requests);
    expect(v.query_errors).toBe(truth.query_errors);
    expect(v.query_timeouts).toBe(truth.query_timeouts);
    expect(v.slow_queries).toBe(truth.slow_queries);
    close(v.qps, truth.qps);
    close(v.rps, truth.rps);
    close(v.query_error_rate, truth.query_error_rate);
    expect(v.query_total).toBe(truth.query_total);
    expect(v.query_success).toBe(truth.query_success);
    expect(v.query_error).toBe(truth.query_error);
    expect(v.query_timeout).toBe(truth.query_timeout);
    expect(v.query_latency_p75).toBe(truth.query_latency_p75);
    expect(v.query_latency_p95).toBe(truth.query_latency_p95);
    expect(v.query_latency_p99).toBe(truth.query_latency_p99);
    expect(v.query_latency_p999).toBe(truth.query_latency_p999);
    expect(v.query_latency_p50).toBeNull();
    expect(v.connections).toBe(truth.connections);
    expect(v.young_gc_count).toBe(truth.young_gc_count);
    expect(v.young_gc_time_ms).toBe(truth.young_gc_time_ms);
    expect(v.txn_begin).toBe(truth.txn_begin);
    expect(v.txn_success).toBe(truth.txn_success);
    expect(v.txn_begin_total).toBe(truth.txn_begin_total);
    expect(v.txn_running).toBe(truth.txn_running);
    expect(v.load_finished_total).toBe(truth.load_finished_total);
  });

  it('node health, resources, storage and JVM equal the truth', () => {
    const m = model();
    m.events.add({ kind: 'be_stop', be: 3, atMs: T0 + 10_000 });
    const { second, truth } = twoCollections(m, T0 + 1_000, T0 + 61_000);
    const v = second.values;
    for (const name of ['backend_total', 'backend_alive', 'compute_node_total', 'compute_node_alive', 'frontend_total', 'frontend_alive', 'frontend_leader', 'max_journal_lag', 'cpu_cores_total', 'running_queries', 'tablet_count', 'max_compaction_score', 'jvm_heap_used', 'jvm_heap_max', 'jvm_thread_count'] as const) {
      expect(v[name], name).toBe(truth[name === 'jvm_thread_count' ? 'jvm_threads' : name]);
    }
    expect(v.backend_alive).toBe(4);
    for (const name of ['avg_cpu_usage', 'max_cpu_usage', 'avg_memory_usage', 'max_memory_usage', 'disk_total_bytes', 'disk_used_bytes', 'disk_usage_pct', 'disk_max_usage_pct', 'data_used_bytes', 'memory_limit_bytes_total', 'jvm_heap_usage_pct'] as const) {
      close(v[name], truth[name], 1e-9);
    }
  });

  it('takes an FE’s heap from its runtime info when its /metrics has no JVM families, and from /metrics otherwise', () => {
    const m = model();
    const t = T0 + 30_000;
    const raw = scrapeAt(m, t);
    const truth = groundTruth(m, T0, t);
    const runtime = m.fes.map((fe) => ({ key: `${fe.host}:${fe.httpPort}`, info: runtimeInfoFrom(JSON.parse(runtimeInfoBody(m, fe.index, t)), 'test') }));
    // With every FE's JVM families present, the runtime info changes nothing.
    expect(buildSnapshot({ ...raw, runtime }, EMPTY_MEMORY).values.jvm_heap_used).toBe(truth.jvm_heap_used);
    // FE 1 answers /metrics without JVM families (an empty body, as an FE still starting).
    const withoutJvm = { ...raw, fes: raw.fes.map((fe, i) => (i === 1 ? { ...fe, metrics: parsePrometheusText('') } : fe)) };
    expect(buildSnapshot(withoutJvm, EMPTY_MEMORY).values.jvm_heap_used).toBeLessThan(truth.jvm_heap_used);
    const v = buildSnapshot({ ...withoutJvm, runtime }, EMPTY_MEMORY).values;
    expect(v.jvm_heap_used).toBe(truth.jvm_heap_used);
    expect(v.jvm_heap_max).toBe(truth.jvm_heap_max);
    close(v.jvm_heap_usage_pct, truth.jvm_heap_usage_pct, 1e-9);
  });

  it('BE network, disk IO and CPU equal the truth when BE metrics are scraped, and are null when not', () => {
    const { second, truth } = twoCollections(model(), T0, T0 + 30_000);
    const v = second.values;
    close(v.be_cpu_usage, truth.be?.cpu_usage_pct ?? null);
    close(v.network_send_rate, (truth.be?.network_sent_bytes ?? 0) / 30);
    close(v.io_write_rate, (truth.be?.disk_written_bytes ?? 0) / 30);
    const off = twoCollections(model({ beMetrics: false }), T0, T0 + 30_000).second.values;
    for (const name of ['be_cpu_usage', 'network_send_rate', 'network_bytes_sent_total', 'io_read_rate', 'io_write_bytes_total'] as const) expect(off[name], name).toBeNull();
  });

  it('an FE restart between collections counts its new value as the increase', () => {
    const m = model();
    m.events.add({ kind: 'fe_start', fe: 1, atMs: T0 + 30_000 });
    const { second, truth } = twoCollections(m, T0, T0 + 60_000);
    expect(truth.frontends[1]?.restarted).toBe(true);
    expect(second.values.queries).toBe(truth.queries);
    close(second.values.qps, truth.qps);
  });

  it('a leader failover moves the leader-only figures to the new leader', () => {
    const m = model();
    m.events.add({ kind: 'leader', fe: 2, atMs: T0 + 30_000 });
    const { second, truth } = twoCollections(m, T0, T0 + 60_000);
    expect(second.values.frontend_leader).toBe(truth.frontend_leader);
    expect(second.values.tablet_count).toBe(truth.tablet_count);
    expect(second.values.max_compaction_score).toBe(truth.max_compaction_score);
  });

  it('the first collection takes qps from the FEs’ gauges and leaves interval figures null', () => {
    const m = model();
    const first = buildSnapshot(scrapeAt(m, T0 + 31_000), EMPTY_MEMORY).values;
    const gauges = [0, 1, 2].reduce((s, fe) => s + (parsePrometheusText(renderFeMetrics(m, fe, T0 + 31_000, NO_QUIRKS)).family('starrocks_fe_qps')?.samples[0]?.value ?? 0), 0);
    close(first.qps, gauges);
    expect(first.queries).toBeNull();
    expect(first.young_gc_count).toBeNull();
    expect(first.tcp_retrans_pct).toBeNull();
    expect(first.query_latency_p99).not.toBeNull();
  });

  it('stores what succeeded when sources fail, and says failed when nothing answered', () => {
    const m = model();
    const raw = scrapeAt(m, T0);
    const partial = buildSnapshot({ ...raw, backends: null, failures: [{ source: 'backends', kind: 'timeout', message: 'x' }] }, EMPTY_MEMORY);
    expect(partial.status).toBe('partial');
    expect(partial.values.backend_total).toBeNull();
    expect(partial.values.frontend_total).toBe(3);
    expect(partial.values.qps).not.toBeNull();
    const down = buildSnapshot({ ...raw, frontends: null, backends: null, computeNodes: null, fes: [], bes: [], failures: [{ source: 'frontends', kind: 'refused', message: 'x' }] }, EMPTY_MEMORY);
    expect(down.status).toBe('failed');
    expect(Object.values(down.values).every((x) => x === null)).toBe(true);
  });

  it('reads shared-data compute nodes and Doris clusters', () => {
    const shared = twoCollections(model({ mode: 'shared_data', beMetrics: false }), T0, T0 + 60_000);
    expect(shared.second.values.compute_node_total).toBe(shared.truth.compute_node_total);
    expect(shared.second.values.backend_total).toBe(0);
    close(shared.second.values.avg_cpu_usage, shared.truth.avg_cpu_usage);
    const doris = twoCollections(model({ engine: 'doris', beMetrics: false }), T0, T0 + 60_000);
    expect(doris.second.values.queries).toBe(doris.truth.queries);
    expect(doris.second.values.avg_cpu_usage).toBeNull();
    expect(doris.second.values.backend_alive).toBe(5);
  });

  it('keeps counter memory of an FE that missed a collection', () => {
    const m = model();
    const first = buildSnapshot(scrapeAt(m, T0), EMPTY_MEMORY);
    const missing = scrapeAt(m, T0 + 30_000);
    const second = buildSnapshot({ ...missing, fes: missing.fes.slice(1) }, first.memory);
    const memory: CounterMemory = second.memory;
    expect(memory.fes.size).toBe(3);
  });
});

describe('Doris: totals printed beside their breakdowns, and transactions', () => {
  const doris = (mode: 'shared_nothing' | 'shared_data') => model({ engine: 'doris', mode, beMetrics: false });
  /** An FE's samples of a family: the one without labels (its total) and all of them. */
  const familyOf = (m: ClusterModel, fe: number, t: number, name: string) => {
    const samples = parsePrometheusText(renderFeMetrics(m, fe, t, NO_QUIRKS)).family(name)?.samples ?? [];
    return { total: samples.find((s) => Object.keys(s.labels).length === 0)?.value, all: samples.reduce((sum, s) => sum + s.value, 0) };
  };

  it.each([
    ['shared_nothing', 'per user', 1.9],
    ['shared_data', 'per user and per compute group', 2.9],
  ] as const)('in %s mode, queries, errors, requests and connections are the FEs’ totals, not their sum with the series %s', (mode, _breakdowns, ratio) => {
    const m = doris(mode);
    const t2 = T0 + 61_000;
    // The bodies do carry breakdowns that a sum of the family would add to the total.
    const queries = familyOf(m, 0, t2, 'doris_fe_query_total');
    expect(queries.all / queries.total!).toBeGreaterThan(ratio);
    const { second, truth } = twoCollections(m, T0 + 1_000, t2);
    const v = second.values;
    expect(truth.queries).toBeGreaterThan(0);
    expect(v.queries).toBe(truth.queries);
    expect(v.requests).toBe(truth.requests);
    expect(v.query_errors).toBe(truth.query_errors);
    close(v.qps, truth.qps);
    close(v.rps, truth.rps);
    close(v.query_error_rate, truth.query_error_rate);
    expect(v.query_total).toBe(truth.query_total);
    expect(v.query_error).toBe(truth.query_error);
    expect(v.connections).toBe(truth.connections);
    expect(v.query_latency_p75).toBe(truth.query_latency_p75);
    expect(v.query_latency_p99).toBe(truth.query_latency_p99);
  });

  it('takes a first collection’s qps from the FEs’ own gauges, not their compute groups’', () => {
    const m = doris('shared_data');
    const t = T0 + 31_000;
    const gauges = [0, 1, 2].map((fe) => familyOf(m, fe, t, 'doris_fe_qps'));
    expect(gauges.every((g) => g.all > g.total! * 1.5)).toBe(true);
    close(buildSnapshot(scrapeAt(m, t), EMPTY_MEMORY).values.qps, gauges.reduce((sum, g) => sum + g.total!, 0));
  });

  it('reads transactions from txn_counter{type} and the running ones from the leader’s txn_num', () => {
    const { second, truth } = twoCollections(doris('shared_nothing'), T0 + 1_000, T0 + 61_000);
    const v = second.values;
    expect(truth.txn_begin).toBeGreaterThan(0);
    expect(truth.txn_running).toBeGreaterThan(0);
    expect(v.txn_begin).toBe(truth.txn_begin);
    expect(v.txn_success).toBe(truth.txn_success);
    expect(v.txn_failed).toBe(truth.txn_failed);
    expect(v.txn_reject).toBe(truth.txn_reject);
    expect(v.txn_begin_total).toBe(truth.txn_begin_total);
    expect(v.txn_success_total).toBe(truth.txn_success_total);
    expect(v.txn_failed_total).toBe(truth.txn_failed_total);
    expect(v.txn_running).toBe(truth.txn_running);
  });

  it('reads slow queries from query_slow and edit-log writes from edit_log{type="write"}; what Doris does not count is null', () => {
    const m = doris('shared_nothing');
    const { second, truth } = twoCollections(m, T0 + 1_000, T0 + 61_000);
    const v = second.values;
    expect(truth.slow_queries).toBeGreaterThan(0);
    expect(v.slow_queries).toBe(truth.slow_queries);
    // The journal entries the FEs wrote between the two collections, from Doris' own family.
    const writes = (fe: number, t: number) => parsePrometheusText(renderFeMetrics(m, fe, t, NO_QUIRKS)).family('doris_fe_edit_log')?.samples.find((s) => s.labels.type === 'write')?.value ?? 0;
    const written = (t: number) => m.fes.reduce((sum, _fe, i) => sum + writes(i, t), 0);
    expect(v.edit_log_writes).toBe(written(T0 + 61_000) - written(T0 + 1_000));
    expect(v.edit_log_writes).toBeGreaterThan(0);
    for (const name of ['query_timeouts', 'query_success', 'query_timeout', 'loads_finished', 'load_finished_total'] as const) expect(v[name], name).toBeNull();
    expect([truth.query_timeouts, truth.query_success, truth.query_timeout, truth.load_finished_total]).toEqual([null, null, null, null]);
  });
});

describe('non-finite values', () => {
  /** A collection whose first FE prints `replacements` (line start → new value) in its body. */
  function withValues(m: ClusterModel, t: number, replacements: Record<string, string>): RawScrape {
    const raw = scrapeAt(m, t);
    const fe = m.fes[0]!;
    let body = renderFeMetrics(m, fe.index, t, NO_QUIRKS);
    for (const [line, value] of Object.entries(replacements)) body = body.replace(new RegExp(`^(${line}) \\S+$`, 'm'), `$1 ${value}`);
    return { ...raw, fes: raw.fes.map((s) => (s.key === `${fe.host}:${fe.httpPort}` ? { ...s, metrics: parsePrometheusText(body) } : s)) };
  }

  it('are stored as null, never as a value: ±Inf and 1e400 with a note in the failed sources, NaN (no value) without', () => {
    const m = model();
    const built = buildSnapshot(withValues(m, T0, { 'starrocks_fe_query_queue_pending': '+Inf', 'starrocks_fe_connection_total\\{user="root"\\}': '1e400', 'starrocks_fe_qps': 'NaN' }), EMPTY_MEMORY);
    expect([built.values.query_queue_pending, built.values.connections]).toEqual([null, null]);
    expect(built.failures).toEqual([
      { source: 'field connections', kind: 'malformed', message: "the cluster's figures make +Inf; stored as null (the field is never infinite)" },
      { source: 'field query_queue_pending', kind: 'malformed', message: "the cluster's figures make +Inf; stored as null (the field is never infinite)" },
    ]);
    expect(built.status).toBe('partial');
    for (const [name, value] of Object.entries(built.values)) if (typeof value === 'number') expect(Number.isFinite(value), name).toBe(true);
  });

  it('never enter the counter memory: an infinite counter is no reading, and the next increase is not infinite', () => {
    const m = model();
    const first = buildSnapshot(withValues(m, T0, { starrocks_fe_query_total: '+Inf' }), EMPTY_MEMORY);
    const second = buildSnapshot(scrapeAt(m, T0 + 30_000), first.memory);
    for (const [name, value] of Object.entries(second.values)) if (typeof value === 'number') expect(Number.isFinite(value), name).toBe(true);
    expect(second.failures).toEqual([]);
  });
});
