/**
 * The JSON the API speaks, shared by the server's presenters and the web console. Field names
 * are snake_case, as in jlon/starrocks-admin's API; times are ISO 8601 strings in UTC.
 */

export const DEPLOYMENT_MODES = ['shared_nothing', 'shared_data'] as const;
export const ENGINES = ['starrocks', 'doris'] as const;
export const NODE_LIST_SOURCES = ['http', 'mysql'] as const;

export type DeploymentMode = (typeof DEPLOYMENT_MODES)[number];
export type Engine = (typeof ENGINES)[number];
export type NodeListSource = (typeof NODE_LIST_SOURCES)[number];

export interface ClusterJson {
  id: number;
  name: string;
  description: string;
  fe_host: string;
  fe_http_port: number;
  fe_query_port: number;
  username: string;
  /** Whether a password is stored; the password itself is never sent. */
  password_set: boolean;
  enable_ssl: boolean;
  /** Seconds. */
  connection_timeout: number;
  /** Seconds between collections of this cluster; null: the global interval. */
  collect_interval: number | null;
  tags: string[];
  deployment_mode: DeploymentMode;
  engine: Engine;
  node_list_source: NodeListSource;
  collection: CollectionStateJson | null;
  created_at: string;
  updated_at: string;
}

/** Where a cluster's collection stands; null in ClusterJson when collection is off in this process. */
export interface CollectionStateJson {
  /** `pending` until the first collection; then the status of the last one. */
  status: 'pending' | 'ok' | 'partial' | 'failed';
  consecutive_failures: number;
  last_attempt_at: string | null;
  next_attempt_at: string;
  running: boolean;
}

export interface ErrorJson {
  code: string;
  message: string;
  /** One entry per offending field or parameter, for validation errors; otherwise null. */
  details: { field: string; message: string }[] | null;
  /** Present on 500 responses: the id to look for in the server log. */
  request_id?: string;
}

export interface UserJson {
  id: number;
  username: string;
}

export interface LoginJson {
  token: string;
  token_type: 'Bearer';
  expires_at: string;
  user: UserJson;
}

export interface MeJson {
  /** Null when authentication is turned off. */
  user: UserJson | null;
  auth_method: 'token' | 'basic' | 'none';
  auth_enabled: boolean;
}

export interface ReadyJson {
  status: 'ready' | 'not_ready';
  checks: {
    database: { status: 'ok' | 'failed'; message?: string };
    migrations: { status: 'ok' | 'pending' | 'unknown' | 'failed'; applied: number; pending: string[]; message?: string };
  };
}
