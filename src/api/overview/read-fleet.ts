/**
 * The fleet: every cluster with its health, latest key figures and a QPS sparkline. Four
 * reads whatever the number of clusters: the registry, the latest row of each cluster at once,
 * the last hour's QPS of all of them, and their frontends lists (for the version).
 */
import type { Cluster } from '../../registry/cluster.js';
import type { FleetClusterJson, FleetOverviewJson, FleetRequest } from '../../shared/api/fleet.js';
import { HEALTH_STATUSES, type HealthStatus } from '../../shared/health.js';
import { frontendListsOf } from '../../storage/repos/nodes.repo.js';
import { latestSnapshotRows, type SnapshotRow, streamColumnOfClusters } from '../../storage/repos/snapshots.repo.js';
import { presentCollection } from '../presenters/cluster.js';
import { clusterVersion } from '../presenters/nodes.js';
import { planBuckets, TrendBuckets } from './downsample.js';
import { hasEveryTag, nameContains, sortFleet } from './fleet-order.js';
import { collectStatusOf, healthOf } from './latest-status.js';
import { clusterIntervalMs, type StoredDataDeps } from '../stored-data-deps.js';

export const SPARKLINE_MS = 3_600_000;
export const SPARKLINE_POINTS = 60;

async function qpsSparklines(deps: StoredDataDeps, clusters: readonly Cluster[], now: number): Promise<Map<number, TrendBuckets<'qps'>>> {
  const from = now - SPARKLINE_MS;
  const buckets = new Map(clusters.map((c) => [c.id, new TrendBuckets(planBuckets(from, now, SPARKLINE_POINTS, clusterIntervalMs(deps.settings, c.collect_interval)), ['qps'])]));
  if (clusters.length === 0) return buckets;
  for await (const row of streamColumnOfClusters(deps.db, [...buckets.keys()], from, now, 'qps')) buckets.get(row.cluster_id)?.add(row.collected_at, row);
  return buckets;
}

function fleetCluster(deps: StoredDataDeps, cluster: Cluster, latest: SnapshotRow | undefined, version: string | null, sparkline: TrendBuckets<'qps'> | undefined, now: number): FleetClusterJson {
  const collection = presentCollection(deps.collectionState(cluster.id), now);
  const figure = <K extends keyof SnapshotRow>(key: K): SnapshotRow[K] | null => latest?.[key] ?? null;
  return {
    id: cluster.id,
    name: cluster.name,
    tags: [...cluster.tags],
    engine: cluster.engine,
    deployment_mode: cluster.deployment_mode,
    version,
    health: healthOf(latest, { now, intervalMs: clusterIntervalMs(deps.settings, cluster.collect_interval) }),
    collection,
    last_collected_at: latest === undefined ? null : new Date(latest.collected_at).toISOString(),
    collect_status: collectStatusOf(latest, collection).status,
    qps: figure('qps'),
    query_latency_p99: figure('query_latency_p99'),
    query_error_pct: figure('query_error_pct'),
    backend_alive: figure('backend_alive'),
    backend_total: figure('backend_total'),
    compute_node_alive: figure('compute_node_alive'),
    compute_node_total: figure('compute_node_total'),
    frontend_alive: figure('frontend_alive'),
    frontend_total: figure('frontend_total'),
    avg_cpu_usage: figure('avg_cpu_usage'),
    avg_memory_usage: figure('avg_memory_usage'),
    disk_usage_pct: figure('disk_usage_pct'),
    max_compaction_score: figure('max_compaction_score'),
    jvm_heap_usage_pct: figure('jvm_heap_usage_pct'),
    qps_sparkline: sparkline?.points('qps') ?? [],
  };
}

export async function readFleet(deps: StoredDataDeps, request: FleetRequest): Promise<FleetOverviewJson> {
  const now = deps.now();
  const all = await deps.registry.list();
  // Tags and name are known before any read, so clusters they leave out cost nothing.
  const clusters = all.filter((c) => hasEveryTag(c.tags, request.tags) && nameContains(c.name, request.name));
  const ids = clusters.map((c) => c.id);
  const [latestRows, nodeRows, sparklines] = await Promise.all([
    latestSnapshotRows(deps.db, ids),
    frontendListsOf(deps.db, ids),
    qpsSparklines(deps, clusters, now),
  ]);
  const latest = new Map(latestRows.map((r) => [r.cluster_id, r]));
  const frontends = new Map(nodeRows.map((r) => [r.cluster_id, r]));
  const entries = clusters.map((c) => fleetCluster(deps, c, latest.get(c.id), clusterVersion(frontends.get(c.id)), sparklines.get(c.id), now));
  // Counted before the status filter, so the counts still say how many of each there are while one status is picked.
  const counts = Object.fromEntries(HEALTH_STATUSES.map((s) => [s, 0])) as Record<HealthStatus, number>;
  for (const entry of entries) counts[entry.health.status] += 1;
  const shown = request.statuses.length === 0 ? entries : entries.filter((e) => request.statuses.includes(e.health.status));
  return {
    timestamp: new Date(now).toISOString(),
    total: all.length,
    counts,
    tags: [...new Set(all.flatMap((c) => c.tags))].sort(),
    clusters: sortFleet(shown, request.sort, request.order),
  };
}
