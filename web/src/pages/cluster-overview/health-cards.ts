/**
 * The health cards of the overview from the latest snapshot: what each shows, its detail line
 * and its level (see health-levels.ts). A figure that was not measured shows "—" and stays
 * grey: unknown is not fine. Pure.
 */
import type { DeploymentMode } from '@shared/cluster-kinds.js';
import {
  compactionLevel,
  cpuLevel,
  diskLevel,
  frontendsAliveLevel,
  HEALTH_THRESHOLDS as T,
  heapLevel,
  judgedDiskPct,
  nodesAliveLevel,
  queryErrorLevel,
} from '@shared/health.js';
import type { HealthReason, SnapshotJson } from '@shared/api/overview.js';
import { formatBytes, formatDuration, formatNumber, formatPercent, MISSING } from '../../app/format.js';
import { type CardLevel, cardLevel, reasonLevel, worse } from './health-levels.js';

export interface HealthCard {
  id: string;
  label: string;
  value: string;
  /** A second, smaller line: the figure's companion (max, p95, used of total…). */
  detail: string | null;
  level: CardLevel;
  /** What the card measures, for its tooltip. */
  hint: string;
}

const fraction = (alive: number | null, total: number | null): string =>
  alive === null || total === null ? MISSING : `${formatNumber(alive)}/${formatNumber(total)}`;

/** A measured value is at least `ok`; a missing one stays `unknown` whatever the reasons say. */
function levelOf(value: number | null, local: CardLevel, reasons: readonly HealthReason[], codes: readonly string[]): CardLevel {
  if (value === null) return 'unknown';
  return worse(worse('ok', local), reasonLevel(reasons, codes));
}

