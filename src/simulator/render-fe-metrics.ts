/**
 * The body of an FE's `GET /metrics`, block by block in the FE's order (StarRocks'
 * `MetricRepo.getMetric`): JVM → registered families → per-database gauges → summaries → per-user connections
 * and per-db running transactions (3.4+) → `node_info`. Doris' own shapes: render-doris-metrics.ts.
 */
import { beValues } from './be-values.js';
import type { ClusterModel } from './cluster-model.js';
import { type FeValues, feValues, runningTxnsByDb } from './fe-values.js';
import { javaDouble, javaLong } from './java-format.js';
import { FE_STYLE, type Labels, PrometheusWriter } from './prometheus-writer.js';
import {
  writeDorisConnections, writeDorisLatencyBreakdowns, writeDorisQueryCounters, writeDorisRateGauges, writeDorisSummary, writeDorisTransactions,
} from './render-doris-metrics.js';
import { intBetween, wander } from './random.js';
import { feTableLoadRows, feThreadPools } from './extra-families.js';

export interface MetricsQuirks {
  /** Print some series twice (StarRocks/starrocks#59201, #76741). */
  readonly duplicates: boolean;
  /** Interleave per-database families even where the version does not (3.5 does). */
  readonly splitFamilies: boolean;
  /**
   * The per-table families, as `?with_table_metrics` asked by a user who may see them: `minified`
   * leaves out the counters that are 0, `all` prints every one; absent, none (a plain `/metrics`).
   */
  readonly tableMetrics?: 'minified' | 'all';
}

const LOAD_STATES = ['UNKNOWN', 'PENDING', 'ETL', 'LOADING', 'COMMITTED', 'FINISHED', 'CANCELLED'] as const;
const ROUTINE_LOAD_STATES = ['NEED_SCHEDULE', 'RUNNING', 'PAUSED', 'STOPPED', 'CANCELLED', 'UNSTABLE'] as const;

export function renderFeMetrics(model: ClusterModel, feIndex: number, tMs: number, quirks: MetricsQuirks): string {
  const w = new PrometheusWriter(FE_STYLE);
  const v = feValues(model, feIndex, tMs);
  const prefix = model.engine === 'doris' ? 'doris_fe_' : 'starrocks_fe_';
  writeJvm(w, v);
  writeRegistered(w, model, v, prefix, tMs, quirks);
  writeDatabases(w, model, prefix, tMs, quirks);
  if (model.engine === 'starrocks') writeExtraFamilies(w, model, feIndex, prefix, tMs, quirks);
  writeSummaries(w, model, v, prefix);
  if (model.engine === 'doris') writeDorisLatencyBreakdowns(w, model, v, prefix, 'users');
  if (model.profile.has34Families) writeHttpMetrics(w, model, v, prefix, tMs);
  if (model.engine === 'starrocks' && model.profile.perUserConnections) {
    for (const { user, count } of v.connectionsByUser) {
      w.series(`${prefix}connection_total`, 'gauge', 'total connection', [['user', user]], javaLong(count));
    }
  }
  if (model.engine === 'starrocks' && model.profile.has34Families) {
    for (const { db, running } of runningTxnsByDb(model, tMs)) {
      w.series(`${prefix}txn_running`, 'gauge', 'number of running transactions', [...leaderLabel(model, v), ['db', db]], javaLong(v.leader ? running : 0));
    }
  }
  writeNodeInfo(w, model, v, tMs);
  return w.text();
}

/** `is_leader` goes first in the label list of leader-aware families (3.5+/4.0). */
function leaderLabel(model: ClusterModel, v: FeValues): Labels {
  return model.profile.isLeaderLabels ? [['is_leader', String(v.leader)]] : [];
}

