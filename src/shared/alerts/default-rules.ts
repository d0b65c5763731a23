/**
 * The rules Stellar ships: the health score's reasons (src/shared/health.ts, same thresholds)
 * as alerts, so what turns a cluster's card red also pages someone. A rules file or the API may
 * switch any of them off or replace it by name. Pure.
 */
import { HEALTH_THRESHOLDS as T } from '../health.js';
import type { AlertRuleSource } from './alert-rule.js';

const summary = (what: string) => ({ summary: `{{ cluster }}: ${what}` });

export const DEFAULT_ALERT_RULES: readonly AlertRuleSource[] = [
  {
    name: 'cluster-unreachable',
    condition: 'collect_status == "failed"',
    for: '2m',
    severity: 'critical',
    annotations: summary('the latest collection reached no FE'),
  },
  {
    name: 'collection-stale',
    condition: `no_data(${T.staleIntervals})`,
    severity: 'critical',
    annotations: summary(`no collection reached the cluster for ${T.staleIntervals} intervals`),
  },
  {
    name: 'backend-down',
    condition: 'backend_alive < backend_total',
    for: '1m',
    severity: 'critical',
    annotations: summary('{{ value }} of {{ fields.backend_total }} backends alive'),
  },
  {
    name: 'compute-node-down',
    condition: 'compute_node_alive < compute_node_total',
    for: '1m',
    severity: 'critical',
    annotations: summary('{{ value }} of {{ fields.compute_node_total }} compute nodes alive'),
  },
  {
    name: 'frontend-down',
    condition: 'frontend_alive < frontend_total',
    for: '1m',
    severity: 'warning',
    annotations: summary('{{ value }} of {{ fields.frontend_total }} frontends alive'),
  },
  ...(['critical', 'warning'] as const).map((severity) => {
    const pct = severity === 'critical' ? T.diskCriticalPct : T.diskWarningPct;
    // The fullest disk when the nodes report it (never below the average), else all disks.
    return { name: `disk-usage-${severity}`, condition: `disk_max_usage_pct > ${pct} or disk_usage_pct > ${pct}`, for: '5m', severity, annotations: summary(`a disk is {{ fields.disk_max_usage_pct }} % full (over ${pct} %)`) };
  }),
  ...(['critical', 'warning'] as const).map((severity) => {
    const score = severity === 'critical' ? T.compactionCritical : T.compactionWarning;
    return { name: `compaction-score-${severity}`, condition: `max_compaction_score > ${score}`, for: '10m', severity, annotations: summary(`compaction score {{ value }} (over ${score})`) };
  }),
  {
    name: 'cpu-busy',
    condition: `avg_cpu_usage > ${T.cpuWarningPct}`,
    for: '10m',
    severity: 'warning',
    annotations: summary(`backends' CPU at {{ value }} % (over ${T.cpuWarningPct} %)`),
  },
  ...(['critical', 'warning'] as const).map((severity) => {
    const pct = severity === 'critical' ? T.heapCriticalPct : T.heapWarningPct;
    return { name: `fe-heap-${severity}`, condition: `jvm_heap_usage_pct > ${pct}`, for: '5m', severity, annotations: summary(`FE heap {{ value }} % used (over ${pct} %)`) };
  }),
  ...(['critical', 'warning'] as const).map((severity) => {
    const pct = severity === 'critical' ? T.errorCriticalPct : T.errorWarningPct;
    return {
      name: `query-errors-${severity}`,
      condition: `query_error_pct > ${pct} and queries >= ${T.errorMinQueries}`,
      for: '5m',
      severity,
      annotations: summary(`{{ value }} % of queries failed (over ${pct} %)`),
    };
  }),
];
