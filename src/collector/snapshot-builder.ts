/**
 * RawScrape + what was remembered from the previous collection → one snapshot (every field of
 * `SNAPSHOT_FIELDS`) and the memory for the next one. Pure: no clock, no I/O. Definitions are in
 * docs/metrics.md (generated from the same catalogue); the tests hold them to the simulator's
 * ground truth.
 */
import type { CollectStatus, SnapshotValues } from '../shared/snapshot-fields.js';
import type { NodeRow } from '../starrocks/parse/node-lists.js';
import { BE_COUNTERS, FE_COUNTERS, type NodeMemory, readCounters, sumIncrease, sumRate } from './counters.js';
import { MetricReader } from './metric-reader.js';
import type { RawScrape } from './raw-scrape.js';

export interface CounterMemory {
  readonly fes: ReadonlyMap<string, NodeMemory>;
  readonly bes: ReadonlyMap<string, NodeMemory>;
}

export const EMPTY_MEMORY: CounterMemory = { fes: new Map(), bes: new Map() };

export interface BuiltSnapshot {
  readonly values: SnapshotValues;
  readonly status: CollectStatus;
  readonly memory: CounterMemory;
}

const FE_DELTAS = ['queries', 'requests', 'query_errors', 'query_timeouts', 'slow_queries', 'queued_queries', 'query_queue_timeouts', 'txn_begin', 'txn_success', 'txn_failed', 'txn_reject', 'loads_finished', 'routine_load_rows', 'edit_log_writes', 'young_gc_count', 'young_gc_time_ms', 'old_gc_count', 'old_gc_time_ms'] as const;
const LOAD_RUNNING_STATES = ['PENDING', 'ETL', 'LOADING', 'COMMITTED'];

const max = (values: readonly (number | null)[]): number | null => {
  const present = values.filter((v): v is number => v !== null);
  return present.length === 0 ? null : Math.max(...present);
};
const sum = (values: readonly (number | null)[]): number | null => {
  const present = values.filter((v): v is number => v !== null);
  return present.length === 0 ? null : present.reduce((a, b) => a + b, 0);
};
const mean = (values: readonly (number | null)[]): number | null => {
  const present = values.filter((v): v is number => v !== null);
  return present.length === 0 ? null : present.reduce((a, b) => a + b, 0) / present.length;
};

