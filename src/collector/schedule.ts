/**
 * When each cluster is collected: a stable offset inside the interval (so a fleet's requests
 * are spread over it, as Prometheus spreads its targets) and a lengthening wait after
 * consecutive failures. Pure: times in, times out.
 */

/** FNV-1a of the cluster id: stable across restarts and processes. */
function hash32(value: number): number {
  let h = 0x811c9dc5;
  for (const ch of String(value)) {
    h ^= ch.charCodeAt(0);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** Milliseconds after the start of each interval at which this cluster is collected. */
export function clusterOffsetMs(clusterId: number, intervalMs: number): number {
  return hash32(clusterId) % intervalMs;
}

/** The first collection time of this cluster strictly after `afterMs`. */
export function nextSlotMs(clusterId: number, intervalMs: number, afterMs: number): number {
  const offset = clusterOffsetMs(clusterId, intervalMs);
  const base = Math.floor(afterMs / intervalMs) * intervalMs + offset;
  return base > afterMs ? base : base + intervalMs;
}

/**
 * The slot `atMs` falls in: this cluster's last collection instant at or before it. A scheduled
 * collection stores it (metrics_snapshots.slot_at, unique per cluster), so two instances that
 * both collect a cluster in one interval, however far apart, cannot both store a row.
 */
export function slotStartMs(clusterId: number, intervalMs: number, atMs: number): number {
  return nextSlotMs(clusterId, intervalMs, atMs) - intervalMs;
}

export interface BackoffPolicy {
  /** Each consecutive failure multiplies the wait by this. */
  readonly factor: number;
  /** The wait never exceeds this many intervals. */
  readonly maxIntervals: number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = { factor: 2, maxIntervals: 10 };

/**
 * Intervals to wait before the next attempt after `failures` consecutive failed collections:
 * 1 after none or one, then ×factor per failure, capped.
 */
export function backoffIntervals(failures: number, policy: BackoffPolicy = DEFAULT_BACKOFF): number {
  if (failures <= 1) return 1;
  return Math.min(policy.maxIntervals, Math.round(policy.factor ** (failures - 1)));
}

/**
 * A cluster's own interval (`collect_interval`, seconds) rounded up to a whole number of global
 * intervals, so its collections still fall on its slot; the global interval when it has none.
 */
export function effectiveIntervalMs(globalMs: number, collectIntervalSecs: number | null): number {
  if (collectIntervalSecs === null) return globalMs;
  return Math.max(1, Math.ceil((collectIntervalSecs * 1000) / globalMs)) * globalMs;
}

/**
 * How far behind a cluster's collection is, in ms: while its due collection waits for a free
 * slot, how long it has waited; otherwise how late the last one started after its due instant.
 */
export function collectionLagMs(state: { readonly nextAttemptAt: number; readonly running: boolean; readonly lagMs: number }, now: number): number {
  return state.running ? state.lagMs : Math.max(state.lagMs, now - state.nextAttemptAt);
}
