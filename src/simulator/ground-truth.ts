/**
 * The exact figures a correct collector derives from this cluster between two instants, read
 * from the same values the endpoints print (so rounding in the printed strings is included).
 * Definitions follow the collector's contract: counters as deltas with a reset counted as the
 * new value, latency as the maximum over FEs that served queries, resources over alive nodes.
 */
import { beCounters, beValues } from './be-values.js';
import type { ClusterModel } from './cluster-model.js';
import { type FeCounters, feValues, runningTxnsByDb } from './fe-values.js';
import { displayedBytes } from './java-format.js';

export interface FeTruth {
  readonly index: number;
  readonly name: string;
  readonly alive: boolean;
  readonly leader: boolean;
  readonly restarted: boolean;
  readonly queries: number;
  readonly requests: number;
}

export interface GroundTruth {
  readonly cluster: string;
  readonly from: number;
  readonly to: number;
  readonly seconds: number;
  readonly frontends: readonly FeTruth[];
  readonly queries: number;
  readonly requests: number;
  readonly query_errors: number;
  /** Null on Doris, which has no such counter. */
  readonly query_timeouts: number | null;
  readonly slow_queries: number;
  readonly qps: number;
  readonly rps: number;
  readonly query_error_rate: number;
  readonly query_total: number;
  /** Null on Doris, which has no such counter. */
  readonly query_success: number | null;
  readonly query_error: number;
  /** Null on Doris, which has no such counter. */
  readonly query_timeout: number | null;
  readonly query_latency_p50: number | null;
  readonly query_latency_p75: number | null;
  readonly query_latency_p95: number | null;
  readonly query_latency_p99: number | null;
  readonly query_latency_p999: number | null;
  readonly backend_total: number;
  readonly backend_alive: number;
  readonly compute_node_total: number;
  readonly compute_node_alive: number;
  readonly frontend_total: number;
  readonly frontend_alive: number;
  readonly frontend_leader: string;
  readonly max_journal_lag: number;
  readonly avg_cpu_usage: number | null;
  readonly max_cpu_usage: number | null;
  readonly avg_memory_usage: number | null;
  readonly max_memory_usage: number | null;
  readonly cpu_cores_total: number;
  readonly memory_limit_bytes_total: number;
  readonly disk_total_bytes: number;
  readonly disk_used_bytes: number;
  readonly disk_usage_pct: number | null;
  readonly disk_max_usage_pct: number | null;
  readonly data_used_bytes: number;
  readonly running_queries: number;
  readonly tablet_count: number;
  readonly max_compaction_score: number;
  readonly jvm_heap_used: number;
  readonly jvm_heap_max: number;
  readonly jvm_heap_usage_pct: number | null;
  readonly jvm_threads: number;
  readonly young_gc_count: number;
  readonly young_gc_time_ms: number;
  readonly connections: number;
  readonly txn_begin: number;
  readonly txn_success: number;
  readonly txn_failed: number;
  readonly txn_reject: number;
  readonly txn_begin_total: number;
  readonly txn_success_total: number;
  readonly txn_failed_total: number;
  /** Σ over databases on the leader; null where the FE prints no running transactions (StarRocks before 3.4). */
  readonly txn_running: number | null;
  /** Null on Doris, which has no such counter. */
  readonly load_finished_total: number | null;
  /** Only when the cluster serves BE metrics; otherwise null. */
  readonly be: null | {
    readonly cpu_usage_pct: number;
    readonly network_sent_bytes: number;
    readonly network_received_bytes: number;
    readonly disk_read_bytes: number;
    readonly disk_written_bytes: number;
  };
}

/** Increase of a counter between two readings; a drop means a restart, so the new value is the increase. */
export function counterIncrease(before: number, after: number): number {
  return after >= before ? after - before : after;
}

const round = (x: number, digits: number): number => Number(x.toFixed(digits));

