/**
 * The thresholds of the health score, in one place for the server (src/api/overview/health-score.ts,
 * which turns them into reasons and penalties) and the web console (the health cards' colours and
 * the charts' threshold lines). A value is judged when it exceeds a threshold strictly. Pure.
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

export type HealthThresholds = typeof HEALTH_THRESHOLDS;
