/**
 * Filtering and ordering of the fleet. Pure.
 *
 * - Tags: a cluster is listed when it has **every** tag asked for (`tag=prod&tag=eu`: the
 *   production clusters in the EU), compared exactly.
 * - Status order, from best to worst: healthy, pending, warning, critical, unreachable; so
 *   `sort=status&order=desc` puts the clusters that need attention first.
 * - A cluster without the figure sorted on (null) comes last in either order; ties go by name.
 */
import type { FleetClusterJson, HealthStatus } from '../../shared/overview-types.js';

export const FLEET_SORTS = ['name', 'status', 'score', 'qps', 'cpu', 'disk'] as const;
export type FleetSort = (typeof FLEET_SORTS)[number];
export const SORT_ORDERS = ['asc', 'desc'] as const;
export type SortOrder = (typeof SORT_ORDERS)[number];

export const STATUS_RANK: Record<HealthStatus, number> = { healthy: 0, pending: 1, warning: 2, critical: 3, unreachable: 4 };

export function hasEveryTag(clusterTags: readonly string[], wanted: readonly string[]): boolean {
  return wanted.every((tag) => clusterTags.includes(tag));
}

const byName = (a: FleetClusterJson, b: FleetClusterJson): number =>
  a.name.localeCompare(b.name, 'en', { sensitivity: 'base' }) || a.name.localeCompare(b.name) || a.id - b.id;

const KEYS: Record<Exclude<FleetSort, 'name'>, (c: FleetClusterJson) => number | null> = {
  status: (c) => STATUS_RANK[c.health.status],
  score: (c) => c.health.score,
  qps: (c) => c.qps,
  cpu: (c) => c.avg_cpu_usage,
  disk: (c) => c.disk_usage_pct,
};

export function sortFleet(clusters: readonly FleetClusterJson[], sort: FleetSort, order: SortOrder): FleetClusterJson[] {
  const sign = order === 'asc' ? 1 : -1;
  if (sort === 'name') return [...clusters].sort((a, b) => sign * byName(a, b));
  const key = KEYS[sort];
  return [...clusters].sort((a, b) => {
    const x = key(a);
    const y = key(b);
    if (x === null || y === null) return x === y ? byName(a, b) : x === null ? 1 : -1;
    return sign * (x - y) || byName(a, b);
  });
}
