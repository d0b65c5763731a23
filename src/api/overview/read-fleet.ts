/**
 * The fleet: every cluster with its health, latest key figures and a QPS sparkline. The stored
 * inputs (latest rows, versions, sparklines from the 5-minute tier) come from FleetInputsCache,
 * a few reads whatever the number of clusters, kept between requests; the health, staleness
 * and collection state are computed for this request's clock. A page of the ordered list is
 * presented; the rest is only counted. What a cluster's entry takes from the inputs is built
 * and serialized once until they change (fleet-text.ts), its health once per latest row until it
 * goes stale; a request works out the health of the stale ones and the collection state of
 * those on its page. At 1,000 clusters all of it per request was tens of milliseconds under
 * load, so it is done FLEET_SLICE clusters at a time with a turn of the event loop between two
 * (collections and other requests go on meanwhile).
 */
import type { Cluster } from '../../registry/cluster.js';
import type { FleetRequest } from '../../shared/api/fleet.js';
import type { HealthJson } from '../../shared/api/overview.js';
import { HEALTH_STATUSES, type HealthStatus } from '../../shared/health.js';
import { nextTurn } from '../../collector/job-runner.js';
import { presentCollection } from '../presenters/cluster.js';
import { hasEveryTag, nameContains, type Ordered, sortFleet } from './fleet-order.js';
import type { FleetInputs, FleetInputsCache } from './fleet-inputs.js';
import { FLEET_SLICE, type FleetAnswer, keptPartOf } from './fleet-text.js';
import { assessHealth, type HealthContext, type HealthFigures, isStale } from './health-score.js';
import { clusterIntervalMs, type MetricsSettings, type StoredDataDeps } from '../stored-data-deps.js';
import { type CollectionStateRecord, collectionStates } from '../../storage/repos/collection-state.repo.js';

/** A filtered cluster: what the order reads, for this request's clock. */
interface Entry extends Ordered {
  readonly cluster: Cluster;
}

function entryOf(inputs: FleetInputs, cluster: Cluster, health: HealthJson): Entry {
  const figures = inputs.latest.get(cluster.id)?.figures;
  return {
    cluster,
    id: cluster.id,
    name: cluster.name,
    health,
    qps: figures?.qps ?? null,
    query_latency_p99: figures?.query_latency_p99 ?? null,
    avg_cpu_usage: figures?.avg_cpu_usage ?? null,
    avg_memory_usage: figures?.avg_memory_usage ?? null,
    disk_usage_pct: figures?.disk_usage_pct ?? null,
  };
}

/** Per latest row read, its health while not stale. */
const freshHealth = new WeakMap<HealthFigures, HealthJson>();

/**
 * The cluster's health at `context.now`. Staleness is the only rule that reads the clock (or the
 * interval), so while the latest row is not stale its health is the same at every request:
 * worked out once per row read (a WeakMap on it, kept with the fleet's inputs), and at every
 * request once it is stale (its message says how old).
 */
function healthAt(latest: HealthFigures | null, context: HealthContext): HealthJson {
  if (latest === null || isStale(latest, context)) return assessHealth(latest, context);
  let health = freshHealth.get(latest);
  if (health === undefined) freshHealth.set(latest, (health = assessHealth(latest, context)));
  return health;
}

export interface FleetClock {
  readonly now: number;
  /** The [metrics] settings: a cluster's collection interval, how old its latest snapshot may be. */
  readonly settings: MetricsSettings;
}

/** The answer to `request` from the inputs and the collection states, at `clock.now`. */
export async function fleetAnswer(
  inputs: FleetInputs,
  states: ReadonlyMap<number, CollectionStateRecord>,
  request: FleetRequest,
  { now, settings }: FleetClock,
): Promise<FleetAnswer> {
  const all = inputs.clusters;
  const clusters = all.filter((c) => hasEveryTag(c.tags, request.tags) && nameContains(c.name, request.name));
  const entries: Entry[] = [];
  for (const c of clusters) {
    const health = healthAt(inputs.latest.get(c.id)?.health ?? null, { now, intervalMs: clusterIntervalMs(settings, c.collect_interval) });
    entries.push(entryOf(inputs, c, health));
    if (entries.length % FLEET_SLICE === 0) await nextTurn();
  }
  // Counted before the status filter, so the counts still say how many of each there are while one status is picked.
  const counts = Object.fromEntries(HEALTH_STATUSES.map((s) => [s, 0])) as Record<HealthStatus, number>;
  for (const entry of entries) counts[entry.health.status] += 1;
  const shown = request.statuses.length === 0 ? entries : entries.filter((e) => request.statuses.includes(e.health.status));
  const ordered = sortFleet(shown, request.sort, request.order);
  const offset = request.offset ?? 0;
  const page = request.limit === undefined ? ordered.slice(offset) : ordered.slice(offset, offset + request.limit);
  const answered = [];
  for (const e of page) {
    answered.push({ kept: keptPartOf(inputs, e.cluster), health: e.health, collection: presentCollection(states.get(e.id), now) });
    // Building a kept part (first request after a read of the inputs) costs what serializing the whole entry did.
    if (answered.length % FLEET_SLICE === 0) await nextTurn();
  }
  return {
    head: {
      timestamp: new Date(now).toISOString(),
      total: all.length,
      counts,
      tags: [...new Set(all.flatMap((c) => c.tags))].sort(),
      matched: ordered.length,
    },
    clusters: answered,
  };
}

export async function readFleet(deps: StoredDataDeps, cache: FleetInputsCache, request: FleetRequest): Promise<FleetAnswer> {
  const now = deps.now();
  // The collection states are read at every request, not kept with the inputs: they change every second.
  const [inputs, states] = await Promise.all([cache.get(now), collectionStates(deps.db)]);
  return fleetAnswer(inputs, states, request, { now, settings: deps.settings });
}
