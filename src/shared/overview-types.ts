/**
 * The JSON of the overview, fleet, export and node routes, shared by the server's presenters
 * and the web console. Field names follow jlon/starrocks-admin's API where they were right
 * (`latest_snapshot`, `performance_trends`, `resource_trends`, `statistics`); times are ISO 8601
 * strings in UTC; a number that could not be measured is null, never 0.
 */
import type { CollectionStateJson, DeploymentMode, Engine } from './api-types.js';
import type { CollectStatus, SnapshotValues } from './snapshot-fields.js';

/** Preset windows of `time_range`; `custom` when `from`/`to` were given. */
export const TIME_RANGES = ['15m', '1h', '6h', '24h', '3d', '7d', '30d'] as const;
export type TimeRange = (typeof TIME_RANGES)[number];
export const DEFAULT_TIME_RANGE: TimeRange = '1h';
export const DEFAULT_MAX_POINTS = 720;
export const MAX_MAX_POINTS = 5000;

/** One bucket of a down-sampled series: the average of the samples in it, at the bucket's start. */
export interface TrendPoint {
  timestamp: string;
  /** Null where the bucket had samples but none carried this value (a gap stays a gap). */
  value: number | null;
}

/** `pending`: no collection has stored a row yet. */
export type OverviewStatus = 'pending' | CollectStatus;

/** Every snapshot field plus the row's collection metadata. */
export type SnapshotJson = SnapshotValues & {
  collected_at: string;
  collect_status: CollectStatus | null;
  collect_duration_ms: number | null;
  failed_sources: FailedSourceJson[];
  frontends_scraped: number | null;
};

export interface FailedSourceJson {
  /** `frontends`, `backends`, `compute_nodes`, `metrics HOST:PORT`, `be_metrics HOST:PORT`, `runtime_info HOST:PORT` */
  source: string;
  /** A ScrapeError kind (refused, timeout, auth, http_status, malformed, network, query_failed) or `parse`. */
  kind: string;
  message: string;
}

export interface OverviewWindow {
  from: string;
  to: string;
  time_range: TimeRange | 'custom';
  /** `raw`: from metrics_snapshots; `daily`: from daily_snapshots, because the window reaches past the raw retention. */
  resolution: 'raw' | 'daily';
  /** Width of one bucket of the trends. */
  bucket_seconds: number;
  max_points: number;
}

export interface PerformanceTrends {
  qps: TrendPoint[];
  rps: TrendPoint[];
  latency_p50: TrendPoint[];
  latency_p95: TrendPoint[];
  latency_p99: TrendPoint[];
  /** query_error_pct: errors ÷ queries × 100 over each interval. */
  error_rate: TrendPoint[];
}

export interface ResourceTrends {
  /** avg_cpu_usage, %. */
  cpu_usage: TrendPoint[];
  /** avg_memory_usage, %. */
  memory_usage: TrendPoint[];
  /** disk_usage_pct, %. */
  disk_usage: TrendPoint[];
  /** jvm_heap_usage_pct, %. */
  jvm_heap_usage: TrendPoint[];
  /** network_send_rate, bytes/s (null unless BE scraping is on). */
  network_tx: TrendPoint[];
  /** network_receive_rate, bytes/s. */
  network_rx: TrendPoint[];
  /** io_read_rate, bytes/s. */
  io_read: TrendPoint[];
  /** io_write_rate, bytes/s. */
  io_write: TrendPoint[];
}

/** Transactions and loads per interval, for the console's last chart. */
export interface WorkloadTrends {
  txn_begin: TrendPoint[];
  txn_success: TrendPoint[];
  txn_failed: TrendPoint[];
  txn_running: TrendPoint[];
  load_running: TrendPoint[];
  loads_finished: TrendPoint[];
}

/** Over the window; null when the window holds no value of that field. */
export interface OverviewStatistics {
  avg_qps: number | null;
  max_qps: number | null;
  avg_latency_p99: number | null;
  max_latency_p99: number | null;
  avg_cpu_usage: number | null;
  max_cpu_usage: number | null;
  avg_memory_usage: number | null;
  max_memory_usage: number | null;
  avg_disk_usage: number | null;
  max_disk_usage: number | null;
  /** Share of collections in the window that reached the cluster (status ok or partial), %. */
  availability_pct: number | null;
  /** Collections in the window. */
  samples: number;
}

export type HealthStatus = 'healthy' | 'warning' | 'critical' | 'unreachable' | 'pending';

export interface HealthReason {
  level: 'warning' | 'critical';
  /** Stable identifier, e.g. `backend_down`, `disk_usage`, `compaction_score`, `collection_failing`. */
  code: string;
  message: string;
  /** Points taken off the score of 100. */
  penalty: number;
}

