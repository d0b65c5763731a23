/**
 * A cluster's health from its latest snapshot. Pure.
 *
 * The score starts at 100 and each reason takes its penalty off (never below 0). The status is
 * the worst reason's level — `critical` over `warning`, `healthy` without reasons — except that
 * a cluster whose latest collection reached nothing is `unreachable` (its figures are unknown,
 * not fine) and one without any snapshot is `pending` (score null). A figure that is null
 * (not reported, not measured) never makes a reason.
 *
 * | code                 | level    | penalty | when                                                            |
 * |----------------------|----------|---------|-----------------------------------------------------------------|
 * | `collection_failing` | critical | 100     | the latest collection reached no source (status `unreachable`)  |
 * | `collection_partial` | warning  | 5       | some sources failed in the latest collection                    |
 * | `data_stale`         | warning  | 10      | the latest snapshot is older than 3 collection intervals        |
 * | `backend_down`       | critical | 30      | a backend is not alive                                          |
 * | `compute_node_down`  | critical | 30      | a compute node is not alive                                     |
 * | `frontend_down`      | warning  | 15      | an FE is not alive; critical (30) when half or more are down    |
 * | `disk_usage`         | warning  | 10      | the fullest disk (else the cluster's disks) > 80 %; > 90 % critical (20) |
 * | `compaction_score`   | warning  | 10      | the leader's max compaction score > 100; > 500 critical (20)    |
 * | `cpu_usage`          | warning  | 10      | average CPU use of the alive BEs/CNs > 90 %                     |
 * | `jvm_heap_usage`     | warning  | 10      | the fullest FE heap > 80 %; > 90 % critical (20)                |
 * | `query_error_rate`   | warning  | 10      | > 5 % of the interval's queries failed; > 25 % critical (20), with at least 10 queries |
 *
 * Unlike jlon/starrocks-admin's score, FE outages count: with half the FEs down the metadata quorum is gone.
 */
import type { CollectStatus } from '../../shared/snapshot-fields.js';
import type { FailedSourceJson, HealthJson, HealthReason } from '../../shared/overview-types.js';
import { HEALTH_THRESHOLDS } from '../../shared/health-thresholds.js';

/** What the rules read of the latest snapshot. */
export interface HealthFigures {
  readonly collected_at: number;
  readonly collect_status: CollectStatus | null;
  readonly failed_sources: readonly FailedSourceJson[];
  readonly backend_alive: number | null;
  readonly backend_total: number | null;
  readonly compute_node_alive: number | null;
  readonly compute_node_total: number | null;
  readonly frontend_alive: number | null;
  readonly frontend_total: number | null;
  readonly disk_usage_pct: number | null;
  readonly disk_max_usage_pct: number | null;
  readonly max_compaction_score: number | null;
  readonly avg_cpu_usage: number | null;
  readonly jvm_heap_usage_pct: number | null;
  readonly query_error_pct: number | null;
  readonly queries: number | null;
}

export interface HealthContext {
  readonly now: number;
  /** The cluster's collection interval, ms: how old the latest snapshot may be. */
  readonly intervalMs: number;
}

/** The thresholds live in src/shared: the web console colours its cards and charts at the same levels. */
const T = HEALTH_THRESHOLDS;

const reason = (level: HealthReason['level'], code: string, penalty: number, message: string): HealthReason => ({ level, code, message, penalty });

const pct = (value: number): string => `${value.toFixed(1)} %`;
const round = (value: number): number => Math.round(value * 10) / 10;

function describeFailures(failed: readonly FailedSourceJson[]): string {
  if (failed.length === 0) return 'no source answered';
  const shown = failed.slice(0, 3).map((f) => `${f.source} (${f.kind})`);
  return failed.length > 3 ? `${shown.join(', ')} and ${failed.length - 3} more` : shown.join(', ');
}

function nodesDown(alive: number | null, total: number | null): number | null {
  return alive === null || total === null ? null : total - alive;
}