export function buildHealthCards(s: SnapshotJson, reasons: readonly HealthReason[], mode: DeploymentMode): HealthCard[] {
  const cards: HealthCard[] = [];
  // Shared-data clusters compute on CNs and usually have no BE; shared-nothing ones the reverse.
  if (mode === 'shared_nothing' || (s.backend_total ?? 0) > 0) {
    const decommissioned = s.backend_decommissioned ?? 0;
    cards.push({
      id: 'backends',
      label: 'BE alive',
      value: fraction(s.backend_alive, s.backend_total),
      detail: decommissioned > 0 ? `${formatNumber(decommissioned)} decommissioning` : null,
      level: levelOf(s.backend_alive, cardLevel(nodesAliveLevel(s.backend_alive, s.backend_total)), reasons, ['backend_down']),
      hint: 'Backends alive out of those listed by the FE',
    });
  }
  if (mode === 'shared_data' || (s.compute_node_total ?? 0) > 0) {
    cards.push({
      id: 'compute-nodes',
      label: 'CN alive',
      value: fraction(s.compute_node_alive, s.compute_node_total),
      detail: null,
      level: levelOf(s.compute_node_alive, cardLevel(nodesAliveLevel(s.compute_node_alive, s.compute_node_total)), reasons, ['compute_node_down']),
      hint: 'Compute nodes alive out of those listed by the FE',
    });
  }
  cards.push({
    id: 'frontends',
    label: 'FE alive',
    value: fraction(s.frontend_alive, s.frontend_total),
    detail: s.frontend_leader !== null ? `leader ${s.frontend_leader}` : null,
    level: levelOf(s.frontend_alive, cardLevel(frontendsAliveLevel(s.frontend_alive, s.frontend_total)), reasons, ['frontend_down']),
    hint: 'Frontends alive out of those listed; half or more down puts the metadata quorum at risk',
  });
  cards.push({
    id: 'qps',
    label: 'QPS',
    value: formatNumber(s.qps),
    detail: s.rps !== null ? `${formatNumber(s.rps)} requests/s` : null,
    level: levelOf(s.qps, 'ok', reasons, []),
    hint: 'Queries per second over the last collection interval, all FEs',
  });
  cards.push({
    id: 'latency-p99',
    label: 'p99 latency',
    value: formatDuration(s.query_latency_p99),
    detail: s.query_latency_p95 !== null ? `p95 ${formatDuration(s.query_latency_p95)}` : null,
    level: levelOf(s.query_latency_p99, 'ok', reasons, []),
    hint: 'Query latency, 99th percentile: the slowest FE',
  });
  cards.push({
    id: 'error-rate',
    label: 'Error rate',
    value: formatPercent(s.query_error_pct, 2),
    detail: s.query_errors !== null ? `${formatNumber(s.query_errors)} failed of ${formatNumber(s.queries)}` : null,
    level: levelOf(s.query_error_pct, cardLevel(queryErrorLevel(s.query_error_pct, s.queries)), reasons, ['query_error_rate']),
    hint: `Share of the interval's queries that failed (amber over ${T.errorWarningPct} %, red over ${T.errorCriticalPct} %)`,
  });
  cards.push({
    id: 'cpu',
    label: 'CPU',
    value: formatPercent(s.avg_cpu_usage),
    detail: s.max_cpu_usage !== null ? `max ${formatPercent(s.max_cpu_usage)}` : null,
    level: levelOf(s.avg_cpu_usage, cardLevel(cpuLevel(s.avg_cpu_usage)), reasons, ['cpu_usage']),
    hint: `Average CPU use of the alive BEs/CNs (amber over ${T.cpuWarningPct} %)`,
  });
  cards.push({
    id: 'memory',
    label: 'Memory',
    value: formatPercent(s.avg_memory_usage),
    detail: s.max_memory_usage !== null ? `max ${formatPercent(s.max_memory_usage)}` : null,
    level: levelOf(s.avg_memory_usage, 'ok', reasons, []),
    hint: 'Average memory use of the alive BEs/CNs, of their memory limit',
  });
  // The card shows the disk figure the score judges: a red card must show the number that made it red.
  const fullest = s.disk_max_usage_pct;
  const diskJudged = judgedDiskPct(s);
  const capacity = `${formatBytes(s.disk_used_bytes)} of ${formatBytes(s.disk_total_bytes)}`;
  cards.push({
    id: 'disk',
    label: fullest !== null ? 'Disk (fullest)' : 'Disk',
    value: formatPercent(diskJudged),
    detail: fullest !== null ? `all disks ${formatPercent(s.disk_usage_pct)} · ${capacity}` : s.disk_total_bytes !== null ? capacity : null,
    level: levelOf(diskJudged, cardLevel(diskLevel(diskJudged)), reasons, ['disk_usage']),
    hint: `Disk use of the backends: the fullest disk when the nodes report it (amber over ${T.diskWarningPct} %, red over ${T.diskCriticalPct} %), and all disks together`,
  });
  cards.push({
    id: 'compaction',
    label: 'Compaction score',
    value: formatNumber(s.max_compaction_score),
    detail: null,
    level: levelOf(s.max_compaction_score, cardLevel(compactionLevel(s.max_compaction_score)), reasons, ['compaction_score']),
    hint: `The leader's max tablet compaction score (amber over ${T.compactionWarning}, red over ${T.compactionCritical})`,
  });
  cards.push({
    id: 'jvm-heap',
    label: 'FE JVM heap',
    value: formatPercent(s.jvm_heap_usage_pct),
    detail: s.jvm_heap_used !== null && s.jvm_heap_max !== null ? `${formatBytes(s.jvm_heap_used)} of ${formatBytes(s.jvm_heap_max)}` : null,
    level: levelOf(s.jvm_heap_usage_pct, cardLevel(heapLevel(s.jvm_heap_usage_pct)), reasons, ['jvm_heap_usage']),
    hint: `The fullest FE heap (amber over ${T.heapWarningPct} %, red over ${T.heapCriticalPct} %)`,
  });
  cards.push({
    id: 'tablets',
    label: 'Tablets',
    value: formatNumber(s.tablet_count),
    detail: s.scheduled_tablets ? `${formatNumber(s.scheduled_tablets)} scheduled` : null,
    level: levelOf(s.tablet_count, 'ok', reasons, []),
    hint: 'Tablets of the cluster, and those the FE is repairing or balancing',
  });
  const running = s.load_running ?? s.txn_running;
  cards.push({
    id: 'running-loads',
    label: 'Loads / txns running',
    value: `${formatNumber(s.load_running)} / ${formatNumber(s.txn_running)}`,
    detail: s.routine_load_running !== null ? `${formatNumber(s.routine_load_running)} routine loads` : null,
    level: levelOf(running, 'ok', reasons, []),
    hint: 'Load jobs running (pending to committed) and transactions running, on the leader',
  });
  return cards;
}
