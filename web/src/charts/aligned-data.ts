/**
 * The overview's columnar trends → uPlot's aligned data: the shared, ascending x array (Unix
 * seconds: the answer's `trend_timestamps`) and one y array per series, null where a series has
 * no value. Pure (no DOM), so it is unit-tested in node.
 *
 * Gaps must read as gaps. A null value already breaks a uPlot line when `spanGaps` is false, but
 * a bucket that is missing altogether (no collection ran: the service was down, the cluster was
 * unreachable and the row was never written) has no timestamp and would be bridged by a straight
 * line between its neighbours. So wherever two consecutive x values lie further apart than 1.5
 * buckets, an x holding only nulls is inserted one bucket after the earlier point.
 */
import type { TrendValues } from '@shared/api/overview.js';

/** Structurally uPlot's `AlignedData`, without importing uPlot's DOM-typed declarations. */
export type AlignedSeries = [xs: number[], ...ys: Array<Array<number | null>>];

/** A step larger than this many buckets is a missing bucket. */
export const GAP_FACTOR = 1.5;

/**
 * `series` (each one value per entry of `timestamps`, ascending Unix seconds) with a null row
 * inserted at every missing bucket. `bucketSeconds` is the width of one bucket
 * (`window.bucket_seconds`); 0 or less disables the insertion. A non-finite value counts as null.
 */
export function alignTrends(timestamps: readonly number[], series: ReadonlyArray<TrendValues | undefined>, bucketSeconds: number): AlignedSeries {
  const xs: number[] = [];
  const ys: Array<Array<number | null>> = series.map(() => []);
  const gapThreshold = bucketSeconds * GAP_FACTOR;
  let previousX: number | null = null;
  timestamps.forEach((x, i) => {
    if (previousX !== null && bucketSeconds > 0 && x - previousX > gapThreshold) {
      xs.push(previousX + bucketSeconds);
      for (const y of ys) y.push(null);
    }
    xs.push(x);
    ys.forEach((y, s) => {
      const value = series[s]?.[i];
      y.push(typeof value === 'number' && Number.isFinite(value) ? value : null);
    });
    previousX = x;
  });
  return [xs, ...ys];
}

/** Whether any series holds at least one value (an all-null chart says nothing). */
export function hasAnyValue(data: AlignedSeries): boolean {
  for (let i = 1; i < data.length; i++) {
    if (data[i]?.some((v) => v !== null)) return true;
  }
  return false;
}

/**
 * Indices of values with no value on either side. uPlot draws a line only between two points,
 * so a lone value between gaps would be invisible unless drawn as a point.
 */
export function isolatedIndices(ys: ArrayLike<number | null | undefined>): number[] {
  const found: number[] = [];
  for (let i = 0; i < ys.length; i++) {
    if (ys[i] == null) continue;
    if (ys[i - 1] == null && ys[i + 1] == null) found.push(i);
  }
  return found;
}
