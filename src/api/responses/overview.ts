/** Response schemas of the overview and fleet routes (shapes of src/shared/overview-types.ts). */
import { z } from 'zod';
import { DEPLOYMENT_MODES, ENGINES } from '../../shared/api-types.js';
import type { ClusterOverviewJson, FleetOverviewJson, HealthJson, SnapshotJson, TrendPoint } from '../../shared/overview-types.js';
import { TIME_RANGES } from '../../shared/overview-types.js';
import { fieldDocText } from '../../shared/fields/field-docs.js';
import { COLLECT_STATUSES, SNAPSHOT_FIELDS } from '../../shared/snapshot-fields.js';
import { CollectionStateResponse } from './clusters.js';
import { isoTime } from './http.js';

const nullableNumber = (description?: string) => (description ? z.number().nullable().meta({ description }) : z.number().nullable());

export const TrendPointResponse = z
  .object({
    timestamp: isoTime().meta({ description: 'Start of the bucket' }),
    value: z.number().nullable().meta({ description: 'Average of the bucket’s samples; null where it had samples but none carried the value' }),
  })
  .meta({ id: 'TrendPoint' }) satisfies z.ZodType<TrendPoint>;

const series = (description: string) => z.array(TrendPointResponse).meta({ description });

export const FailedSourceResponse = z.object({
  source: z.string().meta({ description: '`frontends`, `backends`, `compute_nodes`, `metrics HOST:PORT`, `be_metrics HOST:PORT`, `runtime_info HOST:PORT`' }),
  kind: z.string().meta({ description: 'refused, timeout, auth, http_status, malformed, network, query_failed or parse' }),
  message: z.string(),
});

// Generated from the field catalogue, so a new snapshot field appears in the spec by itself.
const snapshotValues = Object.fromEntries(
  SNAPSHOT_FIELDS.map((f) => [f.name, (f.column === 'text' ? z.string() : z.number()).nullable().meta({ description: `${f.unit ? `${f.unit}, ` : ''}${f.kind}: ${fieldDocText(f).formula}` })]),
);

export const SnapshotResponse = z
  .object({
    ...snapshotValues,
    collected_at: isoTime(),
    collect_status: z.enum(COLLECT_STATUSES).nullable(),
    collect_duration_ms: z.number().nullable(),
    failed_sources: z.array(FailedSourceResponse),
    frontends_scraped: z.number().nullable(),
  })
  .meta({ id: 'Snapshot', description: 'Every snapshot field (docs/metrics.md) and the collection metadata' }) as unknown as z.ZodType<SnapshotJson>;

const HealthReasonResponse = z.object({
  level: z.enum(['warning', 'critical']),
  code: z.string().meta({ description: 'Stable identifier, e.g. backend_down, disk_usage (docs/api.md lists them)' }),
  message: z.string(),
  penalty: z.number().meta({ description: 'Points taken off the score of 100' }),
});

const HEALTH_STATUSES = ['healthy', 'warning', 'critical', 'unreachable', 'pending'] as const;

export const HealthResponse = z
  .object({
    status: z.enum(HEALTH_STATUSES),
    score: z.number().nullable().meta({ description: '0–100; null while pending' }),
    reasons: z.array(HealthReasonResponse),
  })
  .meta({ id: 'Health' }) satisfies z.ZodType<HealthJson>;

const OverviewStatus = z.enum(['pending', ...COLLECT_STATUSES]);

export const ClusterOverviewResponse = z
  .object({
    cluster_id: z.number(),
    cluster_name: z.string(),
    timestamp: isoTime(),
    collect_status: OverviewStatus,
    status_message: z.string(),
    version: z.string().nullable(),
    engine: z.enum(ENGINES),
    deployment_mode: z.enum(DEPLOYMENT_MODES),
    tags: z.array(z.string()),
    collection: CollectionStateResponse.nullable(),
    health: HealthResponse,
    window: z.object({
      from: isoTime(),
      to: isoTime(),
      time_range: z.enum([...TIME_RANGES, 'custom']),
      resolution: z.enum(['raw', 'daily']).meta({ description: '`daily`: from the daily roll-ups, because the window reaches past the raw retention' }),
      bucket_seconds: z.number(),
      max_points: z.number(),
    }),
    latest_snapshot: SnapshotResponse.nullable(),
    performance_trends: z.object({
      qps: series('queries/s'),
      rps: series('requests/s'),
      latency_p50: series('ms'),
      latency_p95: series('ms'),
      latency_p99: series('ms'),
      error_rate: series('% of queries that failed'),
    }),
    resource_trends: z.object({
      cpu_usage: series('avg_cpu_usage, %'),
      memory_usage: series('avg_memory_usage, %'),
      disk_usage: series('disk_usage_pct, %'),
      jvm_heap_usage: series('jvm_heap_usage_pct, %'),
      network_tx: series('bytes/s (BE scraping)'),
      network_rx: series('bytes/s (BE scraping)'),
      io_read: series('bytes/s (BE scraping)'),
      io_write: series('bytes/s (BE scraping)'),
    }),
    workload_trends: z.object({
      txn_begin: series('transactions per collection interval'),
      txn_success: series('transactions per collection interval'),
      txn_failed: series('transactions per collection interval'),
      txn_running: series('transactions'),
      load_running: series('jobs'),
      loads_finished: series('jobs per collection interval'),
    }),
    statistics: z.object({
      avg_qps: nullableNumber(),
      max_qps: nullableNumber(),
      avg_latency_p99: nullableNumber(),
      max_latency_p99: nullableNumber(),
      avg_cpu_usage: nullableNumber(),
      max_cpu_usage: nullableNumber(),
      avg_memory_usage: nullableNumber(),
      max_memory_usage: nullableNumber(),
      avg_disk_usage: nullableNumber(),
      max_disk_usage: nullableNumber(),
      availability_pct: nullableNumber('Share of collections in the window that reached the cluster, %'),
      samples: z.number().meta({ description: 'Collections in the window' }),
    }),
  })
  .meta({ id: 'ClusterOverview' }) satisfies z.ZodType<ClusterOverviewJson>;

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
    collect_status: OverviewStatus,
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
    qps_sparkline: series('QPS over the last hour, at most 60 buckets'),
  })
  .meta({ id: 'FleetCluster' });

export const FleetOverviewResponse = z
  .object({
    timestamp: isoTime(),
    counts: z.object(Object.fromEntries(HEALTH_STATUSES.map((s) => [s, z.number()])) as Record<(typeof HEALTH_STATUSES)[number], z.ZodNumber>).meta({ description: 'Clusters per status, over the clusters returned' }),
    tags: z.array(z.string()).meta({ description: 'Every tag of every cluster, for the filter' }),
    clusters: z.array(FleetClusterResponse),
  })
  .meta({ id: 'FleetOverview' }) satisfies z.ZodType<FleetOverviewJson>;
