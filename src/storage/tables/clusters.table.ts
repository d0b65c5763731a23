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
