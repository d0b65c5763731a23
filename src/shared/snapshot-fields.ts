/**
 * Every field of a metrics snapshot: its unit, how it behaves over time, where it comes from
 * and how it is computed. The snapshot builder fills them, the storage has a column for each,
 * docs/metrics.md is generated from this list (a test keeps it so), and the daily roll-up
 * reads `kind` to know whether to average a field or to sum it.
 *
 * Kinds: `gauge` a level at collection time; `rate` per second over the interval since the
 * previous scrape; `delta` events during that interval; `total` a cumulative counter as the
 * FEs report it (restarts lower it); `info` a label.
 */

export type FieldKind = 'gauge' | 'rate' | 'delta' | 'total' | 'info';

export interface SnapshotField<N extends string = string> {
  readonly name: N;
  readonly unit: string;
  readonly kind: FieldKind;
  /** Endpoint and family or column it is read from, and from which FE. */
  readonly source: string;
  readonly formula: string;
}

const f = <N extends string>(name: N, unit: string, kind: FieldKind, source: string, formula: string): SnapshotField<N> => ({ name, unit, kind, source, formula });

const FE = 'FE `/metrics`';
const LEADER = 'FE `/metrics` of the leader';
const BACKENDS = 'backends and compute nodes (`/api/show_proc` or `SHOW BACKENDS`/`SHOW COMPUTE NODES`)';
const FRONTENDS = 'frontends (`/api/show_proc?path=/frontends` or `SHOW FRONTENDS`)';
const BE = 'BE `/metrics` (only with the `be_metrics` source, `[metrics] scrape_backends`)';
const RUNTIME = 'with the `runtime_info` source, `/api/show_runtime_info` of an FE whose `/metrics` has no JVM families';
const DELTA = 'Σ over FEs scraped now and at the previous collection of the increase (a counter that went down counts its new value)';

