/**
 * A registered cluster as the rest of Stellar sees it: typed fields, tags as an array, the
 * password never present (only whether one is set). `ClusterConnection` adds the decrypted
 * password for the one caller that needs it, the client that talks to the cluster.
 */
import type { DeploymentMode, Engine, NodeListSource } from '../shared/cluster-kinds.js';
import type { OptionalSource } from '../shared/optional-sources.js';

/** The fields a client sets; `password` is plaintext here and only here. */
export interface ClusterFields {
  readonly name: string;
  readonly description: string;
  readonly fe_host: string;
  readonly fe_http_port: number;
  readonly fe_query_port: number;
  readonly username: string;
  readonly password: string;
  readonly enable_ssl: boolean;
  /** Seconds. */
  readonly connection_timeout: number;
  /** Seconds between collections of this cluster; null: the global interval. */
  readonly collect_interval: number | null;
  readonly tags: readonly string[];
  /** The optional sources its collections ask (`[]`: none); null: the global `[metrics] sources`. */
  readonly sources: readonly OptionalSource[] | null;
  readonly deployment_mode: DeploymentMode;
  readonly engine: Engine;
  readonly node_list_source: NodeListSource;
}

export interface Cluster extends Omit<ClusterFields, 'password'> {
  readonly id: number;
  /** Whether a password is stored. */
  readonly password_set: boolean;
  /** Epoch milliseconds. */
  readonly created_at: number;
  readonly updated_at: number;
}

export interface ClusterConnection extends Cluster {
  readonly password: string;
}
