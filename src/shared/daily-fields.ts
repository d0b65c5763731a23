/**
 * The columns of a daily row (`daily_snapshots`): statistics of the main gauges, totals of the
 * per-interval deltas, and the day's derived figures. Shared by the roll-up, the storage types
 * and the API.
 */

/** Gauges and rates rolled up as avg_/min_/max_/p95_<field>. */
export const DAILY_GAUGES = [
  'qps', 'rps', 'query_error_rate', 'query_latency_p95', 'query_latency_p99', 'avg_cpu_usage', 'max_cpu_usage',
  'avg_memory_usage', 'disk_usage_pct', 'disk_max_usage_pct', 'jvm_heap_usage_pct', 'connections', 'backend_alive',
  'compute_node_alive', 'frontend_alive', 'tablet_count', 'max_compaction_score', 'running_queries',
] as const;

/** Every `delta` field of the snapshot (a test keeps the list equal to the catalogue's), rolled up as total_<field>. */
export const DAILY_SUMS = [
  'queries', 'requests', 'query_errors', 'query_timeouts', 'slow_queries', 'queued_queries', 'query_queue_timeouts',
  'young_gc_count', 'young_gc_time_ms', 'old_gc_count', 'old_gc_time_ms', 'txn_begin', 'txn_success', 'txn_failed',
  'txn_reject', 'loads_finished', 'routine_load_rows', 'edit_log_writes',
] as const;

export const DAILY_STATISTICS = ['avg', 'min', 'max', 'p95'] as const;

export const DAILY_DERIVED = ['error_rate', 'samples', 'reachable_samples', 'availability_pct', 'data_size_start', 'data_size_end', 'data_growth_bytes'] as const;

export type DailyColumn =
  | `${(typeof DAILY_STATISTICS)[number]}_${(typeof DAILY_GAUGES)[number]}`
  | `total_${(typeof DAILY_SUMS)[number]}`
  | (typeof DAILY_DERIVED)[number];

export type DailyValues = { [K in DailyColumn]: number | null };

export const DAILY_COLUMNS: readonly DailyColumn[] = [
  ...DAILY_GAUGES.flatMap((g) => DAILY_STATISTICS.map((s) => `${s}_${g}` as const)),
  ...DAILY_SUMS.map((d) => `total_${d}` as const),
  ...DAILY_DERIVED,
];