/** Every reason the figures give, in the order of the table above. */
export function healthReasons(latest: HealthFigures, context: HealthContext): HealthReason[] {
  const reasons: HealthReason[] = [];
  if (latest.collect_status === 'failed') {
    reasons.push(reason('critical', 'collection_failing', 100, `the latest collection reached nothing: ${describeFailures(latest.failed_sources)}`));
  } else if (latest.collect_status === 'partial') {
    reasons.push(reason('warning', 'collection_partial', 5, `some sources failed in the latest collection: ${describeFailures(latest.failed_sources)}`));
  }
  const age = context.now - latest.collected_at;
  if (age > T.staleIntervals * context.intervalMs) {
    reasons.push(reason('warning', 'data_stale', 10, `the latest snapshot is ${Math.round(age / 1000)} s old (more than ${T.staleIntervals} collection intervals)`));
  }
  const backends = nodesDown(latest.backend_alive, latest.backend_total);
  if (backends !== null && backends > 0) {
    reasons.push(reason('critical', 'backend_down', 30, `${backends} of ${latest.backend_total} backends not alive`));
  }
  const computeNodes = nodesDown(latest.compute_node_alive, latest.compute_node_total);
  if (computeNodes !== null && computeNodes > 0) {
    reasons.push(reason('critical', 'compute_node_down', 30, `${computeNodes} of ${latest.compute_node_total} compute nodes not alive`));
  }
  const frontends = nodesDown(latest.frontend_alive, latest.frontend_total);
  if (frontends !== null && frontends > 0 && latest.frontend_total !== null) {
    const quorumLost = frontends * 2 >= latest.frontend_total;
    reasons.push(
      quorumLost
        ? reason('critical', 'frontend_down', 30, `${frontends} of ${latest.frontend_total} frontends not alive: half or more, the metadata quorum is at risk`)
        : reason('warning', 'frontend_down', 15, `${frontends} of ${latest.frontend_total} frontends not alive`),
    );
  }
  const disk = latest.disk_max_usage_pct ?? latest.disk_usage_pct;
  const diskWhat = latest.disk_max_usage_pct !== null ? 'the fullest disk' : 'disks';
  if (disk !== null && disk > T.diskCriticalPct) reasons.push(reason('critical', 'disk_usage', 20, `${diskWhat} ${pct(disk)} used (over ${T.diskCriticalPct} %)`));
  else if (disk !== null && disk > T.diskWarningPct) reasons.push(reason('warning', 'disk_usage', 10, `${diskWhat} ${pct(disk)} used (over ${T.diskWarningPct} %)`));
  const compaction = latest.max_compaction_score;
  if (compaction !== null && compaction > T.compactionCritical) reasons.push(reason('critical', 'compaction_score', 20, `max compaction score ${round(compaction)} (over ${T.compactionCritical})`));
  else if (compaction !== null && compaction > T.compactionWarning) reasons.push(reason('warning', 'compaction_score', 10, `max compaction score ${round(compaction)} (over ${T.compactionWarning})`));
  const cpu = latest.avg_cpu_usage;
  if (cpu !== null && cpu > T.cpuWarningPct) reasons.push(reason('warning', 'cpu_usage', 10, `average CPU use ${pct(cpu)} (over ${T.cpuWarningPct} %)`));
  const heap = latest.jvm_heap_usage_pct;
  if (heap !== null && heap > T.heapCriticalPct) reasons.push(reason('critical', 'jvm_heap_usage', 20, `FE JVM heap ${pct(heap)} used (over ${T.heapCriticalPct} %)`));
  else if (heap !== null && heap > T.heapWarningPct) reasons.push(reason('warning', 'jvm_heap_usage', 10, `FE JVM heap ${pct(heap)} used (over ${T.heapWarningPct} %)`));
  const errors = latest.query_error_pct;
  if (errors !== null && (latest.queries ?? 0) >= T.errorMinQueries) {
    if (errors > T.errorCriticalPct) reasons.push(reason('critical', 'query_error_rate', 20, `${pct(errors)} of queries failed (over ${T.errorCriticalPct} %)`));
    else if (errors > T.errorWarningPct) reasons.push(reason('warning', 'query_error_rate', 10, `${pct(errors)} of queries failed (over ${T.errorWarningPct} %)`));
  }
  return reasons;
}

/** The health of a cluster; `latest` null: no snapshot yet. */
export function assessHealth(latest: HealthFigures | null, context: HealthContext): HealthJson {
  if (latest === null) return { status: 'pending', score: null, reasons: [] };
  const reasons = healthReasons(latest, context);
  const score = Math.max(0, 100 - reasons.reduce((sum, r) => sum + r.penalty, 0));
  const status =
    latest.collect_status === 'failed' ? 'unreachable' : reasons.some((r) => r.level === 'critical') ? 'critical' : reasons.length > 0 ? 'warning' : 'healthy';
  return { status, score, reasons };
}
