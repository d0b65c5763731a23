/**
 * The fleet: every cluster with its health, latest key figures and a QPS sparkline. The stored
 * inputs (latest rows, versions, sparklines from the 5-minute tier) come from FleetInputsCache,
 * a few reads whatever the number of clusters, kept between requests; the health, staleness
 * and collection state are computed for this request's clock. A page of the ordered list is
 * presented; the rest is only counted. At 1,000 clusters that work is tens of milliseconds
 * under load, so it is done FLEET_SLICE clusters at a time with a turn of the event loop
 * between two (collections and other requests go on meanwhile), and so is the JSON
 * (`fleetJson`): one JSON.stringify of 1.5 MB held the loop 15–40 ms.
 */
import type { Cluster } from '../../registry/cluster.js';
import type { FleetClusterJson, FleetOverviewJson, FleetRequest, SparklineJson } from '../../shared/api/fleet.js';
import { HEALTH_STATUSES, type HealthStatus } from '../../shared/health.js';
import { nextTurn } from '../../collector/job-runner.js';
import { presentCollection } from '../presenters/cluster.js';
import { hasEveryTag, nameContains, sortFleet } from './fleet-order.js';
import { FIGURES, type FleetInputs, type FleetInputsCache, type FleetLatest, SPARKLINE_BUCKETS, SPARKLINE_TIER } from './fleet-inputs.js';
import { assessHealth } from './health-score.js';
import { collectStatusKindOf } from './latest-status.js';
import { clusterIntervalMs, type StoredDataDeps } from '../stored-data-deps.js';
import { type CollectionStateRecord, collectionStates } from '../../storage/repos/collection-state.repo.js';

/** The figures of a cluster without a snapshot yet. */
const NO_FIGURES = Object.fromEntries(FIGURES.map((f) => [f, null])) as FleetLatest['figures'];

function sparkline(inputs: FleetInputs, clusterId: number): SparklineJson {
  return {
    start: new Date(inputs.frame).toISOString(),
    step_seconds: SPARKLINE_TIER.widthMs / 1000,
    values: [...(inputs.sparklines.get(clusterId) ?? new Array<number | null>(SPARKLINE_BUCKETS).fill(null))],
  };
}

function fleetCluster(
  deps: StoredDataDeps,
  cluster: Cluster,
  latest: FleetLatest | undefined,
  version: string | null,
  state: CollectionStateRecord | undefined,
  now: number,
): Omit<FleetClusterJson, 'qps_sparkline'> {
  const collection = presentCollection(state, now);
  return {
    id: cluster.id,
    name: cluster.name,
    tags: [...cluster.tags],
    engine: cluster.engine,
    deployment_mode: cluster.deployment_mode,
    version,
    health: assessHealth(latest?.health ?? null, { now, intervalMs: clusterIntervalMs(deps.settings, cluster.collect_interval) }),
    collection,
    last_collected_at: latest?.lastCollectedAt ?? null,
    collect_status: latest?.collectStatus ?? collectStatusKindOf(undefined),
    ...(latest?.figures ?? NO_FIGURES),
  };
}

/** Clusters presented, or serialized, between two turns of the event loop: about a millisecond's work on an idle machine. */
export const FLEET_SLICE = 100;

/**
 * The answer as JSON text, the clusters FLEET_SLICE at a time with a turn of the event loop
 * between two; the same text as JSON.stringify's, the clusters last.
 */
export async function fleetJson(fleet: FleetOverviewJson): Promise<string> {
  const { clusters, ...head } = fleet;
  const parts: string[] = [];
  for (let i = 0; i < clusters.length; i += FLEET_SLICE) {
    if (i > 0) await nextTurn();
    parts.push(clusters.slice(i, i + FLEET_SLICE).map((c) => JSON.stringify(c)).join(','));
  }
  return `${JSON.stringify(head).slice(0, -1)},"clusters":[${parts.join(',')}]}`;
}

export async function readFleet(deps: StoredDataDeps, cache: FleetInputsCache, request: FleetRequest): Promise<FleetOverviewJson> {
  const now = deps.now();
  // The collection states are read at every request, not kept with the inputs: they change every second.
  const [inputs, states] = await Promise.all([cache.get(now), collectionStates(deps.db)]);
  const all = inputs.clusters;
  const clusters = all.filter((c) => hasEveryTag(c.tags, request.tags) && nameContains(c.name, request.name));
  const entries: ReturnType<typeof fleetCluster>[] = [];
  for (const c of clusters) {
    entries.push(fleetCluster(deps, c, inputs.latest.get(c.id), inputs.versions.get(c.id) ?? null, states.get(c.id), now));
    if (entries.length % FLEET_SLICE === 0) await nextTurn();
  }
  // Counted before the status filter, so the counts still say how many of each there are while one status is picked.
  const counts = Object.fromEntries(HEALTH_STATUSES.map((s) => [s, 0])) as Record<HealthStatus, number>;
  for (const entry of entries) counts[entry.health.status] += 1;
  const shown = request.statuses.length === 0 ? entries : entries.filter((e) => request.statuses.includes(e.health.status));
  const ordered = sortFleet(shown, request.sort, request.order);
  const offset = request.offset ?? 0;
  const page = request.limit === undefined ? ordered.slice(offset) : ordered.slice(offset, offset + request.limit);
  return {
    timestamp: new Date(now).toISOString(),
    total: all.length,
    counts,
    tags: [...new Set(all.flatMap((c) => c.tags))].sort(),
    matched: ordered.length,
    clusters: page.map((c) => ({ ...c, qps_sparkline: sparkline(inputs, c.id) })),
  };
}
