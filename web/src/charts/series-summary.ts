/**
 * The figures of a chart legend, as in a Grafana legend table: the last, mean and max of a
 * series over the window, ignoring gaps. Pure.
 */

export interface SeriesSummary {
  /** The most recent non-null value. */
  last: number | null;
  mean: number | null;
  max: number | null;
}

export function summarise(ys: ReadonlyArray<number | null | undefined>): SeriesSummary {
  let last: number | null = null;
  let max: number | null = null;
  let sum = 0;
  let count = 0;
  for (const y of ys) {
    if (y == null || !Number.isFinite(y)) continue;
    last = y;
    max = max === null || y > max ? y : max;
    sum += y;
    count++;
  }
  return { last, mean: count > 0 ? sum / count : null, max };
}