function writeJvm(w: PrometheusWriter, v: FeValues): void {
  const gauge = (name: string, help: string, entries: readonly (readonly [string, number])[]): void => {
    w.jvmHeader(name, help);
    for (const [type, value] of entries) w.sample(name, [['type', type]], javaLong(value));
  };
  const young = Math.round(v.heapUsed * 0.3);
  const old = v.heapUsed - young;
  gauge('jvm_heap_size_bytes', 'jvm heap stat', [['max', v.fe.heapMaxBytes], ['committed', v.heapCommitted], ['used', v.heapUsed]]);
  gauge('jvm_non_heap_size_bytes', 'jvm non heap stat', [['committed', v.nonHeapCommitted], ['used', v.nonHeapUsed]]);
  gauge('jvm_young_size_bytes', 'jvm young mem pool stat', [
    ['committed', Math.round(v.heapCommitted * 0.3)], ['used', young], ['peak_used', Math.round(v.fe.heapMaxBytes * 0.3)], ['max', -1],
  ]);
  gauge('jvm_old_size_bytes', 'jvm old mem pool stat', [
    ['committed', Math.round(v.heapCommitted * 0.7)], ['used', old], ['peak_used', Math.round(v.fe.heapMaxBytes * 0.7 * 0.75)], ['max', v.fe.heapMaxBytes],
  ]);
  gauge('jvm_direct_buffer_pool_size_bytes', 'jvm direct buffer pool stat', [
    ['count', v.directBufferCount], ['used', v.directBufferBytes], ['capacity', v.directBufferBytes],
  ]);
  gauge('jvm_young_gc', 'jvm young gc stat', [['count', v.counters.youngGcCount], ['time', v.counters.youngGcTimeMs]]);
  gauge('jvm_old_gc', 'jvm old gc stat', [['count', v.counters.oldGcCount], ['time', v.counters.oldGcTimeMs]]);
  gauge('jvm_thread', 'jvm thread stat', [['count', v.threads], ['peak_count', v.threadPeak]]);
}

