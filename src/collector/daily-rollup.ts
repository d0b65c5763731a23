/**
 * One cluster's day → one daily row, from the day's 5-minute tier buckets (the tiers keep exact
 * sums, counts, minima and maxima, so this never reads the day's raw snapshots): for each field
 * kept as `daily: 'stats'` its average (Σsum ÷ Σcount, exact), minimum, maximum (exact) and the
 * nearest-rank 95th percentile of its 5-minute averages; **the total of each delta** (never of a
 * cumulative counter); derived fields from the day's totals (the day's error share);
 * availability (the share of collections that reached the cluster); and data growth from the
 * day's first and last 5-minute average of `data_used_bytes`. Which field gets what comes from
 * the catalogue. Pure: bucket rows in, values out.
 */
import { type CustomFigures, customFiguresJson, mergeCustomFigures, parseCustomFigures } from '../shared/custom-figures.js';
import { DAILY_STATISTICS, dailyRollupOf, type DailyValues } from '../shared/daily-fields.js';
import { type FieldCatalogue, SNAPSHOT_FIELDS } from '../shared/snapshot-fields.js';

/** A tier bucket as stored: its counts and the `sum_`, `n_`, `min_`, `max_` columns of each field. */
export type TierBucket = Readonly<Record<string, unknown>> & { readonly bucket_start: number; readonly samples: number; readonly reachable_samples: number };

const num = (value: unknown): number | null => (typeof value === 'number' && Number.isFinite(value) ? value : null);

/** Nearest-rank percentile of sorted values. */
function percentile(sorted: readonly number[], p: number): number | null {
  if (sorted.length === 0) return null;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? null;
}

/** Σsum and Σcount of a field over buckets; the mean of each bucket that has the field. */
function gather(buckets: readonly TierBucket[], field: string) {
  let sum = 0;
  let n = 0;
  let min: number | null = null;
  let max: number | null = null;
  const means: number[] = [];
  for (const b of buckets) {
    const count = num(b[`n_${field}`]) ?? 0;
    const s = num(b[`sum_${field}`]);
    if (count > 0 && s !== null) {
      sum += s;
      n += count;
      means.push(s / count);
    }
    const low = num(b[`min_${field}`]);
    const high = num(b[`max_${field}`]);
    if (low !== null && (min === null || low < min)) min = low;
    if (high !== null && (max === null || high > max)) max = high;
  }
  return { sum: n === 0 ? null : sum, mean: n === 0 ? null : sum / n, min, max, means };
}

const STAT: Record<(typeof DAILY_STATISTICS)[number], (g: ReturnType<typeof gather>) => number | null> = {
  avg: (g) => g.mean,
  min: (g) => g.min,
  max: (g) => g.max,
  p95: (g) => percentile([...g.means].sort((a, b) => a - b), 95),
};

/** The day's row for these fields (the built-in catalogue unless given): every column of `dailyColumnsOf(fields)`. */
export function dailyFromTier(rows: readonly TierBucket[], fields: FieldCatalogue = SNAPSHOT_FIELDS): DailyValues {
  const buckets = [...rows].sort((a, b) => a.bucket_start - b.bucket_start);
  const out: Record<string, number | null> = {};
  // A derived field is worked out again from the day's totals of its deltas (errors ÷ queries of
  // the whole day) and the day's averages of anything else.
  const dayValue: Record<string, number | null> = {};
  for (const f of fields) {
    const mode = dailyRollupOf(f);
    if (mode === 'none' || mode === 'recompute') continue;
    const g = gather(buckets, f.name);
    if (mode === 'sum') {
      out[`total_${f.name}`] = dayValue[f.name] = g.sum;
    } else {
      dayValue[f.name] = g.mean;
      for (const s of DAILY_STATISTICS) out[`${s}_${f.name}`] = STAT[s](g);
    }
  }
  for (const f of fields) {
    if (dailyRollupOf(f) !== 'recompute') continue;
    if (f.value.type !== 'derived') throw new Error(`snapshot field ${f.name} is kept as "recompute" in daily rows but is not derived`);
    const { inputs, derive } = f.value;
    out[f.name] = derive(Object.fromEntries(inputs.map((i) => [i, dayValue[i] ?? null])));
  }
  out.samples = buckets.reduce((total, b) => total + b.samples, 0);
  out.reachable_samples = buckets.reduce((total, b) => total + b.reachable_samples, 0);
  out.availability_pct = out.samples === 0 ? null : (out.reachable_samples / out.samples) * 100;
  const sizes = gather(buckets, 'data_used_bytes').means;
  // Bytes are whole: the averages are rounded.
  const first = sizes[0];
  const last = sizes.at(-1);
  out.data_size_start = first === undefined ? null : Math.round(first);
  out.data_size_end = last === undefined ? null : Math.round(last);
  out.data_growth_bytes = first === undefined || last === undefined ? null : Math.round(last) - Math.round(first);
  return out as DailyValues;
}

/** The day's custom figures (`custom_figures`, shared/custom-figures.ts): its buckets' merged, exact as theirs; null without any. */
export function dailyCustomFiguresFromTier(rows: readonly TierBucket[]): string | null {
  const day: CustomFigures = new Map();
  for (const row of rows) mergeCustomFigures(day, parseCustomFigures(typeof row.custom_figures === 'string' ? row.custom_figures : null));
  return customFiguresJson(day);
}
