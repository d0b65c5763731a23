/**
 * The fleet (GET /api/fleet/overview): every cluster with its health, latest key figures and a
 * QPS sparkline, filtered and ordered by the server; the console shows it as it comes.
 */
import { z } from 'zod';
import { HEALTH_STATUSES, type HealthStatus } from '../health.js';
import { DEPLOYMENT_MODES, ENGINES } from '../cluster-kinds.js';
import { CollectionStateResponse } from './clusters.js';
import { isoTime, nullableNumber } from './common.js';
import { HealthResponse, OverviewStatusResponse } from './overview.js';

/** What `sort` accepts: the name, the status (urgency), the score, or a key figure of the latest snapshot. */
export const FLEET_SORTS = ['name', 'status', 'score', 'qps', 'latency', 'cpu', 'memory', 'disk'] as const;
export type FleetSort = (typeof FLEET_SORTS)[number];
export const SORT_ORDERS = ['asc', 'desc'] as const;
export type SortOrder = (typeof SORT_ORDERS)[number];

/** The largest page of clusters a fleet request may ask for. */
export const MAX_FLEET_PAGE = 5000;

/** The filters and order of a fleet request, as the server applies them. */
export interface FleetRequest {
  readonly sort: FleetSort;
  readonly order: SortOrder;
  /** Clusters must have every one of these tags. */
  readonly tags: readonly string[];
  /** Clusters must have one of these statuses (none: any). */
  readonly statuses: readonly HealthStatus[];
  /** Clusters whose name contains this, without regard to case ('' : any). */
  readonly name: string;
  /** A page of the ordered list: at most `limit` clusters (all when absent) after skipping `offset`. */
  readonly limit?: number | undefined;
  readonly offset?: number | undefined;
}

/** A sparkline as numbers: the values of consecutive buckets from `start`, `step_seconds` apart (null: no figure in that bucket). */
export const SparklineResponse = z
  .object({
    start: isoTime().meta({ description: 'Start of the first bucket' }),
    step_seconds: z.number(),
    values: z.array(z.number().nullable()),
  })
  .meta({ id: 'Sparkline' });

const FleetClusterResponse = z
  .object({
    id: z.number(),
    name: z.string(),
    tags: z.array(z.string()),
    engine: z.enum(ENGINES),
    deployment_mode: z.enum(DEPLOYMENT_MODES),
    version: z.string().nullable(),
    health: HealthResponse,
    collection: CollectionStateResponse.nullable(),
    last_collected_at: isoTime().nullable(),
    collect_status: OverviewStatusResponse,
    qps: nullableNumber(),
    query_latency_p99: nullableNumber(),
    query_error_pct: nullableNumber(),
    backend_alive: nullableNumber(),
    backend_total: nullableNumber(),
    compute_node_alive: nullableNumber(),
    compute_node_total: nullableNumber(),
    frontend_alive: nullableNumber(),
    frontend_total: nullableNumber(),
    avg_cpu_usage: nullableNumber(),
    avg_memory_usage: nullableNumber(),
    disk_usage_pct: nullableNumber(),
    max_compaction_score: nullableNumber(),
    jvm_heap_usage_pct: nullableNumber(),
    qps_sparkline: SparklineResponse.meta({ description: 'QPS over the last two hours, one value per 5 minutes (from the 5-minute tier)' }),
  })
  .meta({ id: 'FleetCluster', description: 'A cluster with its health and the latest snapshot’s key figures (null where not measured)' });

export const FleetOverviewResponse = z
  .object({
    timestamp: isoTime(),
    total: z.number().meta({ description: 'Clusters registered, before any filter' }),
    counts: z
      .object(Object.fromEntries(HEALTH_STATUSES.map((s) => [s, z.number()])) as Record<HealthStatus, z.ZodNumber>)
      .meta({ description: 'Clusters per status among those the tag and name filters keep, whatever the status filter (their sum is the clusters matching before it)' }),
    tags: z.array(z.string()).meta({ description: 'Every tag of every cluster, for the filter' }),
    matched: z.number().meta({ description: 'Clusters every filter keeps, before `limit` and `offset`' }),
    clusters: z.array(FleetClusterResponse).meta({ description: 'The clusters every filter keeps, in the order asked for (the page asked for, when `limit` is given)' }),
  })
  .meta({ id: 'FleetOverview' });

export type FleetClusterJson = z.output<typeof FleetClusterResponse>;
export type SparklineJson = z.output<typeof SparklineResponse>;
export type FleetOverviewJson = z.output<typeof FleetOverviewResponse>;
