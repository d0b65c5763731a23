/**
 * A cluster's health from its latest snapshot: reasons, penalties and a score. Pure. Which
 * level a figure is at, the FE quorum rule and the status they make are src/shared/health.ts,
 * which the web console's cards use too.
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
import type { FailedSourceJson, HealthJson, HealthReason } from '../../shared/api/overview.js';
import {
  compactionLevel,
  cpuLevel,
  diskLevel,
  frontendsAliveLevel,
  HEALTH_THRESHOLDS as T,
  type HealthLevel,
  heapLevel,
  judgedDiskPct,
  nodesAliveLevel,
  queryErrorLevel,
  statusOf,
} from '../../shared/health.js';

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

const reason = (level: HealthReason['level'], code: string, penalty: number, message: string): HealthReason => ({ level, code, message, penalty });

const pct = (value: number): string => `${value.toFixed(1)} %`;
const round = (value: number): number => Math.round(value * 10) / 10;

function describeFailures(failed: readonly FailedSourceJson[]): string {
  if (failed.length === 0) return 'no source answered';
  const shown = failed.slice(0, 3).map((f) => `${f.source} (${f.kind})`);
  return failed.length > 3 ? `${shown.join(', ')} and ${failed.length - 3} more` : shown.join(', ');
}

const down = (alive: number | null, total: number | null): number => (total ?? 0) - (alive ?? 0);

interface Judged {
  readonly value: number | null;
  readonly level: HealthLevel | null;
  /** The message, given the value and the threshold it exceeds. */
  readonly words: (value: number, over: number) => string;
  readonly warning: number;
  readonly critical?: number;
}

/** A figure's reason at the level judged: warning 10 points, critical 20; `ok` or not measured, none. */
function judged(reasons: HealthReason[], code: string, { value, level, words, warning, critical }: Judged): void {
  if (value === null) return;
  if (level === 'critical' && critical !== undefined) reasons.push(reason('critical', code, 20, words(value, critical)));
  else if (level === 'warning') reasons.push(reason('warning', code, 10, words(value, warning)));
}

/** Whether the latest snapshot is older than `staleIntervals` collection intervals: the one rule that reads the clock. */
export function isStale(latest: Pick<HealthFigures, 'collected_at'>, context: HealthContext): boolean {
  return context.now - latest.collected_at > T.staleIntervals * context.intervalMs;
}

/** Every reason the figures give, in the order of the table above. */
export function healthReasons(latest: HealthFigures, context: HealthContext): HealthReason[] {
  const reasons: HealthReason[] = [];
  if (latest.collect_status === 'failed') {
    reasons.push(reason('critical', 'collection_failing', 100, `the latest collection reached nothing: ${describeFailures(latest.failed_sources)}`));
  } else if (latest.collect_status === 'partial') {
    reasons.push(reason('warning', 'collection_partial', 5, `some sources failed in the latest collection: ${describeFailures(latest.failed_sources)}`));
  }
  if (isStale(latest, context)) {
    const age = context.now - latest.collected_at;
    reasons.push(reason('warning', 'data_stale', 10, `the latest snapshot is ${Math.round(age / 1000)} s old (more than ${T.staleIntervals} collection intervals)`));
  }
  const backends = nodesAliveLevel(latest.backend_alive, latest.backend_total);
  if (backends === 'critical') {
    reasons.push(reason('critical', 'backend_down', 30, `${down(latest.backend_alive, latest.backend_total)} of ${latest.backend_total} backends not alive`));
  }
  const computeNodes = nodesAliveLevel(latest.compute_node_alive, latest.compute_node_total);
  if (computeNodes === 'critical') {
    reasons.push(reason('critical', 'compute_node_down', 30, `${down(latest.compute_node_alive, latest.compute_node_total)} of ${latest.compute_node_total} compute nodes not alive`));
  }
  const frontends = frontendsAliveLevel(latest.frontend_alive, latest.frontend_total);
  const frontendsDown = `${down(latest.frontend_alive, latest.frontend_total)} of ${latest.frontend_total} frontends not alive`;
  if (frontends === 'critical') reasons.push(reason('critical', 'frontend_down', 30, `${frontendsDown}: half or more, the metadata quorum is at risk`));
  else if (frontends === 'warning') reasons.push(reason('warning', 'frontend_down', 15, frontendsDown));
  const disk = judgedDiskPct(latest);
  const diskWhat = latest.disk_max_usage_pct !== null ? 'the fullest disk' : 'disks';
  judged(reasons, 'disk_usage', { value: disk, level: diskLevel(disk), words: (v, over) => `${diskWhat} ${pct(v)} used (over ${over} %)`, warning: T.diskWarningPct, critical: T.diskCriticalPct });
  const compaction = latest.max_compaction_score;
  judged(reasons, 'compaction_score', { value: compaction, level: compactionLevel(compaction), words: (v, over) => `max compaction score ${round(v)} (over ${over})`, warning: T.compactionWarning, critical: T.compactionCritical });
  const cpu = latest.avg_cpu_usage;
  judged(reasons, 'cpu_usage', { value: cpu, level: cpuLevel(cpu), words: (v, over) => `average CPU use ${pct(v)} (over ${over} %)`, warning: T.cpuWarningPct });
  const heap = latest.jvm_heap_usage_pct;
  judged(reasons, 'jvm_heap_usage', { value: heap, level: heapLevel(heap), words: (v, over) => `FE JVM heap ${pct(v)} used (over ${over} %)`, warning: T.heapWarningPct, critical: T.heapCriticalPct });
  const errors = latest.query_error_pct;
  judged(reasons, 'query_error_rate', { value: errors, level: queryErrorLevel(errors, latest.queries), words: (v, over) => `${pct(v)} of queries failed (over ${over} %)`, warning: T.errorWarningPct, critical: T.errorCriticalPct });
  return reasons;
}

/** The health of a cluster; `latest` null: no snapshot yet. */
export function assessHealth(latest: HealthFigures | null, context: HealthContext): HealthJson {
  if (latest === null) return { status: 'pending', score: null, reasons: [] };
  const reasons = healthReasons(latest, context);
  const score = Math.max(0, 100 - reasons.reduce((sum, r) => sum + r.penalty, 0));
  return { status: statusOf(latest.collect_status === 'failed', reasons), score, reasons };
}