export function groundTruth(model: ClusterModel, fromMs: number, toMs: number): GroundTruth {
  const seconds = (toMs - fromMs) / 1000;
  const leader = model.leaderAt(toMs);
  const before = model.fes.map((fe) => feValues(model, fe.index, fromMs));
  const after = model.fes.map((fe) => feValues(model, fe.index, toMs));
  // An FE counts when it answered at both instants (two consecutive successful scrapes).
  const counted = after.filter((a, i) => a.alive && before[i]?.alive === true);
  const delta = (pick: (c: FeCounters) => number): number =>
    counted.reduce((sum, a) => sum + counterIncrease(pick(before[a.fe.index]?.counters ?? a.counters), pick(a.counters)), 0);
  const aliveFes = after.filter((a) => a.alive);
  const total = (pick: (c: FeCounters) => number): number => aliveFes.reduce((sum, a) => sum + pick(a.counters), 0);
  // What Doris' FEs do not count (no family in its MetricRepo) is null there, as Stellar stores it.
  const starrocksOnly = (value: number): number | null => (model.engine === 'doris' ? null : value);
  const serving = counted.filter((a) => counterIncrease(before[a.fe.index]?.counters.queryTotal ?? 0, a.counters.queryTotal) > 0);
  const maxOf = (values: readonly number[]): number | null => (values.length === 0 ? null : Math.max(...values));
  const p50s = aliveFes.map((a) => a.latencyGauges.p50).filter((x) => x !== 0);

  const nodes = model.bes.map((be) => beValues(model, be.index, toMs));
  const alive = nodes.filter((b) => b.alive);
  const asComputeNodes = model.nodesAreComputeNodes;
  // As `CpuUsedPct` prints it: rounded half up to one decimal.
  const cpu = alive.map((b) => Math.round(b.cpuUsedPct * 10) / 10);
  const mem = alive.map((b) => round(b.memUsedPct, 2));
  const diskTotal = alive.reduce((s, b) => s + displayedBytes(b.totalBytes), 0);
  const diskUsed = alive.reduce((s, b) => s + displayedBytes(b.totalBytes) - displayedBytes(b.availBytes), 0);
  const leaderJournal = after[leader]?.maxJournalId ?? 0;
  const heapPct = aliveFes.map((a) => (a.heapUsed / a.fe.heapMaxBytes) * 100);

  const queries = delta((c) => c.queryTotal);
  const requests = delta((c) => c.requestTotal);
  const errors = delta((c) => c.queryErr);
  return {
    cluster: model.spec.name,
    from: fromMs,
    to: toMs,
    seconds,
    frontends: after.map((a, i) => ({
      index: i,
      name: `${a.fe.host}_${9010 + i}_${a.fe.joinedMs}`,
      alive: a.alive,
      leader: a.leader,
      restarted: a.startMs > fromMs,
      queries: counterIncrease(before[i]?.counters.queryTotal ?? 0, a.counters.queryTotal),
      requests: counterIncrease(before[i]?.counters.requestTotal ?? 0, a.counters.requestTotal),
    })),
    queries,
    requests,
    query_errors: errors,
    query_timeouts: starrocksOnly(delta((c) => c.queryTimeout)),
    slow_queries: delta((c) => c.slowQuery),
    qps: queries / seconds,
    rps: requests / seconds,
    query_error_rate: errors / seconds,
    query_total: total((c) => c.queryTotal),
    query_success: starrocksOnly(total((c) => c.querySuccess)),
    query_error: total((c) => c.queryErr),
    query_timeout: starrocksOnly(total((c) => c.queryTimeout)),
    query_latency_p50: maxOf(p50s),
    query_latency_p75: maxOf(serving.map((a) => a.latency.p75)),
    query_latency_p95: maxOf(serving.map((a) => a.latency.p95)),
    query_latency_p99: maxOf(serving.map((a) => a.latency.p99)),
    query_latency_p999: maxOf(serving.map((a) => a.latency.p999)),
    backend_total: asComputeNodes ? 0 : nodes.length,
    backend_alive: asComputeNodes ? 0 : alive.length,
    compute_node_total: asComputeNodes ? nodes.length : 0,
    compute_node_alive: asComputeNodes ? alive.length : 0,
    frontend_total: after.length,
    frontend_alive: aliveFes.length,
    frontend_leader: `${after[leader]?.fe.host}_${9010 + leader}_${after[leader]?.fe.joinedMs}`,
    max_journal_lag: Math.max(0, ...aliveFes.map((a) => leaderJournal - a.maxJournalId)),
    avg_cpu_usage: cpu.length === 0 ? null : cpu.reduce((a, b) => a + b, 0) / cpu.length,
    max_cpu_usage: maxOf(cpu),
    avg_memory_usage: mem.length === 0 ? null : mem.reduce((a, b) => a + b, 0) / mem.length,
    max_memory_usage: maxOf(mem),
    cpu_cores_total: alive.reduce((s, b) => s + b.be.cores, 0),
    memory_limit_bytes_total: alive.reduce((s, b) => s + displayedBytes(b.be.memLimitBytes), 0),
    disk_total_bytes: diskTotal,
    disk_used_bytes: diskUsed,
    disk_usage_pct: diskTotal === 0 ? null : (diskUsed / diskTotal) * 100,
    disk_max_usage_pct: maxOf(alive.map((b) => round(b.maxDiskUsedPct, 2))),
    data_used_bytes: alive.reduce((s, b) => s + displayedBytes(b.dataUsedBytes), 0),
    running_queries: alive.reduce((s, b) => s + b.runningQueries, 0),
    tablet_count: nodes.reduce((s, b) => s + b.tablets, 0),
    max_compaction_score: Math.max(0, ...nodes.map((b) => b.compactionScore)),
    jvm_heap_used: aliveFes.reduce((s, a) => s + a.heapUsed, 0),
    jvm_heap_max: aliveFes.reduce((s, a) => s + a.fe.heapMaxBytes, 0),
    jvm_heap_usage_pct: maxOf(heapPct),
    jvm_threads: aliveFes.reduce((s, a) => s + a.threads, 0),
    young_gc_count: delta((c) => c.youngGcCount),
    young_gc_time_ms: delta((c) => c.youngGcTimeMs),
    connections: aliveFes.reduce((s, a) => s + a.connectionsByUser.reduce((n, u) => n + u.count, 0), 0),
    txn_begin: delta((c) => c.txnBegin),
    txn_success: delta((c) => c.txnSuccess),
    txn_failed: delta((c) => c.txnFailed),
    txn_reject: delta((c) => c.txnReject),
    txn_begin_total: total((c) => c.txnBegin),
    txn_success_total: total((c) => c.txnSuccess),
    txn_failed_total: total((c) => c.txnFailed),
    txn_running: model.engine === 'doris' || model.profile.has34Families ? runningTxnsByDb(model, toMs).reduce((s, r) => s + r.running, 0) : null,
    load_finished_total: starrocksOnly(total((c) => c.loadFinished)),
    be: model.spec.beMetrics ? beTruth(model, fromMs, toMs) : null,
  };
}

function beTruth(model: ClusterModel, fromMs: number, toMs: number): NonNullable<GroundTruth['be']> {
  let busy = 0;
  let all = 0;
  let sent = 0;
  let received = 0;
  let read = 0;
  let written = 0;
  for (const be of model.bes) {
    if (!model.events.beAlive(be.index, toMs) || !model.events.beAlive(be.index, fromMs)) continue;
    const a = beCounters(model, be.index, fromMs);
    const b = beCounters(model, be.index, toMs);
    const sum = (c: typeof a.cpu): number => Object.values(c).reduce((x, y) => x + y, 0);
    all += sum(b.cpu) - sum(a.cpu);
    busy += sum(b.cpu) - sum(a.cpu) - (b.cpu.idle - a.cpu.idle);
    sent += b.netSendBytes - a.netSendBytes;
    received += b.netReceiveBytes - a.netReceiveBytes;
    read += b.diskReadBytes - a.diskReadBytes;
    written += b.diskWrittenBytes - a.diskWrittenBytes;
  }
  return {
    cpu_usage_pct: all === 0 ? 0 : (busy / all) * 100,
    network_sent_bytes: sent,
    network_received_bytes: received,
    disk_read_bytes: read,
    disk_written_bytes: written,
  };
}
