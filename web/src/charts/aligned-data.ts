/**
 * TrendPoint arrays → uPlot's aligned data: one shared, ascending x array (Unix seconds) and
 * one y array per series, null where a series has no value. Pure (no DOM), so it is unit-tested
 * in node.
 *
 * Gaps must read as gaps. A null value already breaks a uPlot line when `spanGaps` is false, but
 * a bucket that is missing altogether (no collection ran: the service was down, the cluster was
 * unreachable and the row was never written) would be bridged by a straight line between its
 * neighbours. So wherever two consecutive x values lie further apart than 1.5 buckets, an x
 * holding only nulls is inserted one bucket after the earlier point.
 */
import type { TrendPoint } from '@shared/api/overview.js';

/** Structurally uPlot's `AlignedData`, without importing uPlot's DOM-typed declarations. */
export type AlignedSeries = [xs: number[], ...ys: Array<Array<number | null>>];

/** A step larger than this many buckets is a missing bucket. */
export const GAP_FACTOR = 1.5;

/**
 * Aligns `trends` (each one series, in any order) on the union of their timestamps.
 * `bucketSeconds` is the width of one bucket (`window.bucket_seconds`); 0 or less disables the
 * insertion of gaps for missing buckets. Points with an unreadable timestamp are dropped; a
 * non-finite value counts as null.
 */
export function alignTrends(trends: ReadonlyArray<readonly TrendPoint[]>, bucketSeconds: number): AlignedSeries {
  const rows = new Map<number, Array<number | null>>();
  trends.forEach((points, seriesIndex) => {
    for (const point of points) {
      const ms = Date.parse(point.timestamp);
      if (Number.isNaN(ms)) continue;
      const x = ms / 1000;
      let row = rows.get(x);
      if (row === undefined) {
        row = new Array<number | null>(trends.length).fill(null);
        rows.set(x, row);
      }
      row[seriesIndex] = point.value !== null && Number.isFinite(point.value) ? point.value : null;
    }
  });

  const sortedXs = [...rows.keys()].sort((a, b) => a - b);
  const xs: number[] = [];
  const ys: Array<Array<number | null>> = trends.map(() => []);
  const gapThreshold = bucketSeconds * GAP_FACTOR;
  let previousX: number | null = null;
  for (const x of sortedXs) {
    if (previousX !== null && bucketSeconds > 0 && x - previousX > gapThreshold) {
      xs.push(previousX + bucketSeconds);
      for (const y of ys) y.push(null);
    }
    const row = rows.get(x) ?? [];
    xs.push(x);
    ys.forEach((y, i) => y.push(row[i] ?? null));
    previousX = x;
  }
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
