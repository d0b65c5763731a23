/**
 * An FE's `/metrics?type=json` and `/metrics?type=core`: the same figures as the
 * text body, in `JsonMetricVisitor` and `SimpleCoreMetricVisitor` form. Summaries and
 * `node_info` are not part of the JSON form.
 */
import type { ClusterModel } from './cluster-model.js';
import { beValues } from './be-values.js';
import { feValues } from './fe-values.js';

interface JsonMetric {
  readonly tags: Record<string, string>;
  readonly unit: string;
  readonly value: number;
}

export function renderFeMetricsJson(model: ClusterModel, fe: number, tMs: number): string {
  const v = feValues(model, fe, tMs);
  const c = v.counters;
  const m = (metric: string, unit: string, value: number, labels: Record<string, string> = {}): JsonMetric => ({
    tags: { metric, ...labels },
    unit,
    value,
  });
  const young = Math.round(v.heapUsed * 0.3);
  const items: JsonMetric[] = [
    m('jvm_young_gc', 'nounit', c.youngGcCount, { type: 'count' }),
    m('jvm_young_gc', 'milliseconds', c.youngGcTimeMs, { type: 'time' }),
    m('jvm_old_gc', 'nounit', c.oldGcCount, { type: 'count' }),
    m('jvm_old_gc', 'milliseconds', c.oldGcTimeMs, { type: 'time' }),
    m('jvm_heap_size_bytes', 'bytes', v.fe.heapMaxBytes, { type: 'max' }),
    m('jvm_heap_size_bytes', 'bytes', v.heapCommitted, { type: 'committed' }),
    m('jvm_heap_size_bytes', 'bytes', v.heapUsed, { type: 'used' }),
    m('jvm_size_percent', 'percent', Math.round(((v.heapUsed - young) / (v.fe.heapMaxBytes * 0.7)) * 100), { type: 'old' }),
    m('jvm_thread', 'nounit', v.threads, { type: 'count' }),
    m('request_total', 'requests', c.requestTotal),
    m('query_total', 'requests', c.queryTotal),
    m('query_success', 'requests', c.querySuccess),
    m('query_err', 'requests', c.queryErr),
    m('query_timeout', 'requests', c.queryTimeout),
    m('slow_query', 'requests', c.slowQuery),
    m('qps', 'nounit', v.qps),
    m('rps', 'nounit', v.rps),
    m('query_err_rate', 'nounit', v.errRate),
    m('max_journal_id', 'nounit', v.maxJournalId),
    m('connection_total', 'connections', v.connectionsByUser.reduce((a, u) => a + u.count, 0)),
  ];
  if (items.length === 0) return '[]';
  return `[\n${items.map((i) => JSON.stringify(i)).join(',\n')}\n]`;
}

export function renderFeMetricsCore(model: ClusterModel, fe: number, tMs: number): string {
  const v = feValues(model, fe, tMs);
  const young = Math.round(v.heapUsed * 0.3);
  const pct = (used: number, max: number): string => ((used / max) * 100).toFixed(1);
  const deadFes = model.fes.filter((f) => !model.events.feAlive(f.index, tMs)).length;
  const deadBes = model.bes.filter((b) => !model.events.beAlive(b.index, tMs)).length;
  const lines = [
    `jvm_young_used_percent DOUBLE ${pct(young, v.heapCommitted * 0.3)}`,
    `jvm_old_used_percent DOUBLE ${pct(v.heapUsed - young, v.fe.heapMaxBytes * 0.7)}`,
    `jvm_thread LONG ${v.threads}`,
    `starrocks_fe_max_journal_id LONG ${v.maxJournalId}`,
    `starrocks_fe_connection_total LONG ${v.connectionsByUser.reduce((a, u) => a + u.count, 0)}`,
    `starrocks_fe_qps DOUBLE ${v.qps.toFixed(2)}`,
    `starrocks_fe_rps DOUBLE ${v.rps.toFixed(2)}`,
    `starrocks_fe_query_err_rate DOUBLE ${v.errRate.toFixed(2)}`,
    `starrocks_fe_max_tablet_compaction_score LONG ${v.leader ? Math.max(0, ...model.bes.map((b) => beValues(model, b.index, tMs).compactionScore)) : 0}`,
    `starrocks_fe_query_latency_ms_75 LONG ${Math.round(v.latency.p75)}`,
    `starrocks_fe_query_latency_ms_95 LONG ${Math.round(v.latency.p95)}`,
    `starrocks_fe_query_latency_ms_99 LONG ${Math.round(v.latency.p99)}`,
    `starrocks_fe_frontend_dead_num ${deadFes}`,
    `starrocks_fe_backend_dead_num ${deadBes}`,
    'starrocks_fe_broker_dead_num 0',
  ];
  return lines.join('\n') + '\n';
}
