/**
 * The custom metrics' figures over a span (a tier bucket, a day): for each metric that had a
 * value in it, `[sum, n, max]` of its values, as a JSON object `{name: [sum, n, max]}` in one
 * text column (`custom_figures` of metrics_5m, metrics_1h and daily_snapshots), so defining a
 * metric takes no schema change. The same aggregates a tier keeps of a built-in gauge but its
 * minimum: they merge exactly into any coarser span (mean = Σsum ÷ Σn, max = max of maxima).
 * A metric with no value in the span is absent. Pure.
 */

/** One metric's sum, count and maximum of its values over a span. */
export type CustomFigure = [sum: number, n: number, max: number];
export type CustomFigures = Map<string, CustomFigure>;

const finite = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value);

/** A JSON object, or an empty one when null or unreadable: what a snapshot's `custom_values` and a bucket's `custom_figures` hold. */
export function parseObject(text: string | null | undefined): Record<string, unknown> {
  if (text === null || text === undefined || text === '') return {};
  try {
    const parsed: unknown = JSON.parse(text);
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : {};
  } catch {
    // An unreadable column holds nothing (as the API reads custom_values: presenters/custom-values.ts).
    return {};
  }
}

/** A `custom_figures` column as stored; anything unreadable is left out. */
export function parseCustomFigures(text: string | null | undefined): CustomFigures {
  const figures: CustomFigures = new Map();
  for (const [name, figure] of Object.entries(parseObject(text))) {
    if (!Array.isArray(figure)) continue;
    const [sum, n, max] = figure as unknown[];
    if (finite(sum) && finite(n) && n > 0 && finite(max)) figures.set(name, [sum, n, max]);
  }
  return figures;
}

/** Adds one snapshot's values (its `custom_values` column) to figures: each number counts once. */
export function addCustomValues(into: CustomFigures, customValues: string | null | undefined): CustomFigures {
  for (const [name, value] of Object.entries(parseObject(customValues))) {
    if (!finite(value)) continue;
    const figure = into.get(name);
    if (figure === undefined) into.set(name, [value, 1, value]);
    else into.set(name, [figure[0] + value, figure[1] + 1, Math.max(figure[2], value)]);
  }
  return into;
}

/** Adds figures of another span to `into`: sums and counts add up, the maximum is the higher. */
export function mergeCustomFigures(into: CustomFigures, other: CustomFigures): CustomFigures {
  for (const [name, [sum, n, max]] of other) {
    const figure = into.get(name);
    into.set(name, figure === undefined ? [sum, n, max] : [figure[0] + sum, figure[1] + n, Math.max(figure[2], max)]);
  }
  return into;
}

/** The column's text: null when no metric had a value (a bucket of rows without custom values stays null). */
export function customFiguresJson(figures: CustomFigures): string | null {
  return figures.size === 0 ? null : JSON.stringify(Object.fromEntries(figures));
}

/** One snapshot's contribution to its buckets, as the column's text: `{name: [value, 1, value]}`, or null. */
export function snapshotCustomFigures(customValues: string | null | undefined): string | null {
  return customFiguresJson(addCustomValues(new Map<string, CustomFigure>(), customValues));
}

/** Snapshots' figures by bucket (`bucketOf` their collection instant), for the back-fill of old snapshots. */
export function customFiguresByBucket(rows: Iterable<{ readonly collected_at: number; readonly custom_values: string | null }>, bucketOf: (at: number) => number): Map<number, CustomFigures> {
  const buckets = new Map<number, CustomFigures>();
  for (const row of rows) {
    const bucket = bucketOf(Number(row.collected_at));
    let figures = buckets.get(bucket);
    if (figures === undefined) buckets.set(bucket, (figures = new Map<string, CustomFigure>()));
    addCustomValues(figures, row.custom_values);
  }
  return buckets;
}
