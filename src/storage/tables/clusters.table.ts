import type { Generated } from 'kysely';

/** A registered StarRocks or Doris cluster. Times are epoch milliseconds (UTC). */
export interface ClustersTable {
  id: Generated<number>;
  /** Unique without regard to case (a unique index on lower(name)). */
  name: string;
  description: string;
  fe_host: string;
  fe_http_port: number;
  fe_query_port: number;
  username: string;
  /** The password sealed by SecretBox, or '' when the cluster has no password. Never plaintext. */
  password_encrypted: string;
  /** 0 or 1: integers keep the schema the same on every SQL dialect. */
  enable_ssl: number;
  /** Seconds. */
  connection_timeout: number;
  /** Seconds; null: the global metrics.interval_secs. */
  collect_interval: number | null;
  /** JSON array of strings. */
  tags: string;
  /** JSON array of optional source names (`[]`: none); null: the global `[metrics] sources`. */
  sources: string | null;
  deployment_mode: 'shared_nothing' | 'shared_data';
  engine: 'starrocks' | 'doris';
  /** How the backends and frontends lists are read: /api/show_proc over HTTP, or SHOW … over MySQL. */
  node_list_source: 'http' | 'mysql';
  created_at: number;
  updated_at: number;
}

/**
 * A cluster's node lists as last collected: JSON arrays of the parsed rows (FrontendRow and
 * NodeRow of src/starrocks/parse/node-lists.ts), each with the epoch ms it was collected at;
 * null until the list has answered once.
 */
export interface ClusterNodesTable {
  cluster_id: number;
  frontends: string | null;
  frontends_at: number | null;
  backends: string | null;
  backends_at: number | null;
  compute_nodes: string | null;
  compute_nodes_at: number | null;
}

/**
 * Where a cluster's collection stands, as the collecting process last wrote it (at most about a
 * second behind it): restored by the scheduler at start, read by every instance's API. Times
 * are epoch ms.
 */
export interface CollectionStateTable {
  cluster_id: number;
  /** The last collection's status ('ok', 'partial', 'failed'); null before the first. */
  last_status: string | null;
  consecutive_failures: number;
  last_attempt_at: number | null;
  /** The last collection that was not 'failed' (ok or partial). */
  last_success_at: number | null;
  last_duration_ms: number | null;
  /** Why the last collection was not ok: a short summary of its failed sources or error, never a cluster's answer. */
  last_error: string | null;
  /** The next slot, pushed out by the backoff after consecutive failures. */
  next_attempt_at: number;
  /** 0 or 1. */
  running: number;
  lag_ms: number;
  /** The cluster's interval when this was written (whether a lag is late depends on it). */
  interval_ms: number;
  updated_at: number;
}
