/**
 * One cluster's day of snapshots → one daily row: average, minimum, maximum and 95th percentile
 * of the fields kept as `daily: 'stats'`, **sums of the per-interval deltas** (never of
 * cumulative counters), derived fields from the day's totals (the day's error share),
 * availability (the share of collections that reached the cluster) and data growth. Which
 * field gets what comes from the catalogue. Pure: rows in, values out.
 */
import { DAILY_STATISTICS, dailyRollupOf, type DailyValues } from '../shared/daily-fields.js';
import { type FieldCatalogue, SNAPSHOT_FIELDS } from '../shared/snapshot-fields.js';

type Row = Readonly<Record<string, unknown>> & { readonly collected_at: number; readonly collect_status: string | null };

const numbers = (rows: readonly Row[], field: string): number[] =>
  rows.map((r) => r[field]).filter((v): v is number => typeof v === 'number' && Number.isFinite(v));

/** Nearest-rank percentile of sorted values. */
function percentile(sorted: readonly number[], p: number): number | null {
  if (sorted.length === 0) return null;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? null;
}

const STAT: Record<(typeof DAILY_STATISTICS)[number], (sorted: readonly number[]) => number | null> = {
  avg: (sorted) => (sorted.length === 0 ? null : sorted.reduce((a, b) => a + b, 0) / sorted.length),
  min: (sorted) => sorted[0] ?? null,
  max: (sorted) => sorted.at(-1) ?? null,
  p95: (sorted) => percentile(sorted, 95),
};

/** The day's row for these fields (the built-in catalogue unless given): every column of `dailyColumnsOf(fields)`. */
export function dailyRollup(rows: readonly Row[], fields: FieldCatalogue = SNAPSHOT_FIELDS): DailyValues {
  const ordered = [...rows].sort((a, b) => a.collected_at - b.collected_at);
  const out: Record<string, number | null> = {};
  // A derived field is worked out again from the day's totals of its deltas (errors ÷ queries
  // of the whole day) and the day's averages of anything else.
  const dayValue: Record<string, number | null> = {};
  for (const f of fields) {
    const mode = dailyRollupOf(f);
    if (mode === 'sum') {
      const values = numbers(ordered, f.name);
      out[`total_${f.name}`] = dayValue[f.name] = values.length === 0 ? null : values.reduce((a, b) => a + b, 0);
    } else if (f.column !== 'text') {
      const sorted = numbers(ordered, f.name).sort((a, b) => a - b);
      dayValue[f.name] = STAT.avg(sorted);
      if (mode === 'stats') for (const s of DAILY_STATISTICS) out[`${s}_${f.name}`] = STAT[s](sorted);
    }
  }
  for (const f of fields) {
    if (dailyRollupOf(f) !== 'recompute') continue;
    if (f.value.type !== 'derived') throw new Error(`snapshot field ${f.name} is kept as "recompute" in daily rows but is not derived`);
    const { inputs, derive } = f.value;
    out[f.name] = derive(Object.fromEntries(inputs.map((i) => [i, dayValue[i] ?? null])));
  }
  out.samples = ordered.length;
  out.reachable_samples = ordered.filter((r) => r.collect_status === 'ok' || r.collect_status === 'partial').length;
  out.availability_pct = ordered.length === 0 ? null : (out.reachable_samples / ordered.length) * 100;
  const sizes = numbers(ordered, 'data_used_bytes');
  out.data_size_start = sizes[0] ?? null;
  out.data_size_end = sizes.at(-1) ?? null;
  out.data_growth_bytes = sizes.length === 0 ? null : (sizes.at(-1) ?? 0) - (sizes[0] ?? 0);
  return out as DailyValues;
}
