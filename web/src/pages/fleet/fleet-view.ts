/**
 * The fleet page's view as it lives in the URL (`?tag=prod&status=critical&sort=disk&q=eu`), and
 * the GET /api/fleet/overview it asks for: the server filters, counts and orders, the page shows
 * what comes back. Pure.
 */
import type { FleetSort, SortOrder } from '@shared/api/fleet.js';
import { splitList } from '@shared/api/fields.js';
import { HEALTH_STATUSES, type HealthStatus } from '@shared/health.js';

/** The page's sort choices, each an API sort in the direction that reads naturally. */
export const FLEET_SORTS = {
  status: { label: 'Status, worst first', sort: 'status', order: 'desc' },
  name: { label: 'Name', sort: 'name', order: 'asc' },
  score: { label: 'Score, lowest first', sort: 'score', order: 'asc' },
  qps: { label: 'QPS, highest first', sort: 'qps', order: 'desc' },
  latency: { label: 'p99 latency, highest first', sort: 'latency', order: 'desc' },
  cpu: { label: 'CPU, highest first', sort: 'cpu', order: 'desc' },
  memory: { label: 'Memory, highest first', sort: 'memory', order: 'desc' },
  disk: { label: 'Disk, fullest first', sort: 'disk', order: 'desc' },
} as const satisfies Record<string, { label: string; sort: FleetSort; order: SortOrder }>;

export type FleetSortChoice = keyof typeof FLEET_SORTS;

export function parseSort(value: string | null): FleetSortChoice {
  return value !== null && Object.hasOwn(FLEET_SORTS, value) ? (value as FleetSortChoice) : 'status';
}

export function parseStatus(value: string | null): HealthStatus | null {
  return value !== null && (HEALTH_STATUSES as readonly string[]).includes(value) ? (value as HealthStatus) : null;
}

/** The `tag` parameters as the API reads them: repeated (`tag=prod&tag=eu`) or separated by commas (`tag=prod,eu`). */
export function parseTags(values: readonly string[]): string[] {
  return splitList(values);
}

export interface FleetFilters {
  /** A cluster must have every one of these (none: no tag filter), as in the API. */
  readonly tags: readonly string[];
  readonly status: HealthStatus | null;
  /** A case-insensitive part of the name. */
  readonly query: string;
  readonly sort: FleetSortChoice;
}

/** The request for the filters: the server answers the clusters to show, in order, with the counts per status. */
/** Cards asked for at a time: a fleet of thousands is shown a page at a time, the rest only counted. */
export const FLEET_PAGE = 200;

export function fleetPath(filters: FleetFilters, limit: number = FLEET_PAGE): string {
  const { sort, order } = FLEET_SORTS[filters.sort];
  const params = new URLSearchParams({ sort, order, limit: String(limit) });
  if (filters.tags.length > 0) params.set('tag', filters.tags.join(','));
  if (filters.status !== null) params.set('status', filters.status);
  if (filters.query.trim() !== '') params.set('name', filters.query.trim());
  return `/api/fleet/overview?${params.toString()}`;
}

/** "11/12", or "—" when the list was never read. */
export function aliveOfTotal(alive: number | null, total: number | null): string {
  if (alive === null || total === null) return '—';
  return `${alive}/${total}`;
}
