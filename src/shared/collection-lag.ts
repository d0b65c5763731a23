/**
 * When a collection counts as late: the scheduler warns about late starts by this rule, the API
 * marks a cluster's collection state `late` by it, and the console shows the lag of such a
 * cluster. A start a little after its slot is normal (the slot is an instant, a collection takes
 * a moment to be picked up); a quarter of the interval is not.
 */
export const LATE_SHARE_OF_INTERVAL = 0.25;

export function isLateStart(lagMs: number, intervalMs: number): boolean {
  return lagMs > intervalMs * LATE_SHARE_OF_INTERVAL;
}