export interface HealthJson {
  status: HealthStatus;
  /** 0–100; null while pending. */
  score: number | null;
  reasons: HealthReason[];
}

export interface ClusterOverviewJson {
  cluster_id: number;
  cluster_name: string;
  /** Of the response. */
  timestamp: string;
  collect_status: OverviewStatus;
  /** Human words for the status, e.g. "collection pending: the first collection has not run yet". */
  status_message: string;
  version: string | null;
  engine: Engine;
  deployment_mode: DeploymentMode;
  tags: string[];
  collection: CollectionStateJson | null;
  health: HealthJson;
  window: OverviewWindow;
  latest_snapshot: SnapshotJson | null;
  performance_trends: PerformanceTrends;
  resource_trends: ResourceTrends;
  workload_trends: WorkloadTrends;
  statistics: OverviewStatistics;
}

export interface FleetClusterJson {
  id: number;
  name: string;
  tags: string[];
  engine: Engine;
  deployment_mode: DeploymentMode;
  version: string | null;
  health: HealthJson;
  collection: CollectionStateJson | null;
  last_collected_at: string | null;
  collect_status: OverviewStatus;
  /** The latest snapshot's key figures (null where not measured). */
  qps: number | null;
  query_latency_p99: number | null;
  query_error_pct: number | null;
  backend_alive: number | null;
  backend_total: number | null;
  compute_node_alive: number | null;
  compute_node_total: number | null;
  frontend_alive: number | null;
  frontend_total: number | null;
  avg_cpu_usage: number | null;
  avg_memory_usage: number | null;
  disk_usage_pct: number | null;
  max_compaction_score: number | null;
  jvm_heap_usage_pct: number | null;
  /** QPS over the last hour in at most 60 buckets. */
  qps_sparkline: TrendPoint[];
}

export interface FleetOverviewJson {
  timestamp: string;
  /** Clusters per status, over the clusters returned. */
  counts: Record<HealthStatus, number>;
  /** Every tag of every cluster, for the filter. */
  tags: string[];
  clusters: FleetClusterJson[];
}

export interface FrontendJson {
  name: string | null;
  host: string | null;
  http_port: number | null;
  query_port: number | null;
  role: string | null;
  alive: boolean;
  replayed_journal_id: number | null;
  last_heartbeat: string | null;
  start_time: string | null;
  version: string | null;
  err_msg: string | null;
}

export interface BackendJson {
  kind: 'backend' | 'compute_node';
  id: string | null;
  host: string | null;
  heartbeat_port: number | null;
  http_port: number | null;
  alive: boolean;
  decommissioned: boolean;
  last_start_time: string | null;
  last_heartbeat: string | null;
  err_msg: string | null;
  version: string | null;
  tablets: number | null;
  data_used_bytes: number | null;
  avail_bytes: number | null;
  total_bytes: number | null;
  max_disk_used_pct: number | null;
  cpu_cores: number | null;
  mem_limit_bytes: number | null;
  running_queries: number | null;
  mem_used_pct: number | null;
  cpu_used_pct: number | null;
}

/** `GET /api/clusters/:id/nodes`: each list as last collected; null when never collected. */
export interface ClusterNodesJson {
  cluster_id: number;
  frontends: { collected_at: string; nodes: FrontendJson[] } | null;
  backends: { collected_at: string; nodes: BackendJson[] } | null;
  compute_nodes: { collected_at: string; nodes: BackendJson[] } | null;
}

/** One source the collector uses, as `test-connection` found it. */
export interface SourceCheckJson {
  /** `frontends`, `backends`, `compute_nodes`, `metrics HOST:PORT`, `runtime_info HOST:PORT`, `be_metrics HOST:PORT` */
  source: string;
  ok: boolean;
  duration_ms: number;
  /** E.g. "3 frontends, leader fe1", "412 families"; or the error message. */
  message: string;
  /** The ScrapeError kind when it failed. */
  error_kind: string | null;
}

export interface ConnectionTestJson {
  ok: boolean;
  /** Version of the leader FE, when the frontends list answered. */
  version: string | null;
  checks: SourceCheckJson[];
}

export interface SnapshotPageJson {
  cluster_id: number;
  from: string;
  to: string;
  fields: string[];
  rows: Array<Record<string, number | string | null>>;
  /** Pass as `cursor` for the next page; null on the last page. */
  next_cursor: string | null;
}

export interface DailyRowsJson {
  cluster_id: number;
  from: string;
  to: string;
  rows: Array<Record<string, number | string | null>>;
}
