/**
 * What the fleet page shows of GET /api/fleet/overview, as pure functions of the answer and the
 * URL's filters: which clusters (tags, status, name), in which order, and the counts per status.
 * Counts follow the tag and name filters but not the status filter, so the status buttons keep
 * saying how many there are of each while one of them is selected. Tags mean what they mean to
 * GET /api/fleet/overview: `tag` repeated or comma-separated, and a cluster must have every one.
 */
import type { FleetClusterJson, HealthStatus } from '@shared/overview-types.js';
import { HEALTH_STATUSES, STATUS_LOOKS } from '../../app/status.js';

export const FLEET_SORTS = {
  status: 'Status, worst first',
  name: 'Name',
  score: 'Score, lowest first',
  qps: 'QPS, highest first',
  latency: 'p99 latency, highest first',
  cpu: 'CPU, highest first',
  memory: 'Memory, highest first',
  disk: 'Disk, fullest first',
} as const;

export type FleetSort = keyof typeof FLEET_SORTS;

export function parseSort(value: string | null): FleetSort {
  return value !== null && Object.hasOwn(FLEET_SORTS, value) ? (value as FleetSort) : 'status';
}

export function parseStatus(value: string | null): HealthStatus | null {
  return value !== null && (HEALTH_STATUSES as readonly string[]).includes(value) ? (value as HealthStatus) : null;
}

/**
 * The `tag` parameters as the API reads them (src/api/schema-fields.ts listParam): repeated
 * (`tag=prod&tag=eu`) or separated by commas (`tag=prod,eu`); blanks dropped, each tag once.
 */
export function parseTags(values: readonly string[]): string[] {
  return [...new Set(values.flatMap((v) => v.split(',')).map((v) => v.trim()).filter((v) => v !== ''))];
}

export interface FleetFilters {
  /** A cluster must have every one of these (none: no tag filter), as in the API. */
  readonly tags: readonly string[];
  readonly status: HealthStatus | null;
  /** A case-insensitive part of the name. */
  readonly query: string;
  readonly sort: FleetSort;
}

export interface FleetView {
  readonly clusters: FleetClusterJson[];
  readonly counts: Record<HealthStatus, number>;
  /** Clusters after the tag and name filters, before the status filter. */
  readonly matching: number;
}

export function viewFleet(all: readonly FleetClusterJson[], filters: FleetFilters): FleetView {
  const query = filters.query.trim().toLowerCase();
  const matching = all.filter((c) => filters.tags.every((tag) => c.tags.includes(tag)) && (query === '' || c.name.toLowerCase().includes(query)));
  const counts = Object.fromEntries(HEALTH_STATUSES.map((s) => [s, 0])) as Record<HealthStatus, number>;
  for (const c of matching) counts[c.health.status] += 1;
  const shown = filters.status === null ? matching : matching.filter((c) => c.health.status === filters.status);
  return { clusters: [...shown].sort(comparator(filters.sort)), counts, matching: matching.length };
}

type Compare = (a: FleetClusterJson, b: FleetClusterJson) => number;

const byName: Compare = (a, b) => a.name.localeCompare(b.name, 'en', { numeric: true, sensitivity: 'base' });

/** Highest first, unmeasured (null) last whatever the direction. */
function byNumber(pick: (c: FleetClusterJson) => number | null, direction: 'asc' | 'desc'): Compare {
  return (a, b) => {
    const [x, y] = [pick(a), pick(b)];
    if (x === null || y === null) return x === y ? 0 : x === null ? 1 : -1;
    return direction === 'asc' ? x - y : y - x;
  };
}

function then(...compares: Compare[]): Compare {
  return (a, b) => {
    for (const compare of compares) {
      const order = compare(a, b);
      if (order !== 0) return order;
    }
    return 0;
  };
}

const byUrgency: Compare = (a, b) => STATUS_LOOKS[a.health.status].rank - STATUS_LOOKS[b.health.status].rank;
const byScore = byNumber((c) => c.health.score, 'asc');

function comparator(sort: FleetSort): Compare {
  switch (sort) {
    case 'status':
      return then(byUrgency, byScore, byName);
    case 'name':
      return byName;
    case 'score':
      return then(byScore, byUrgency, byName);
    case 'qps':
      return then(byNumber((c) => c.qps, 'desc'), byName);
    case 'latency':
      return then(byNumber((c) => c.query_latency_p99, 'desc'), byName);
    case 'cpu':
      return then(byNumber((c) => c.avg_cpu_usage, 'desc'), byName);
    case 'memory':
      return then(byNumber((c) => c.avg_memory_usage, 'desc'), byName);
    case 'disk':
      return then(byNumber((c) => c.disk_usage_pct, 'desc'), byName);
  }
}

/** "11/12", or "—" when the list was never read. */
export function aliveOfTotal(alive: number | null, total: number | null): string {
  if (alive === null || total === null) return '—';
  return `${alive}/${total}`;
}
