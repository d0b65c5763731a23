/**
 * Whether a fleet was collected on time, from the rows Stellar stored (pure). Each cluster has a
 * slot in every interval (its offset, from the scheduler's own `clusterOffsetMs`); a slot is
 * served by the first row collected within one interval after it, and its lag is how long after
 * the slot that row was collected. A slot no row served is a missed cycle.
 */

export interface StoredRow {
  readonly clusterId: number;
  /** Epoch ms when the collection began (`metrics_snapshots.collected_at`). */
  readonly collectedAt: number;
}

export interface SlotFigures {
  /** Slots in the window, over every cluster. */
  readonly slots: number;
  readonly missed: number;
  /** Lag of every served slot, ms. */
  readonly lagsMs: readonly number[];
  /** Mean time between a cluster's consecutive rows in the window, ms (null: too few rows). */
  readonly meanGapMs: number | null;
}

/**
 * Slots `s` with `fromMs <= s` and `s + intervalMs <= toMs`, so that every row that could serve
 * them was collected before `toMs`.
 */
export function slotFigures(
  rows: readonly StoredRow[],
  clusterIds: readonly number[],
  intervalMs: number,
  offsetMs: (clusterId: number) => number,
  fromMs: number,
  toMs: number,
): SlotFigures {
  const byCluster = new Map<number, number[]>(clusterIds.map((id) => [id, []]));
  for (const row of rows) byCluster.get(row.clusterId)?.push(row.collectedAt);
  let slots = 0;
  let missed = 0;
  const lagsMs: number[] = [];
  let gapSum = 0;
  let gaps = 0;
  for (const [id, times] of byCluster) {
    times.sort((a, b) => a - b);
    const offset = offsetMs(id);
    let slot = Math.ceil((fromMs - offset) / intervalMs) * intervalMs + offset;
    let next = 0;
    for (; slot + intervalMs <= toMs; slot += intervalMs) {
      slots += 1;
      while (next < times.length && (times[next] ?? 0) < slot) next += 1;
      const at = times[next];
      if (at === undefined || at >= slot + intervalMs) missed += 1;
      else lagsMs.push(at - slot);
    }
    const inWindow = times.filter((t) => t >= fromMs && t < toMs);
    for (let i = 1; i < inWindow.length; i += 1) {
      gapSum += (inWindow[i] ?? 0) - (inWindow[i - 1] ?? 0);
      gaps += 1;
    }
  }
  return { slots, missed, lagsMs, meanGapMs: gaps > 0 ? gapSum / gaps : null };
}

/** The nearest-rank percentile (0–100) of the values; null when there are none. */
export function percentile(values: readonly number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1] ?? null;
}

/** The median of the values; null when there are none. */
export function median(values: readonly number[]): number | null {
  return percentile(values, 50);
}