function writeRegistered(w: PrometheusWriter, model: ClusterModel, v: FeValues, p: string, tMs: number, quirks: MetricsQuirks): void {
  const s = model.spec.seed;
  const t = model.sec(tMs);
  const c = v.counters;
  const counter = (name: string, help: string, value: number, labels: Labels = []): void =>
    w.series(`${p}${name}`, 'counter', help, labels, javaLong(value));
  const gauge = (name: string, help: string, value: string, labels: Labels = []): void =>
    w.series(`${p}${name}`, 'gauge', help, labels, value);
  const L = (value: number): number => (v.leader ? value : 0);

  const loadTypes = model.profile.has34Families ? ['BROKER', 'SPARK', 'INSERT'] : ['HADOOP', 'INSERT', 'BROKER', 'DELETE', 'SPARK', 'ROUTINE_LOAD', 'STREAM_LOAD'];
  for (const [ti, type] of loadTypes.entries()) {
    for (const state of LOAD_STATES) {
      const retained = state === 'FINISHED' ? intBetween(0, 500, s, 700, ti) : state === 'CANCELLED' ? intBetween(0, 20, s, 701, ti) : 0;
      gauge('job', 'job statistics', javaLong(L(retained)), [['job', 'load'], ['type', type], ['state', state]]);
    }
  }
  for (const type of ['SCHEMA_CHANGE', 'ROLLUP']) {
    gauge('job', 'job statistics', javaLong(L(Math.round(2 * wander(s, 702, t, 1800)))), [['job', 'alter'], ['type', type], ['state', 'running']]);
  }
  if (model.spec.mode === 'shared_nothing') {
    for (const be of model.bes) {
      const b = beValues(model, be.index, tMs);
      gauge('tablet_num', 'tablet number', javaLong(L(b.tablets)), [['backend', `${be.ip}:9050`]]);
    }
    for (const be of model.bes) {
      const b = beValues(model, be.index, tMs);
      gauge('tablet_max_compaction_score', 'tablet max compaction score', javaLong(L(b.compactionScore)), [['backend', `${be.ip}:9050`]]);
    }
  }
  gauge('max_journal_id', 'max journal id of this frontends', javaLong(v.maxJournalId));
  gauge('meta_log_count', 'meta log total count', javaLong(v.metaLogCount));
  gauge('scheduled_tablet_num', 'number of tablets being scheduled', javaLong(L(Math.round(50 * wander(s, 703, t, 300) ** 3))), leaderLabel(model, v));
  for (const state of ROUTINE_LOAD_STATES) {
    const n = state === 'RUNNING' ? model.routineLoadRunning : state === 'PAUSED' ? Math.round(wander(s, 704, t, 3600)) : 0;
    gauge('routine_load_jobs', 'routine load jobs', javaLong(L(n)), [['state', state]]);
  }
  const doris = model.engine === 'doris';
  if (doris) writeDorisRateGauges(w, model, v, p);
  else {
    gauge('qps', 'query per second', javaDouble(v.qps));
    gauge('rps', 'request per second', javaDouble(v.rps));
    gauge('query_err_rate', 'query error rate', javaDouble(v.errRate));
  }
  const maxScore = Math.max(0, ...model.bes.map((be) => beValues(model, be.index, tMs).compactionScore));
  gauge('max_tablet_compaction_score', 'max tablet compaction score of all backends', javaLong(L(maxScore)), leaderLabel(model, v));
  gauge('editlog_stacked_num', 'counter of edit log that are stacked', '0');
  const lg = v.latencyGauges;
  for (const [type, value] of [['mean', lg.mean], ['50_quantile', lg.p50], ['75_quantile', lg.p75], ['90_quantile', lg.p90], ['95_quantile', lg.p95], ['99_quantile', lg.p99], ['999_quantile', lg.p999]] as const) {
    gauge('query_latency', 'mean of query latency', javaDouble(value), [['type', type]]);
  }
  if (model.profile.has33Families) gauge('safe_mode', 'safe mode flag', '0', [['type', 'safe_mode']]);
  for (const [name, value] of [['tcp_retrans_segs', c.tcpRetransSegs], ['tcp_in_errs', c.tcpInErrs], ['tcp_in_segs', c.tcpInSegs], ['tcp_out_segs', c.tcpOutSegs]] as const) {
    gauge('snmp', 'All TCP packets retransmitted', javaLong(value), [['name', name]]);
  }
  if (doris) writeDorisConnections(w, v, p);
  else if (!model.profile.perUserConnections) {
    gauge('connection_total', 'total connections', javaLong(v.connectionsByUser.reduce((a, u) => a + u.count, 0)));
  }

  if (doris) writeDorisQueryCounters(w, model, v, p);
  else {
    counter('request_total', 'total request', c.requestTotal);
    if (quirks.duplicates) w.repeatLast();
    counter('query_total', 'total query', c.queryTotal);
    if (quirks.duplicates) w.repeatLast();
  }
  // Doris counts no successful or timed-out queries, and calls its slow-query counter query_slow (its MetricRepo).
  if (doris) counter('query_slow', 'total slow query', c.slowQuery);
  else {
    counter('query_success', 'total success query', c.querySuccess);
    counter('query_err', 'total error query', c.queryErr);
    counter('query_timeout', 'total timeout query', c.queryTimeout);
    counter('slow_query', 'total slow query', c.slowQuery);
  }
  if (model.profile.has34Families) {
    counter('query_analysis_err', 'total analysis error query', Math.floor(c.queryErr * 0.6));
    counter('query_internal_err', 'total internal error query', Math.floor(c.queryErr * 0.1));
  }
  if (model.profile.hasQueryQueue) {
    gauge('query_queue_pending', 'the number of pending queries', '0');
    counter('query_queue_total', 'the total number of queued queries', Math.floor(c.queryTotal * 0.001));
    counter('query_queue_timeout', 'the number of timeout queued queries', 0);
  }
  counter('load_add', 'total load submit', c.loadAdd);
  if (doris) {
    // One edit_log family with a type label, where StarRocks has a family per type.
    counter('edit_log', 'counter of edit log write into bdbje', c.journalWritten, [['type', 'write']]);
    counter('edit_log', 'counter of edit log read from bdbje', c.journalReplayed, [['type', 'read']]);
  } else {
    counter('load_finished', 'total load finished', c.loadFinished);
    counter('edit_log_write', 'counter of edit log write into bdbje', c.journalWritten);
    counter('edit_log_read', 'counter of edit log read from bdbje', c.journalReplayed);
  }
  counter('edit_log_size_bytes', 'size of edit log', (c.journalWritten + c.journalReplayed) * 1_450);
  counter('image_write', 'counter of image generated', Math.floor(c.journalWritten / 50_000));
  counter('image_push', 'counter of image succeeded in pushing to other frontends', Math.floor(c.journalWritten / 50_000) * (model.fes.length - 1));
  if (doris) writeDorisTransactions(w, v, p, model, tMs);
  else {
    counter('txn_begin', 'counter of beginning transactions', c.txnBegin, leaderLabel(model, v));
    counter('txn_success', 'counter of success transactions', c.txnSuccess, leaderLabel(model, v));
    counter('txn_failed', 'counter of failed transactions', c.txnFailed, leaderLabel(model, v));
    counter('txn_reject', 'counter of rejected transactions', c.txnReject, leaderLabel(model, v));
  }
  counter('routine_load_rows', 'total rows of routine load', c.routineLoadRows);
  counter('routine_load_receive_bytes', 'total receive bytes of routine load', c.routineLoadRows * 180);
  counter('routine_load_error_rows', 'total error rows of routine load', Math.floor(c.routineLoadRows * 0.0001));
  counter('unfinished_backup_job', 'current unfinished backup job', 0);
  counter('unfinished_restore_job', 'current unfinished restore job', 0);
}

