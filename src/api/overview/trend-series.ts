/**
 * Which stored column feeds each trend series: a snapshot column at raw resolution, a figure
 * of the daily row at daily resolution (null where the roll-up keeps nothing comparable, so
 * the series shows null points rather than disappearing).
 */
import type { PerformanceTrends, ResourceTrends, WorkloadTrends } from '../../shared/overview-types.js';
import { type DailyColumn, dailyRollupOf, type DailyValues } from '../../shared/daily-fields.js';
import { SNAPSHOT_FIELDS } from '../../shared/snapshot-fields.js';
import type { SnapshotColumn } from '../../storage/repos/snapshots.repo.js';

type DailyFigure = { readonly column: DailyColumn } | { readonly perCollection: DailyColumn } | null;

export interface SeriesSource {
  readonly raw: SnapshotColumn;
  /**
   * `column`: the day's average of the gauge; `perCollection`: a day's total of a
   * per-interval delta ÷ the collections that reached the cluster, i.e. the average per
   * collection, the same unit as the raw bucket average of the deltas.
   */
  readonly daily: DailyFigure;
}

/** What a daily row keeps of the field, as the catalogue says (avg for stats, the day's own figure for recomputed ones, totals of deltas). */
function dailyFigureOf(name: string): DailyFigure {
  const f = SNAPSHOT_FIELDS.find((x) => x.name === name);
  const mode = f ? dailyRollupOf(f) : 'none';
  if (mode === 'stats') return { column: `avg_${name}` as DailyColumn };
  if (mode === 'recompute') return { column: name as DailyColumn };
  if (mode === 'sum') return { perCollection: `total_${name}` as DailyColumn };
  return null;
}

const src = (raw: SnapshotColumn): SeriesSource => ({ raw, daily: dailyFigureOf(raw) });

export const PERFORMANCE_SERIES: Record<keyof PerformanceTrends, SeriesSource> = {
  qps: src('qps'),
  rps: src('rps'),
  latency_p50: src('query_latency_p50'),
  latency_p95: src('query_latency_p95'),
  latency_p99: src('query_latency_p99'),
  // A day's error share is errors ÷ queries of the whole day: the same ratio over a longer interval.
  error_rate: src('query_error_pct'),
};

export const RESOURCE_SERIES: Record<keyof ResourceTrends, SeriesSource> = {
  cpu_usage: src('avg_cpu_usage'),
  memory_usage: src('avg_memory_usage'),
  disk_usage: src('disk_usage_pct'),
  jvm_heap_usage: src('jvm_heap_usage_pct'),
  network_tx: src('network_send_rate'),
  network_rx: src('network_receive_rate'),
  io_read: src('io_read_rate'),
  io_write: src('io_write_rate'),
};

export const WORKLOAD_SERIES: Record<keyof WorkloadTrends, SeriesSource> = {
  txn_begin: src('txn_begin'),
  txn_success: src('txn_success'),
  txn_failed: src('txn_failed'),
  txn_running: src('txn_running'),
  load_running: src('load_running'),
  loads_finished: src('loads_finished'),
};

/** Every series; each reads its own raw column, which therefore also names it. */
export const ALL_SERIES: readonly SeriesSource[] = [PERFORMANCE_SERIES, RESOURCE_SERIES, WORKLOAD_SERIES].flatMap((group) => Object.values(group));

/** Every snapshot column a trend reads. */
export const RAW_TREND_COLUMNS: readonly SnapshotColumn[] = [...new Set(ALL_SERIES.map((s) => s.raw))];

/** Every daily column a trend reads. */
export const DAILY_TREND_COLUMNS: readonly DailyColumn[] = [
  ...new Set(ALL_SERIES.flatMap((s) => (s.daily === null ? [] : ['column' in s.daily ? s.daily.column : s.daily.perCollection]))),
  'reachable_samples',
];

/** The value of a series on a daily row. */
export function dailyValue(source: SeriesSource, row: Readonly<Partial<DailyValues>>): number | null {
  const figure = source.daily;
  if (figure === null) return null;
  if ('column' in figure) return row[figure.column] ?? null;
  const total = row[figure.perCollection] ?? null;
  const collections = row.reachable_samples ?? 0;
  return total === null || collections === 0 ? null : total / collections;
}
