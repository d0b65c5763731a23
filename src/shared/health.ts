/**
 * What decides a cluster's health, in one place for the server (src/api/overview/health-score.ts
 * turns the levels into reasons, penalties and a score) and the web console (the health cards'
 * colours, the charts' threshold lines, the order of the status buttons). Pure.
 *
 * Levels: a figure is judged when it exceeds a threshold strictly; a figure that was not
 * measured (null) is never judged.
 *
 * Statuses, worst first: `unreachable`, `critical`, `warning`, `pending`, `healthy`. An
 * unreachable cluster comes before a critical one: the latest collection reached nothing, so
 * nothing rules out the worst (the FEs down and every query failing), and what a critical
 * cluster shows is at least known and bounded. It is also what the score says: reaching nothing
 * costs 100 points, so an unreachable cluster scores 0, the lowest there is, and sorting by
 * status and by score put the same clusters first. `pending` (never collected yet) is no alarm,
 * but is not known to be fine either: just before `healthy`.
 */

export const HEALTH_THRESHOLDS = {
  /** The latest snapshot is stale when older than this many collection intervals. */
  staleIntervals: 3,
  /** The fullest disk (else the cluster's disks), %. */
  diskWarningPct: 80,
  diskCriticalPct: 90,
  /** The leader's max tablet compaction score. */
  compactionWarning: 100,
  compactionCritical: 500,
  /** Average CPU use of the alive BEs/CNs, %. */
  cpuWarningPct: 90,
  /** The fullest FE JVM heap, %. */
  heapWarningPct: 80,
  heapCriticalPct: 90,
  /** Share of the interval's queries that failed, %. */
  errorWarningPct: 5,
  errorCriticalPct: 25,
  /** Fewer queries in the interval make the error share noise: no reason below this. */
  errorMinQueries: 10,
} as const;

const T = HEALTH_THRESHOLDS;

/** Every status, worst first (see above): the fleet's order and its status buttons'. */
export const HEALTH_STATUSES = ['unreachable', 'critical', 'warning', 'pending', 'healthy'] as const;
export type HealthStatus = (typeof HEALTH_STATUSES)[number];

/** 0 for the worst status, 4 for `healthy`. */
export function urgencyRank(status: HealthStatus): number {
  return HEALTH_STATUSES.indexOf(status);
}

export type HealthLevel = 'ok' | 'warning' | 'critical';

/** Level of a value against a warning (and optional critical) threshold, exceeded strictly. */
export function levelAbove(value: number | null, warning: number, critical?: number): HealthLevel | null {
  if (value === null) return null;
  if (critical !== undefined && value > critical) return 'critical';
  return value > warning ? 'warning' : 'ok';
}

/** Backends or compute nodes alive of total: any node down is critical (its tablets or its work are gone). */
export function nodesAliveLevel(alive: number | null, total: number | null): HealthLevel | null {
  if (alive === null || total === null) return null;
  return alive < total ? 'critical' : 'ok';
}

/**
 * Frontends alive of total, by the metadata quorum: one down is a warning, half or more down is
 * critical (the FEs elect a leader and write metadata by majority).
 */
export function frontendsAliveLevel(alive: number | null, total: number | null): HealthLevel | null {
  if (alive === null || total === null) return null;
  const down = total - alive;
  if (down <= 0) return 'ok';
  return down * 2 >= total ? 'critical' : 'warning';
}

/** The disk figure judged: the fullest disk when the nodes report it (one full disk stops a BE's writes), else all disks. */
export function judgedDiskPct(figures: { readonly disk_max_usage_pct: number | null; readonly disk_usage_pct: number | null }): number | null {
  return figures.disk_max_usage_pct ?? figures.disk_usage_pct;
}

export const diskLevel = (pct: number | null) => levelAbove(pct, T.diskWarningPct, T.diskCriticalPct);
export const compactionLevel = (score: number | null) => levelAbove(score, T.compactionWarning, T.compactionCritical);
export const cpuLevel = (pct: number | null) => levelAbove(pct, T.cpuWarningPct);
export const heapLevel = (pct: number | null) => levelAbove(pct, T.heapWarningPct, T.heapCriticalPct);

/** The share of failed queries, judged only with enough queries in the interval to mean something. */
export function queryErrorLevel(pct: number | null, queries: number | null): HealthLevel | null {
  if (pct === null) return null;
  return (queries ?? 0) >= T.errorMinQueries ? levelAbove(pct, T.errorWarningPct, T.errorCriticalPct) : 'ok';
}

/**
 * The status of a collected cluster: unreachable when its latest collection reached nothing,
 * else its worst reason's level (healthy without reasons).
 */
export function statusOf(reachedNothing: boolean, reasons: readonly { readonly level: 'warning' | 'critical' }[]): HealthStatus {
  if (reachedNothing) return 'unreachable';
  if (reasons.some((r) => r.level === 'critical')) return 'critical';
  return reasons.length > 0 ? 'warning' : 'healthy';
}