export const SNAPSHOT_FIELDS = [
  // Queries
  f('qps', 'queries/s', 'rate', `${FE} \`starrocks_fe_query_total\`, every alive FE`, `${DELTA} ÷ seconds between the scrapes; on the first collection Σ of the FEs' \`starrocks_fe_qps\` gauges`),
  f('rps', 'requests/s', 'rate', `${FE} \`starrocks_fe_request_total\`, every alive FE`, 'as qps, from `request_total` (every MySQL command) and the `starrocks_fe_rps` gauges'),
  f('query_error_rate', 'errors/s', 'rate', `${FE} \`starrocks_fe_query_err\`, every alive FE`, 'as qps, from `query_err` and the `starrocks_fe_query_err_rate` gauges'),
  f('query_error_pct', '%', 'gauge', 'derived', 'query_errors ÷ queries × 100; null when no query ran'),
  f('queries', 'queries', 'delta', `${FE} \`starrocks_fe_query_total\``, DELTA),
  f('requests', 'requests', 'delta', `${FE} \`starrocks_fe_request_total\``, DELTA),
  f('query_errors', 'queries', 'delta', `${FE} \`starrocks_fe_query_err\``, DELTA),
  f('query_timeouts', 'queries', 'delta', `${FE} \`starrocks_fe_query_timeout\``, DELTA),
  f('slow_queries', 'queries', 'delta', `${FE} \`starrocks_fe_slow_query\``, DELTA),
  f('query_total', 'queries', 'total', `${FE} \`starrocks_fe_query_total\``, 'Σ over scraped FEs'),
  f('query_success', 'queries', 'total', `${FE} \`starrocks_fe_query_success\``, 'Σ over scraped FEs'),
  f('query_error', 'queries', 'total', `${FE} \`starrocks_fe_query_err\``, 'Σ over scraped FEs'),
  f('query_timeout', 'queries', 'total', `${FE} \`starrocks_fe_query_timeout\``, 'Σ over scraped FEs'),
  f('query_latency_p50', 'ms', 'gauge', `${FE} \`starrocks_fe_query_latency{type="50_quantile"}\``, 'maximum over scraped FEs of the non-zero gauges; null when all are 0 (the FE fills them only with `enable_collect_query_detail_info`)'),
  f('query_latency_p75', 'ms', 'gauge', `${FE} \`starrocks_fe_query_latency_ms{quantile="0.75"}\``, 'maximum over FEs that served queries since the previous collection (all scraped FEs on the first); null when none'),
  f('query_latency_p95', 'ms', 'gauge', `${FE} \`starrocks_fe_query_latency_ms{quantile="0.95"}\``, 'as p75'),
  f('query_latency_p99', 'ms', 'gauge', `${FE} \`starrocks_fe_query_latency_ms{quantile="0.99"}\``, 'as p75'),
  f('query_latency_p999', 'ms', 'gauge', `${FE} \`starrocks_fe_query_latency_ms{quantile="0.999"}\``, 'as p75'),
  f('connections', 'connections', 'gauge', `${FE} \`starrocks_fe_connection_total\``, 'Σ of every series (one per user since 3.3, or one unlabelled) over scraped FEs'),
  f('query_queue_pending', 'queries', 'gauge', `${FE} \`starrocks_fe_query_queue_pending\``, 'Σ over scraped FEs; null before 3.1'),
  f('queued_queries', 'queries', 'delta', `${FE} \`starrocks_fe_query_queue_total\``, DELTA),
  f('query_queue_timeouts', 'queries', 'delta', `${FE} \`starrocks_fe_query_queue_timeout\``, DELTA),
  // Nodes
  f('backend_total', 'nodes', 'gauge', BACKENDS, 'rows of the backend list'),
  f('backend_alive', 'nodes', 'gauge', BACKENDS, 'backend rows with `Alive` = true'),
  f('backend_decommissioned', 'nodes', 'gauge', BACKENDS, 'backend rows with `SystemDecommissioned` or `ClusterDecommissioned` = true'),
  f('compute_node_total', 'nodes', 'gauge', BACKENDS, 'rows of the compute-node list'),
  f('compute_node_alive', 'nodes', 'gauge', BACKENDS, 'compute-node rows with `Alive` = true'),
  f('frontend_total', 'nodes', 'gauge', FRONTENDS, 'rows'),
  f('frontend_alive', 'nodes', 'gauge', FRONTENDS, 'rows with `Alive` = true'),
  f('frontend_followers', 'nodes', 'gauge', FRONTENDS, 'rows with `Role` = FOLLOWER'),
  f('frontend_observers', 'nodes', 'gauge', FRONTENDS, 'rows with `Role` = OBSERVER'),
  f('frontend_leader', '', 'info', FRONTENDS, '`Name` of the row with `Role` = LEADER (Doris: `IsMaster`)'),
  f('max_journal_lag', 'journal entries', 'gauge', FRONTENDS, "the leader's `ReplayedJournalId` − the smallest `ReplayedJournalId` of an alive FE"),
  f('oldest_heartbeat_age_s', 's', 'gauge', BACKENDS, 'largest (collection time − `LastHeartbeat`) over alive nodes'),
  // Resources of alive BEs/CNs
  f('avg_cpu_usage', '%', 'gauge', `${BACKENDS} \`CpuUsedPct\``, 'mean over alive nodes; null when no node reports it (Doris)'),
  f('max_cpu_usage', '%', 'gauge', `${BACKENDS} \`CpuUsedPct\``, 'maximum over alive nodes'),
  f('avg_memory_usage', '%', 'gauge', `${BACKENDS} \`MemUsedPct\``, 'mean over alive nodes'),
  f('max_memory_usage', '%', 'gauge', `${BACKENDS} \`MemUsedPct\``, 'maximum over alive nodes'),
  f('cpu_cores_total', 'cores', 'gauge', `${BACKENDS} \`CpuCores\``, 'Σ over alive nodes'),
  f('memory_limit_bytes_total', 'bytes', 'gauge', `${BACKENDS} \`MemLimit\` (Doris \`Memory\`)`, 'Σ over alive nodes; null before 3.3'),
  f('disk_total_bytes', 'bytes', 'gauge', `${BACKENDS} \`TotalCapacity\``, 'Σ over alive backends'),
  f('disk_used_bytes', 'bytes', 'gauge', `${BACKENDS} \`TotalCapacity\`, \`AvailCapacity\``, 'Σ (TotalCapacity − AvailCapacity) over alive backends'),
  f('disk_usage_pct', '%', 'gauge', 'derived', 'disk_used_bytes ÷ disk_total_bytes × 100'),
  f('disk_max_usage_pct', '%', 'gauge', `${BACKENDS} \`MaxDiskUsedPct\``, 'maximum over alive backends (the fullest disk)'),
  f('data_used_bytes', 'bytes', 'gauge', `${BACKENDS} \`DataUsedCapacity\``, 'Σ over alive backends'),
  f('running_queries', 'queries', 'gauge', `${BACKENDS} \`NumRunningQueries\``, 'Σ over alive nodes; null before 3.0'),
  // Storage and compaction (leader)
  f('tablet_count', 'tablets', 'gauge', `${LEADER} \`starrocks_fe_tablet_num{backend}\``, 'Σ of the series on the leader; without them (shared-data), Σ `TabletNum` of the node lists'),
  f('max_compaction_score', 'score', 'gauge', `${LEADER} \`starrocks_fe_max_tablet_compaction_score\``, 'the leader\'s value (`is_leader="true"` where labelled)'),
  f('scheduled_tablets', 'tablets', 'gauge', `${LEADER} \`starrocks_fe_scheduled_tablet_num\``, "the leader's value"),
  f('database_count', 'databases', 'gauge', `${LEADER} \`starrocks_fe_database_num\``, "the leader's value"),
  f('table_count', 'tables', 'gauge', `${LEADER} \`starrocks_fe_table_num{db_name}\``, 'Σ of the series on the leader'),
  f('max_journal_id', 'journal entries', 'gauge', `${LEADER} \`starrocks_fe_max_journal_id\``, "the leader's value"),
  f('meta_log_count', 'journal entries', 'gauge', `${LEADER} \`starrocks_fe_meta_log_count\``, "the leader's value (a checkpoint runs at 50,000)"),
  // FE JVM
  f('jvm_heap_used', 'bytes', 'gauge', `${FE} \`jvm_heap_size_bytes{type="used"}\`; ${RUNTIME}: \`total_mem − free_mem\``, 'Σ over scraped FEs'),
  f('jvm_heap_max', 'bytes', 'gauge', `${FE} \`jvm_heap_size_bytes{type="max"}\`; ${RUNTIME}: \`max_mem\``, 'Σ over scraped FEs'),
  f('jvm_heap_committed', 'bytes', 'gauge', `${FE} \`jvm_heap_size_bytes{type="committed"}\`; ${RUNTIME}: \`total_mem\``, 'Σ over scraped FEs'),
  f('jvm_heap_usage_pct', '%', 'gauge', `${FE} \`jvm_heap_size_bytes\`; ${RUNTIME}`, 'the highest used ÷ max × 100 among scraped FEs (the FE closest to an out-of-memory)'),
  f('jvm_thread_count', 'threads', 'gauge', `${FE} \`jvm_thread{type="count"}\``, 'Σ over scraped FEs'),
  f('young_gc_count', 'collections', 'delta', `${FE} \`jvm_young_gc{type="count"}\``, DELTA),
  f('young_gc_time_ms', 'ms', 'delta', `${FE} \`jvm_young_gc{type="time"}\``, DELTA),
  f('old_gc_count', 'collections', 'delta', `${FE} \`jvm_old_gc{type="count"}\``, DELTA),
  f('old_gc_time_ms', 'ms', 'delta', `${FE} \`jvm_old_gc{type="time"}\``, DELTA),
  // Transactions and loads
  f('txn_begin', 'transactions', 'delta', `${FE} \`starrocks_fe_txn_begin\``, DELTA),
  f('txn_success', 'transactions', 'delta', `${FE} \`starrocks_fe_txn_success\``, DELTA),
  f('txn_failed', 'transactions', 'delta', `${FE} \`starrocks_fe_txn_failed\``, DELTA),
  f('txn_reject', 'transactions', 'delta', `${FE} \`starrocks_fe_txn_reject\``, DELTA),
  f('txn_begin_total', 'transactions', 'total', `${FE} \`starrocks_fe_txn_begin\``, 'Σ over scraped FEs (only the leader counts them)'),
  f('txn_success_total', 'transactions', 'total', `${FE} \`starrocks_fe_txn_success\``, 'Σ over scraped FEs'),
  f('txn_failed_total', 'transactions', 'total', `${FE} \`starrocks_fe_txn_failed\``, 'Σ over scraped FEs'),
  f('txn_running', 'transactions', 'gauge', `${LEADER} \`starrocks_fe_txn_running{db}\``, 'Σ of the series on the leader; null before 3.4'),
  f('load_running', 'jobs', 'gauge', `${LEADER} \`starrocks_fe_job{job="load"}\``, 'Σ of the PENDING, ETL, LOADING and COMMITTED series'),
  f('load_cancelled', 'jobs', 'gauge', `${LEADER} \`starrocks_fe_job{job="load", state="CANCELLED"}\``, 'Σ of the series (jobs the FE still retains)'),
  f('alter_jobs_running', 'jobs', 'gauge', `${LEADER} \`starrocks_fe_job{job="alter"}\``, 'Σ of the series'),
  f('loads_finished', 'jobs', 'delta', `${FE} \`starrocks_fe_load_finished\``, DELTA),
  f('load_finished_total', 'jobs', 'total', `${FE} \`starrocks_fe_load_finished\``, 'Σ over scraped FEs'),
  f('routine_load_running', 'jobs', 'gauge', `${LEADER} \`starrocks_fe_routine_load_jobs{state="RUNNING"}\``, "the leader's value"),
  f('routine_load_paused', 'jobs', 'gauge', `${LEADER} \`starrocks_fe_routine_load_jobs{state="PAUSED"}\``, "the leader's value"),
  f('routine_load_rows', 'rows', 'delta', `${FE} \`starrocks_fe_routine_load_rows\``, DELTA),
  f('edit_log_writes', 'journal entries', 'delta', `${FE} \`starrocks_fe_edit_log_write\``, DELTA),
  f('tcp_retrans_pct', '%', 'gauge', `${FE} \`starrocks_fe_snmp{name="tcp_retrans_segs"|"tcp_out_segs"}\``, 'Δretrans ÷ Δout × 100 summed over FEs; null on the first collection'),
  // Network and disk IO (BE scraping)
  f('be_cpu_usage', '%', 'gauge', `${BE} \`starrocks_be_cpu{mode}\``, '(1 − Δidle ÷ Δall modes) × 100, jiffies summed over alive BEs; null without BE scraping'),
  f('network_bytes_sent_total', 'bytes', 'total', `${BE} \`starrocks_be_network_send_bytes\``, 'Σ over alive BEs and devices'),
  f('network_bytes_received_total', 'bytes', 'total', `${BE} \`starrocks_be_network_receive_bytes\``, 'Σ over alive BEs and devices'),
  f('network_send_rate', 'bytes/s', 'rate', `${BE} \`starrocks_be_network_send_bytes\``, 'Σ of increases ÷ seconds between the scrapes'),
  f('network_receive_rate', 'bytes/s', 'rate', `${BE} \`starrocks_be_network_receive_bytes\``, 'as network_send_rate'),
  f('io_read_bytes_total', 'bytes', 'total', `${BE} \`starrocks_be_disk_bytes_read\``, 'Σ over alive BEs and devices'),
  f('io_write_bytes_total', 'bytes', 'total', `${BE} \`starrocks_be_disk_bytes_written\``, 'Σ over alive BEs and devices'),
  f('io_read_rate', 'bytes/s', 'rate', `${BE} \`starrocks_be_disk_bytes_read\``, 'Σ of increases ÷ seconds between the scrapes'),
  f('io_write_rate', 'bytes/s', 'rate', `${BE} \`starrocks_be_disk_bytes_written\``, 'as io_read_rate'),
] as const;

export type SnapshotFieldName = (typeof SNAPSHOT_FIELDS)[number]['name'];
/** The one text field; every other field is a number. */
export type TextFieldName = 'frontend_leader';
export type NumericFieldName = Exclude<SnapshotFieldName, TextFieldName>;

/** A snapshot's figures: null where the source was missing or the figure is undefined. */
export type SnapshotValues = { [K in NumericFieldName]: number | null } & { [K in TextFieldName]: string | null };

export const COLLECT_STATUSES = ['ok', 'partial', 'failed'] as const;
export type CollectStatus = (typeof COLLECT_STATUSES)[number];
