/**
 * One cluster's day of snapshots → one daily row: average, minimum, maximum and 95th percentile
 * of the main gauges, **sums of the per-interval deltas** (never of cumulative counters), the
 * error rate, availability (the share of collections that reached the cluster) and data growth.
 * Pure: rows in, values out.
 */
import { DAILY_GAUGES, DAILY_SUMS, type DailyValues } from '../shared/daily-fields.js';

type Row = Readonly<Record<string, unknown>> & { readonly collected_at: number; readonly collect_status: string | null };

const numbers = (rows: readonly Row[], field: string): number[] =>
  rows.map((r) => r[field]).filter((v): v is number => typeof v === 'number' && Number.isFinite(v));

/** Nearest-rank percentile of sorted values. */
function percentile(sorted: readonly number[], p: number): number | null {
  if (sorted.length === 0) return null;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? null;
}

export function dailyRollup(rows: readonly Row[]): DailyValues {
  const ordered = [...rows].sort((a, b) => a.collected_at - b.collected_at);
  // Filled column by column; a test checks that every daily column is set.
  const out = {} as Record<string, number | null> & Partial<DailyValues>;
  for (const gauge of DAILY_GAUGES) {
    const values = numbers(ordered, gauge);
    const sorted = [...values].sort((a, b) => a - b);
    out[`avg_${gauge}`] = values.length === 0 ? null : values.reduce((a, b) => a + b, 0) / values.length;
    out[`min_${gauge}`] = sorted[0] ?? null;
    out[`max_${gauge}`] = sorted.at(-1) ?? null;
    out[`p95_${gauge}`] = percentile(sorted, 95);
  }
  for (const delta of DAILY_SUMS) {
    const values = numbers(ordered, delta);
    out[`total_${delta}`] = values.length === 0 ? null : values.reduce((a, b) => a + b, 0);
  }
  const queries = out.total_queries ?? null;
  const errors = out.total_query_errors ?? null;
  out.error_rate = queries !== null && errors !== null && queries > 0 ? (errors / queries) * 100 : null;
  out.samples = ordered.length;
  out.reachable_samples = ordered.filter((r) => r.collect_status === 'ok' || r.collect_status === 'partial').length;
  out.availability_pct = ordered.length === 0 ? null : (out.reachable_samples / ordered.length) * 100;
  const sizes = numbers(ordered, 'data_used_bytes');
  out.data_size_start = sizes[0] ?? null;
  out.data_size_end = sizes.at(-1) ?? null;
  out.data_growth_bytes = sizes.length === 0 ? null : (sizes.at(-1) ?? 0) - (sizes[0] ?? 0);
  return out as DailyValues;
}