function writeDatabases(w: PrometheusWriter, model: ClusterModel, p: string, tMs: number, quirks: MetricsQuirks): void {
  w.series(`${p}database_num`, 'gauge', 'count of database', [], javaLong(model.databases.length));
  const t = model.sec(tMs);
  const size = (d: number): string => javaLong(Math.round((model.databases[d]?.baseBytes ?? 0) * (1 + t / 1e7)));
  const interleave = model.profile.splitsDbFamilies || quirks.splitFamilies;
  const withSizes = model.profile.has34Families || quirks.splitFamilies;
  for (const [d, db] of model.databases.entries()) {
    w.series(`${p}table_num`, 'gauge', 'count of table', [['db_name', db.name]], javaLong(db.tables));
    if (interleave && withSizes) w.series(`${p}db_size_bytes`, 'gauge', 'total size of database', [['db_name', db.name]], size(d));
  }
  if (!interleave && withSizes) {
    for (const [d, db] of model.databases.entries()) {
      w.series(`${p}db_size_bytes`, 'gauge', 'total size of database', [['db_name', db.name]], size(d));
    }
  }
}

function writeSummaries(w: PrometheusWriter, model: ClusterModel, v: FeValues, p: string): void {
  const starrocksSummary = (name: string, q: readonly number[], count: number, mean: number): void => {
    w.header(name, 'summary', '');
    for (const [i, quantile] of ['0.75', '0.95', '0.98', '0.99', '0.999'].entries()) {
      w.sample(name, [['quantile', quantile]], javaDouble(q[i] ?? 0));
    }
    w.sample(`${name}_sum`, [], javaDouble(count * mean));
    w.sample(`${name}_count`, [], javaLong(count));
  };
  const summary = model.engine === 'doris' ? (name: string, q: readonly number[], count: number, mean: number) => writeDorisSummary(w, name, q, count, mean) : starrocksSummary;
  const journalWrites = v.counters.journalWritten;
  summary(`${p}editlog_write_latency_ms`, [1, 2, 3, 5, 12], journalWrites, 1.2);
  summary(`${p}journal_write_batch`, [1, 2, 2, 3, 8], journalWrites, 1.1);
  summary(`${p}journal_write_bytes`, [512, 1024, 2048, 4096, 16384], journalWrites, 700);
  summary(`${p}journal_write_latency_ms`, [1, 2, 3, 5, 14], journalWrites, 1.4);
  const l = v.latency;
  summary(`${p}query_latency_ms`, [l.p75, l.p95, l.p98, l.p99, l.p999], v.counters.queryTotal, l.mean);
  if (model.engine === 'doris') writeDorisLatencyBreakdowns(w, model, v, p, 'groups');
}

