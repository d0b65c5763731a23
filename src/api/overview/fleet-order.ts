/**
 * Filtering and ordering of the fleet. Pure.
 *
 * - Tags: a cluster is listed when it has **every** tag asked for (`tag=prod&tag=eu`: the
 *   production clusters in the EU), compared exactly.
 * - Name: a part of the name, without regard to case.
 * - Status: one of the statuses asked for.
 * - Status order is urgency (src/shared/health.ts), from best to worst: healthy, pending,
 *   warning, critical, unreachable; so `sort=status&order=desc` puts the clusters that need
 *   attention first, the lowest score first among the same status. `sort=score` breaks ties
 *   the other way round: the more urgent status first among the same score (ascending).
 * - A cluster without the figure sorted on (null) comes last in either order; ties go by name,
 *   read as people read it (`prod-2` before `prod-10`).
 */
import type { FleetClusterJson, FleetSort, SortOrder } from '../../shared/api/fleet.js';

/** What the order reads of a cluster: its name, health and the figures sorted on. */
export type Ordered = Pick<FleetClusterJson, 'id' | 'name' | 'health' | 'qps' | 'query_latency_p99' | 'avg_cpu_usage' | 'avg_memory_usage' | 'disk_usage_pct'>;
import { HEALTH_STATUSES, urgencyRank } from '../../shared/health.js';

export function hasEveryTag(clusterTags: readonly string[], wanted: readonly string[]): boolean {
  return wanted.every((tag) => clusterTags.includes(tag));
}

export function nameContains(name: string, part: string): boolean {
  return name.toLowerCase().includes(part.trim().toLowerCase());
}

// One collator: localeCompare with options builds one per comparison, 10 ms for a thousand names.
const natural = new Intl.Collator('en', { numeric: true, sensitivity: 'base' });
const exact = new Intl.Collator('en');
const byName = (a: Ordered, b: Ordered): number => natural.compare(a.name, b.name) || exact.compare(a.name, b.name) || a.id - b.id;

type Key = (c: Ordered) => number | null;

/** Higher is worse: healthy 0 … unreachable 4. */
const severity: Key = (c) => HEALTH_STATUSES.length - 1 - urgencyRank(c.health.status);
const score: Key = (c) => c.health.score;

/** Each sort's keys, compared in turn in the order asked for; the second breaks ties of the first. */
const KEYS: Record<Exclude<FleetSort, 'name'>, readonly Key[]> = {
  // A lower score is worse, so it goes with a higher severity (and vice versa for score).
  status: [severity, (c) => (c.health.score === null ? null : -c.health.score)],
  score: [score, (c) => -(severity(c) ?? 0)],
  qps: [(c) => c.qps],
  latency: [(c) => c.query_latency_p99],
  cpu: [(c) => c.avg_cpu_usage],
  memory: [(c) => c.avg_memory_usage],
  disk: [(c) => c.disk_usage_pct],
};

export function sortFleet<C extends Ordered>(clusters: readonly C[], sort: FleetSort, order: SortOrder): C[] {
  const sign = order === 'asc' ? 1 : -1;
  if (sort === 'name') return [...clusters].sort((a, b) => sign * byName(a, b));
  const keys = KEYS[sort];
  return [...clusters].sort((a, b) => {
    for (const key of keys) {
      const x = key(a);
      const y = key(b);
      if (x === null || y === null) {
        if (x === y) continue;
        return x === null ? 1 : -1;
      }
      if (x !== y) return sign * (x - y);
    }
    return byName(a, b);
  });
}
