/** Turns a registry Cluster into API JSON. The only way a cluster reaches a response. */
import type { Cluster } from '../../registry/cluster.js';
import type { ClusterJson } from '../../shared/api-types.js';

export function presentCluster(cluster: Cluster): ClusterJson {
  return {
    id: cluster.id,
    name: cluster.name,
    description: cluster.description,
    fe_host: cluster.fe_host,
    fe_http_port: cluster.fe_http_port,
    fe_query_port: cluster.fe_query_port,
    username: cluster.username,
    password_set: cluster.password_set,
    enable_ssl: cluster.enable_ssl,
    connection_timeout: cluster.connection_timeout,
    collect_interval: cluster.collect_interval,
    tags: [...cluster.tags],
    deployment_mode: cluster.deployment_mode,
    engine: cluster.engine,
    node_list_source: cluster.node_list_source,
    created_at: new Date(cluster.created_at).toISOString(),
    updated_at: new Date(cluster.updated_at).toISOString(),
  };
}