export function buildSnapshot(raw: RawScrape, memory: CounterMemory): BuiltSnapshot {
  const prefix = raw.engine === 'doris' ? 'doris_fe_' : 'starrocks_fe_';
  const fes = raw.fes.map((fe) => ({ fe, m: new MetricReader(fe.metrics, prefix) }));
  const feNow = new Map(fes.map(({ fe, m }) => [fe.key, { atMs: fe.atMs, counters: readCounters(m, FE_COUNTERS) }]));
  const beReaders = (raw.bes ?? []).map((be) => ({ be, m: new MetricReader(be.metrics, raw.engine === 'doris' ? 'doris_be_' : 'starrocks_be_') }));
  const beNow = new Map(beReaders.map(({ be, m }) => [be.key, { atMs: be.atMs, counters: readCounters(m, BE_COUNTERS) }]));
  // Filled field by field below; a test checks that every catalogued field is set.
  const v: Partial<SnapshotValues> = {};

  // Queries: per-FE rates over each FE's own interval; an FE seen for the first time offers its gauge.
  const rate = (counter: string, gauge: string): number | null => {
    if (fes.length === 0) return null;
    const measured = sumRate(feNow, memory.fes, counter);
    const gauges = fes.filter(({ fe }) => !measured.nodes.has(fe.key)).map(({ m }) => m.first(gauge));
    return measured.rate + (sum(gauges) ?? 0);
  };
  v.qps = rate('queries', 'qps');
  v.rps = rate('requests', 'rps');
  v.query_error_rate = rate('query_errors', 'query_err_rate');
  for (const name of FE_DELTAS) v[name] = sumIncrease(feNow, memory.fes, name);
  const queries = v.queries;
  v.query_error_pct = typeof queries === 'number' && queries > 0 && typeof v.query_errors === 'number' ? (v.query_errors / queries) * 100 : null;
  const total = (read: (m: MetricReader) => number | null): number | null => sum(fes.map(({ m }) => read(m)));
  v.query_total = total((m) => m.sum('query_total'));
  v.query_success = total((m) => m.sum('query_success'));
  v.query_error = total((m) => m.sum('query_err'));
  v.query_timeout = total((m) => m.sum('query_timeout'));

  // Latency: the worst FE among those that served queries since the previous collection.
  const seenBefore = fes.some(({ fe }) => memory.fes.has(fe.key));
  const serving = fes.filter(({ fe }) => {
    if (!seenBefore) return true;
    const before = memory.fes.get(fe.key)?.counters.queries;
    const now = feNow.get(fe.key)?.counters.queries;
    return before !== undefined && before !== null && now !== undefined && now !== null && now !== before;
  });
  const quantile = (q: string): number | null => max(serving.map(({ m }) => m.first('query_latency_ms', { quantile: q })));
  v.query_latency_p50 = max(fes.map(({ m }) => m.first('query_latency', { type: '50_quantile' })).map((x) => (x === 0 ? null : x)));
  v.query_latency_p75 = quantile('0.75');
  v.query_latency_p95 = quantile('0.95');
  v.query_latency_p99 = quantile('0.99');
  v.query_latency_p999 = quantile('0.999');
  v.connections = total((m) => m.sum('connection_total'));
  v.query_queue_pending = total((m) => m.sum('query_queue_pending'));

  nodeHealth(raw, v);
  resources(raw, v);

  // Leader-only families, from the FE that says it leads (or that the frontends list names).
  const leader = fes.find(({ m }) => m.claimsLeadership()) ?? fes.find(({ fe }) => fe.leaderInList);
  const onLeader = (read: (m: MetricReader) => number | null): number | null => (leader ? read(leader.m) : null);
  const leaderValue = (name: string): number | null => onLeader((m) => m.first(name, { is_leader: 'true' }) ?? m.first(name));
  const listTablets = sum([...(raw.backends ?? []), ...(raw.computeNodes ?? [])].map((n) => n.tablets));
  v.tablet_count = onLeader((m) => m.sum('tablet_num')) ?? listTablets;
  v.max_compaction_score = leaderValue('max_tablet_compaction_score');
  v.scheduled_tablets = leaderValue('scheduled_tablet_num');
  v.database_count = leaderValue('database_num');
  v.table_count = onLeader((m) => m.sum('table_num'));
  v.max_journal_id = leaderValue('max_journal_id');
  v.meta_log_count = leaderValue('meta_log_count');
  v.txn_running = onLeader((m) => m.sum('txn_running'));
  v.load_running = onLeader((m) => m.sum('job', { job: 'load', state: LOAD_RUNNING_STATES }));
  v.load_cancelled = onLeader((m) => m.sum('job', { job: 'load', state: 'CANCELLED' }));
  v.alter_jobs_running = onLeader((m) => m.sum('job', { job: 'alter' }));
  v.routine_load_running = onLeader((m) => m.first('routine_load_jobs', { state: 'RUNNING' }));
  v.routine_load_paused = onLeader((m) => m.first('routine_load_jobs', { state: 'PAUSED' }));

  // FE JVM.
  const heaps = feHeaps(raw, fes);
  v.jvm_heap_used = sum(heaps.map((h) => h.used));
  v.jvm_heap_max = sum(heaps.map((h) => h.max));
  v.jvm_heap_committed = sum(heaps.map((h) => h.committed));
  v.jvm_heap_usage_pct = max(heaps.map((h) => (h.used !== null && h.max !== null && h.max > 0 ? (h.used / h.max) * 100 : null)));
  v.jvm_thread_count = total((m) => m.rawFirst('jvm_thread', { type: 'count' }));

  // Transactions and loads (cumulative).
  v.txn_begin_total = total((m) => m.sum('txn_begin'));
  v.txn_success_total = total((m) => m.sum('txn_success'));
  v.txn_failed_total = total((m) => m.sum('txn_failed'));
  v.load_finished_total = total((m) => m.sum('load_finished'));
  const retrans = sumIncrease(feNow, memory.fes, 'tcp_retrans_segs');
  const out = sumIncrease(feNow, memory.fes, 'tcp_out_segs');
  v.tcp_retrans_pct = retrans !== null && out !== null && out > 0 ? (retrans / out) * 100 : null;

  // BE network, disk IO and CPU (only when BE scraping is on).
  const scraped = raw.bes !== null && beReaders.length > 0;
  const idle = sumIncrease(beNow, memory.bes, 'cpu_idle');
  const all = sumIncrease(beNow, memory.bes, 'cpu_all');
  v.be_cpu_usage = scraped && idle !== null && all !== null && all > 0 ? (1 - idle / all) * 100 : null;
  const beTotal = (name: string): number | null => (scraped ? sum([...beNow.values()].map((b) => b.counters[name] ?? null)) : null);
  const beRate = (name: string): number | null => {
    if (!scraped) return null;
    const measured = sumRate(beNow, memory.bes, name);
    return measured.nodes.size === 0 ? null : measured.rate;
  };
  v.network_bytes_sent_total = beTotal('net_sent');
  v.network_bytes_received_total = beTotal('net_received');
  v.network_send_rate = beRate('net_sent');
  v.network_receive_rate = beRate('net_received');
  v.io_read_bytes_total = beTotal('io_read');
  v.io_write_bytes_total = beTotal('io_written');
  v.io_read_rate = beRate('io_read');
  v.io_write_rate = beRate('io_written');

  const anything = raw.fes.length > 0 || raw.frontends !== null || raw.backends !== null || raw.computeNodes !== null;
  const status: CollectStatus = !anything ? 'failed' : raw.failures.length > 0 ? 'partial' : 'ok';
  // An FE not scraped this time keeps its last reading, so its next answer still yields an increase.
  const fesMemory = new Map(memory.fes);
  for (const [key, value] of feNow) fesMemory.set(key, value);
  const besMemory = new Map(memory.bes);
  for (const [key, value] of beNow) besMemory.set(key, value);
  return { values: v as SnapshotValues, status, memory: { fes: fesMemory, bes: besMemory } };
}

