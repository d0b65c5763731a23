/** Turns a registry Cluster into API JSON. The only way a cluster reaches a response. */
import { collectionLagMs } from '../../collector/schedule.js';
import type { ClusterScheduleState } from '../../collector/scheduler.js';
import type { Cluster } from '../../registry/cluster.js';
import type { ClusterJson, CollectionStateJson } from '../../shared/api/clusters.js';
import { isLateStart } from '../../shared/collection-lag.js';

/** The scheduler's view of one cluster; undefined before it has read the registry, null when collection is off. */
export type CollectionStateOf = (clusterId: number) => ClusterScheduleState | undefined | null;

export function presentCollection(state: ClusterScheduleState | undefined | null, now: number): CollectionStateJson | null {
  if (state === null) return null;
  const lagMs = state ? collectionLagMs(state, now) : 0;
  return {
    status: state?.lastStatus ?? 'pending',
    consecutive_failures: state?.consecutiveFailures ?? 0,
    last_attempt_at: state?.lastAttemptAt == null ? null : new Date(state.lastAttemptAt).toISOString(),
    next_attempt_at: new Date(state?.nextAttemptAt ?? now).toISOString(),
    running: state?.running ?? false,
    lag_ms: lagMs,
    late: state ? isLateStart(lagMs, state.intervalMs) : false,
  };
}

export function presentCluster(cluster: Cluster, collection: CollectionStateOf = () => null, now = Date.now()): ClusterJson {
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
    collection: presentCollection(collection(cluster.id), now),
    created_at: new Date(cluster.created_at).toISOString(),
    updated_at: new Date(cluster.updated_at).toISOString(),
  };
}
