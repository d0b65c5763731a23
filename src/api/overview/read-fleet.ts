/**
 * The fleet: every cluster with its health, latest key figures and a QPS sparkline. Four
 * reads whatever the number of clusters: the registry, the latest row of each cluster at once
 * (only the columns the health and the cards use), the last two hours of QPS of all of them from
 * the 5-minute tier (a few dozen rows per cluster, not hundreds of raw ones), and their frontends
 * lists (for the version). A page of the ordered list is presented; the rest is only counted.
 */
import type { Cluster } from '../../registry/cluster.js';
import type { FleetClusterJson, FleetOverviewJson, FleetRequest, SparklineJson } from '../../shared/api/fleet.js';
import { HEALTH_STATUSES, type HealthStatus } from '../../shared/health.js';
import { bucketStart, TIERS } from '../../shared/tier-fields.js';
import { frontendListsOf } from '../../storage/repos/nodes.repo.js';
import { latestSnapshotRows, type SnapshotColumn, type SnapshotRow } from '../../storage/repos/snapshots.repo.js';
import { tierFieldOfClusters } from '../../storage/repos/tiers.repo.js';
import { presentCollection } from '../presenters/cluster.js';
import { clusterVersion } from '../presenters/nodes.js';
import { hasEveryTag, nameContains, sortFleet } from './fleet-order.js';
import { collectStatusOf, healthOf } from './latest-status.js';
import { clusterIntervalMs, type StoredDataDeps } from '../stored-data-deps.js';

const SPARKLINE_TIER = TIERS[0];
/** Buckets of the sparkline, the current one (still filling) last. */
export const SPARKLINE_BUCKETS = 24;

/** The key figures a card shows. */
const FIGURES = [
  'qps',
  'query_latency_p99',
  'query_error_pct',
  'backend_alive',
  'backend_total',
  'compute_node_alive',
  'compute_node_total',
  'frontend_alive',
  'frontend_total',
  'avg_cpu_usage',
  'avg_memory_usage',
  'disk_usage_pct',
  'max_compaction_score',
  'jvm_heap_usage_pct',
] as const satisfies readonly SnapshotColumn[];

/** What the health rules and the cards read of the latest row. */
const LATEST_COLUMNS = [...FIGURES, 'collect_status', 'failed_sources', 'disk_max_usage_pct', 'queries'] as const satisfies readonly SnapshotColumn[];
type LatestRow = Pick<SnapshotRow, (typeof LATEST_COLUMNS)[number] | 'cluster_id' | 'collected_at'>;

/** The sparkline's first bucket: `SPARKLINE_BUCKETS − 1` before the current one. */
const sparklineFirst = (now: number): number => bucketStart(SPARKLINE_TIER, now) - (SPARKLINE_BUCKETS - 1) * SPARKLINE_TIER.widthMs;

/** A sparkline with no values yet. */
function emptySparkline(now: number): SparklineJson {
  return { start: new Date(sparklineFirst(now)).toISOString(), step_seconds: SPARKLINE_TIER.widthMs / 1000, values: new Array<number | null>(SPARKLINE_BUCKETS).fill(null) };
}

async function qpsSparklines(deps: StoredDataDeps, ids: readonly number[], now: number): Promise<Map<number, SparklineJson>> {
  const first = sparklineFirst(now);
  const lines = new Map(ids.map((id) => [id, emptySparkline(now)]));
  for (const row of await tierFieldOfClusters(deps.db, SPARKLINE_TIER.table, ids, first, 'qps')) {
    const index = (Number(row.bucket_start) - first) / SPARKLINE_TIER.widthMs;
    const line = lines.get(row.cluster_id);
    if (line && index >= 0 && index < SPARKLINE_BUCKETS && row.n !== null && row.n > 0 && row.sum !== null) line.values[index] = row.sum / row.n;
  }
  return lines;
}

function fleetCluster(deps: StoredDataDeps, cluster: Cluster, latest: LatestRow | undefined, version: string | null, now: number): Omit<FleetClusterJson, 'qps_sparkline'> {
  const collection = presentCollection(deps.collectionState(cluster.id), now);
  // The health rules and the status read only these columns of the row.
  const row = latest as SnapshotRow | undefined;
  const figures = Object.fromEntries(FIGURES.map((f) => [f, latest?.[f] ?? null])) as { [F in (typeof FIGURES)[number]]: number | null };
  return {
    id: cluster.id,
    name: cluster.name,
    tags: [...cluster.tags],
    engine: cluster.engine,
    deployment_mode: cluster.deployment_mode,
    version,
    health: healthOf(row, { now, intervalMs: clusterIntervalMs(deps.settings, cluster.collect_interval) }),
    collection,
    last_collected_at: latest === undefined ? null : new Date(latest.collected_at).toISOString(),
    collect_status: collectStatusOf(row, collection).status,
    ...figures,
  };
}

export async function readFleet(deps: StoredDataDeps, request: FleetRequest): Promise<FleetOverviewJson> {
  const now = deps.now();
  const all = await deps.registry.list();
  // Tags and name are known before any read, so clusters they leave out cost nothing.
  const clusters = all.filter((c) => hasEveryTag(c.tags, request.tags) && nameContains(c.name, request.name));
  const ids = clusters.map((c) => c.id);
  const [latestRows, nodeRows] = await Promise.all([latestSnapshotRows(deps.db, ids, LATEST_COLUMNS), frontendListsOf(deps.db, ids)]);
  const latest = new Map(latestRows.map((r) => [r.cluster_id, r]));
  const frontends = new Map(nodeRows.map((r) => [r.cluster_id, r]));
  const entries = clusters.map((c) => fleetCluster(deps, c, latest.get(c.id), clusterVersion(frontends.get(c.id)), now));
  // Counted before the status filter, so the counts still say how many of each there are while one status is picked.
  const counts = Object.fromEntries(HEALTH_STATUSES.map((s) => [s, 0])) as Record<HealthStatus, number>;
  for (const entry of entries) counts[entry.health.status] += 1;
  const shown = request.statuses.length === 0 ? entries : entries.filter((e) => request.statuses.includes(e.health.status));
  const ordered = sortFleet(shown, request.sort, request.order);
  const offset = request.offset ?? 0;
  const page = request.limit === undefined ? ordered.slice(offset) : ordered.slice(offset, offset + request.limit);
  // Sparklines only for the clusters on the page.
  const sparklines = await qpsSparklines(
    deps,
    page.map((c) => c.id),
    now,
  );
  return {
    timestamp: new Date(now).toISOString(),
    total: all.length,
    counts,
    tags: [...new Set(all.flatMap((c) => c.tags))].sort(),
    matched: ordered.length,
    clusters: page.map((c) => ({ ...c, qps_sparkline: sparklines.get(c.id) ?? emptySparkline(now) })),
  };
}