function nodeHealth(raw: RawScrape, v: Partial<SnapshotValues>): void {
  const b = raw.backends;
  const cn = raw.computeNodes;
  const fe = raw.frontends;
  v.backend_total = b ? b.length : null;
  v.backend_alive = b ? b.filter((n) => n.alive).length : null;
  v.backend_decommissioned = b ? b.filter((n) => n.decommissioned).length : null;
  v.compute_node_total = cn ? cn.length : null;
  v.compute_node_alive = cn ? cn.filter((n) => n.alive).length : null;
  v.frontend_total = fe ? fe.length : null;
  v.frontend_alive = fe ? fe.filter((f) => f.alive).length : null;
  v.frontend_followers = fe ? fe.filter((f) => f.role === 'FOLLOWER').length : null;
  v.frontend_observers = fe ? fe.filter((f) => f.role === 'OBSERVER').length : null;
  const leader = fe?.find((f) => f.role === 'LEADER');
  v.frontend_leader = leader?.name ?? null;
  const journals = (fe ?? []).filter((f) => f.alive).map((f) => f.replayedJournalId);
  const leaderJournal = leader?.replayedJournalId ?? null;
  const lowest = journals.length === 0 ? null : Math.min(...journals.filter((j): j is number => j !== null));
  v.max_journal_lag = leaderJournal !== null && lowest !== null && Number.isFinite(lowest) ? Math.max(0, leaderJournal - lowest) : null;
  const beats = [...(b ?? []), ...(cn ?? [])].filter((n) => n.alive && n.lastHeartbeatMs !== null).map((n) => (raw.collectedAt - (n.lastHeartbeatMs ?? 0)) / 1000);
  v.oldest_heartbeat_age_s = beats.length === 0 ? null : Math.max(0, ...beats);
}

function resources(raw: RawScrape, v: Partial<SnapshotValues>): void {
  const nodes: NodeRow[] = [...(raw.backends ?? []), ...(raw.computeNodes ?? [])].filter((n) => n.alive);
  const backends = (raw.backends ?? []).filter((n) => n.alive);
  v.avg_cpu_usage = mean(nodes.map((n) => n.cpuUsedPct));
  v.max_cpu_usage = max(nodes.map((n) => n.cpuUsedPct));
  v.avg_memory_usage = mean(nodes.map((n) => n.memUsedPct));
  v.max_memory_usage = max(nodes.map((n) => n.memUsedPct));
  v.cpu_cores_total = sum(nodes.map((n) => n.cpuCores));
  v.memory_limit_bytes_total = sum(nodes.map((n) => n.memLimitBytes));
  const diskTotal = sum(backends.map((n) => n.totalBytes));
  const diskUsed = sum(backends.map((n) => (n.totalBytes !== null && n.availBytes !== null ? n.totalBytes - n.availBytes : null)));
  v.disk_total_bytes = diskTotal;
  v.disk_used_bytes = diskUsed;
  v.disk_usage_pct = diskTotal !== null && diskUsed !== null && diskTotal > 0 ? (diskUsed / diskTotal) * 100 : null;
  v.disk_max_usage_pct = max(backends.map((n) => n.maxDiskUsedPct));
  v.data_used_bytes = sum(backends.map((n) => n.dataUsedBytes));
  v.running_queries = sum(nodes.map((n) => n.runningQueries));
}

interface Heap {
  readonly used: number | null;
  readonly max: number | null;
  readonly committed: number | null;
}

/**
 * Each FE's JVM heap: from its `jvm_heap_size_bytes` family, or, for an FE whose `/metrics`
 * has none (or did not answer), from its runtime info — committed minus free is the same
 * `used` the JVM family reports.
 */
function feHeaps(raw: RawScrape, fes: readonly { fe: { key: string }; m: MetricReader }[]): Heap[] {
  const heaps = new Map<string, Heap>();
  for (const { fe, m } of fes) {
    const heap = { used: m.rawFirst('jvm_heap_size_bytes', { type: 'used' }), max: m.rawFirst('jvm_heap_size_bytes', { type: 'max' }), committed: m.rawFirst('jvm_heap_size_bytes', { type: 'committed' }) };
    if (heap.used !== null || heap.max !== null || heap.committed !== null) heaps.set(fe.key, heap);
  }
  for (const { key, info } of raw.runtime ?? []) {
    if (!heaps.has(key)) heaps.set(key, { used: info.total_mem - info.free_mem, max: info.max_mem, committed: info.total_mem });
  }
  return [...heaps.values()];
}