function writeHttpMetrics(w: PrometheusWriter, model: ClusterModel, v: FeValues, p: string, tMs: number): void {
  const t = model.sec(tMs);
  w.series(`${p}http_workers_num`, 'gauge', 'the number of http workers', [], '8');
  w.series(`${p}http_worker_pending_tasks_num`, 'gauge', 'the number of tasks that are pending for processing in the queues of http workers', [], '0');
  w.series(`${p}http_connections_num`, 'gauge', 'the number of established http connections currently', [], javaLong(2 + Math.round(20 * wander(model.spec.seed, 800 + v.fe.index, t, 60))));
  w.series(`${p}http_handling_requests_num`, 'gauge', 'the number of http requests that is being handled', [], '1');
}

function writeNodeInfo(w: PrometheusWriter, model: ClusterModel, v: FeValues, tMs: number): void {
  w.jvmHeader('node_info', null);
  const fesAlive = model.fes.filter((fe) => model.events.feAlive(fe.index, tMs)).length;
  const nodesAlive = model.bes.filter((be) => model.events.beAlive(be.index, tMs)).length;
  const asComputeNodes = model.nodesAreComputeNodes;
  const info = (type: string, state: string, value: number): void => w.sample('node_info', [['type', type], ['state', state]], javaLong(value));
  info('fe_node_num', 'total', model.fes.length);
  if (model.profile.has33Families) info('fe_node_num', 'alive', fesAlive);
  info('be_node_num', 'total', asComputeNodes ? 0 : model.bes.length);
  info('be_node_num', 'alive', asComputeNodes ? 0 : nodesAlive);
  info('be_node_num', 'decommissioned', 0);
  info('broker_node_num', 'dead', 0);
  if (model.profile.hasComputeNodes) {
    info('cn_node_num', 'total', asComputeNodes ? model.bes.length : 0);
    info('cn_node_num', 'alive', asComputeNodes ? nodesAlive : 0);
  }
  if (v.leader) w.sample('node_info', [['type', 'is_master']], '1');
}

/** Families no built-in field reads (extra-families.ts): thread pools, and per-table load counters when `tableMetrics` asks for them. */
function writeExtraFamilies(w: PrometheusWriter, model: ClusterModel, feIndex: number, p: string, tMs: number, quirks: MetricsQuirks): void {
  for (const pool of feThreadPools(model, feIndex, tMs)) {
    for (const [type, value] of [['pool_size', pool.poolSize], ['active_thread_num', pool.activeThreads], ['task_in_queue', pool.tasksInQueue], ['completed_task_count', pool.completedTasks]] as const) {
      w.series(`${p}thread_pool`, 'gauge', 'thread pool statistics', [['name', pool.name], ['type', type]], javaLong(value));
    }
  }
  if (quirks.tableMetrics === undefined) return;
  for (const t of feTableLoadRows(model, feIndex, tMs)) {
    if (quirks.tableMetrics === 'minified' && t.rows === 0) continue;
    w.series(`${p}table_load_rows`, 'counter', 'total rows loaded into the table', [['db_name', t.db], ['tbl_name', t.table], ['tbl_id', String(t.id)]], javaLong(t.rows));
  }
}
