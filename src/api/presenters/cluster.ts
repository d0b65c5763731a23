/** Turns a registry Cluster into API JSON. The only way a cluster reaches a response. */
import { collectionLagMs } from '../../collector/schedule.js';
import type { Cluster } from '../../registry/cluster.js';
import type { ClusterJson, CollectionStateJson } from '../../shared/api/clusters.js';
import { isLateStart } from '../../shared/collection-lag.js';
import { clusterSources, type OptionalSource } from '../../shared/optional-sources.js';
import type { CollectionStateRecord } from '../../storage/repos/collection-state.repo.js';

const isoOrNull = (at: number | null): string | null => (at === null ? null : new Date(at).toISOString());

/** A cluster's stored collection state (collection_state); null when no collecting process has scheduled it. */
export function presentCollection(state: CollectionStateRecord | undefined, now: number): CollectionStateJson | null {
  if (state === undefined) return null;
  const lagMs = collectionLagMs(state, now);
  return {
    status: state.lastStatus ?? 'pending',
    consecutive_failures: state.consecutiveFailures,
    last_attempt_at: isoOrNull(state.lastAttemptAt),
    last_success_at: isoOrNull(state.lastSuccessAt),
    last_duration_ms: state.lastDurationMs,
    last_error: state.lastError,
    next_attempt_at: new Date(state.nextAttemptAt).toISOString(),
    running: state.running,
    lag_ms: lagMs,
    late: isLateStart(lagMs, state.intervalMs),
  };
}

/** `globalSources`: `[metrics] sources` in effect, which a cluster without a list of its own follows. */
export function presentCluster(cluster: Cluster, collection: CollectionStateRecord | undefined, now: number, globalSources: ReadonlySet<OptionalSource>): ClusterJson {
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
    sources: cluster.sources === null ? null : [...cluster.sources],
    effective_sources: clusterSources(cluster.sources, globalSources),
    collection: presentCollection(collection, now),
    created_at: new Date(cluster.created_at).toISOString(),
    updated_at: new Date(cluster.updated_at).toISOString(),
  };
}
