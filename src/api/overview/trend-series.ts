/**
 * Which stored column feeds each trend series: a snapshot column at raw resolution, a figure
 * of the daily row at daily resolution (null where the roll-up keeps nothing comparable, so
 * the series shows null points rather than disappearing).
 */
import type { PerformanceTrends, ResourceTrends, WorkloadTrends } from '../../shared/overview-types.js';
import type { DailyColumn, DailyValues } from '../../shared/daily-fields.js';
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

const src = (raw: SnapshotColumn, daily: DailyFigure): SeriesSource => ({ raw, daily });

export const PERFORMANCE_SERIES: Record<keyof PerformanceTrends, SeriesSource> = {
  qps: src('qps', { column: 'avg_qps' }),
  rps: src('rps', { column: 'avg_rps' }),
  latency_p50: src('query_latency_p50', null),
  latency_p95: src('query_latency_p95', { column: 'avg_query_latency_p95' }),
  latency_p99: src('query_latency_p99', { column: 'avg_query_latency_p99' }),
  // The day's error rate is errors ÷ queries of the whole day: the same ratio over a longer interval.
  error_rate: src('query_error_pct', { column: 'error_rate' }),
};

export const RESOURCE_SERIES: Record<keyof ResourceTrends, SeriesSource> = {
  cpu_usage: src('avg_cpu_usage', { column: 'avg_avg_cpu_usage' }),
  memory_usage: src('avg_memory_usage', { column: 'avg_avg_memory_usage' }),
  disk_usage: src('disk_usage_pct', { column: 'avg_disk_usage_pct' }),
  jvm_heap_usage: src('jvm_heap_usage_pct', { column: 'avg_jvm_heap_usage_pct' }),
  network_tx: src('network_send_rate', null),
  network_rx: src('network_receive_rate', null),
  io_read: src('io_read_rate', null),
  io_write: src('io_write_rate', null),
};

export const WORKLOAD_SERIES: Record<keyof WorkloadTrends, SeriesSource> = {
  txn_begin: src('txn_begin', { perCollection: 'total_txn_begin' }),
  txn_success: src('txn_success', { perCollection: 'total_txn_success' }),
  txn_failed: src('txn_failed', { perCollection: 'total_txn_failed' }),
  txn_running: src('txn_running', null),
  load_running: src('load_running', null),
  loads_finished: src('loads_finished', { perCollection: 'total_loads_finished' }),
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
