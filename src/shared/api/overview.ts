/**
 * One cluster's overview (GET /api/clusters/:id/overview): the latest snapshot, trends
 * down-sampled into buckets, statistics over the window from the stored rows themselves, the
 * health and where collection stands. Field names follow jlon/starrocks-admin's API where they
 * were right (`latest_snapshot`, `performance_trends`, `resource_trends`, `statistics`).
 */
import { z } from 'zod';
import { HEALTH_STATUSES } from '../health.js';
import { fieldDescription } from '../fields/field-docs.js';
import { COLLECT_STATUSES, SNAPSHOT_FIELDS, type SnapshotValues } from '../snapshot-fields.js';
import { DEPLOYMENT_MODES, ENGINES } from '../cluster-kinds.js';
import { ClusterResponse, CollectionStateResponse } from './clusters.js';
import { isoTime, nullableNumber } from './common.js';

/** Preset windows of `time_range`; `custom` when `from`/`to` were given. */
export const TIME_RANGES = ['15m', '1h', '6h', '24h', '3d', '7d', '30d'] as const;
export type TimeRange = (typeof TIME_RANGES)[number];
export const DEFAULT_TIME_RANGE: TimeRange = '1h';
export const DEFAULT_MAX_POINTS = 720;
export const MAX_MAX_POINTS = 5000;

/**
 * A trend series as numbers: one value per entry of the overview's `trend_timestamps` (the
 * buckets holding data), the columnar form Grafana's data frames and uPlot use, so a 720-point
 * window of twenty series is one array of times and twenty of numbers, not 14,400 objects.
 */
const TrendValuesResponse = z.array(z.number().nullable());

const series = (description: string) =>
  TrendValuesResponse.meta({ description: `${description}; one value per trend_timestamps entry: the bucket's average, null where its samples lacked the value` });

/**
 * Every trend series, by group, with its unit: the trends, their statistics and the console's
 * charts are all keyed by these names.
 */
export const TREND_SERIES = {
  performance_trends: {
    qps: 'queries/s',
    rps: 'requests/s',
    latency_p50: 'ms',
    latency_p95: 'ms',
    latency_p99: 'ms',
    query_error_pct: '% of the interval’s queries that failed (query_error_pct)',
  },
  resource_trends: {
    cpu_usage: 'avg_cpu_usage, %',
    memory_usage: 'avg_memory_usage, %',
    disk_usage: 'disk_usage_pct, %',
    jvm_heap_usage: 'jvm_heap_usage_pct, %',
    network_tx: 'network_send_rate, bytes/s (BE scraping)',
    network_rx: 'network_receive_rate, bytes/s (BE scraping)',
    io_read: 'io_read_rate, bytes/s (BE scraping)',
    io_write: 'io_write_rate, bytes/s (BE scraping)',
  },
  workload_trends: {
    txn_begin: 'transactions per collection interval',
    txn_success: 'transactions per collection interval',
    txn_failed: 'transactions per collection interval',
    txn_running: 'transactions',
    load_running: 'jobs',
    loads_finished: 'jobs per collection interval',
  },
} as const;

export type TrendGroup = keyof typeof TREND_SERIES;

/** An object with one `schema` per series of a group. */
function perSeries<G extends TrendGroup, S extends z.ZodType>(group: G, schema: (description: string) => S) {
  const entries = Object.entries<string>(TREND_SERIES[group]).map(([name, description]) => [name, schema(description)]);
  return z.object(Object.fromEntries(entries) as { [K in keyof (typeof TREND_SERIES)[G]]: S });
}

const SeriesStatisticsResponse = z
  .object({
    last: nullableNumber('The latest value in the window'),
    mean: nullableNumber('The mean of the values in the window'),
    max: nullableNumber('The highest value in the window; null where the tables read keep no maximum of it (docs/api.md)'),
  })
  .meta({ id: 'SeriesStatistics', description: 'Of the stored values themselves, not of the trend’s bucket averages; null when the window holds no value' });

const OverviewStatisticsResponse = z
  .object({
    availability_pct: nullableNumber('Share of collections in the window that reached the cluster (status ok or partial), %'),
    samples: z.number().meta({ description: 'Collections in the window' }),
    performance_trends: perSeries('performance_trends', () => SeriesStatisticsResponse),
    resource_trends: perSeries('resource_trends', () => SeriesStatisticsResponse),
    workload_trends: perSeries('workload_trends', () => SeriesStatisticsResponse),
    custom: z
      .record(z.string(), SeriesStatisticsResponse)
      .meta({ description: 'Each custom metric in effect (docs/metrics.md, "Custom metrics"), over the window from the table the trends are read from (the tiers and daily rows keep each metric\'s sum, count and maximum): mean Σsum ÷ Σn, the highest maximum, last the latest raw snapshot\'s value while kept (else the latest bucket\'s or day\'s mean)' }),
  })
  .meta({ id: 'OverviewStatistics', description: 'Over the window, from the stored figures: raw snapshots and tier buckets, or the daily rows at daily resolution (docs/api.md)' });

const FailedSourceResponse = z.object({
  source: z.string().meta({ description: '`frontends`, `backends`, `compute_nodes`, `metrics HOST:PORT`, `be_metrics HOST:PORT`, `runtime_info HOST:PORT`, `field NAME`, `custom_metrics`' }),
  kind: z.string().meta({ description: 'A ScrapeError kind (refused, timeout, auth, http_status, malformed, network, query_failed, not_allowed, over_limit), parse, or custom_metric (a custom metric\'s warning: its family missing on some nodes or on all, or a `be` metric without the be_metrics source)' }),
  message: z.string(),
});

// Generated from the field catalogue, so a new snapshot field appears in the spec and the type by itself.
const snapshotValues = Object.fromEntries(
  SNAPSHOT_FIELDS.map((f) => [f.name, (f.column === 'text' ? z.string() : z.number()).nullable().meta({ description: fieldDescription(f) })]),
) as unknown as { [K in keyof SnapshotValues]: z.ZodType<SnapshotValues[K]> };

export const SnapshotResponse = z
  .object({
    ...snapshotValues,
    collected_at: isoTime(),
    collect_status: z.enum(COLLECT_STATUSES).nullable(),
    collect_duration_ms: z.number().nullable(),
    failed_sources: z.array(FailedSourceResponse),
    frontends_scraped: z.number().nullable(),
    custom: z
      .record(z.string(), z.number().nullable())
      .meta({ description: 'Each custom metric in effect (docs/metrics.md, "Custom metrics") by name: its value in this snapshot; null when the collection gave none or the metric was defined after it' }),
  })
  .meta({ id: 'Snapshot', description: 'Every snapshot field (docs/metrics.md) and the collection metadata' });

const HealthReasonResponse = z.object({
  level: z.enum(['warning', 'critical']),
  code: z.string().meta({ description: 'Stable identifier, e.g. backend_down, disk_usage (docs/api.md lists them)' }),
  message: z.string(),
  penalty: z.number().meta({ description: 'Points taken off the score of 100' }),
});

export const HealthResponse = z
  .object({
    status: z.enum(HEALTH_STATUSES),
    score: z.number().nullable().meta({ description: '0–100; null while pending' }),
    reasons: z.array(HealthReasonResponse),
  })
  .meta({ id: 'Health' });

/** `pending`: no collection has stored a row yet. */
export const OverviewStatusResponse = z.enum(['pending', ...COLLECT_STATUSES]);

const OverviewWindowResponse = z.object({
  from: isoTime(),
  to: isoTime(),
  time_range: z.enum([...TIME_RANGES, 'custom']),
  resolution: z
    .enum(['raw', '5m', '1h', 'daily'])
    .meta({ description: 'What the trends were read from: `raw` snapshots, the `5m` or `1h` tier (the coarsest that still gives max_points points and holds the window; raw snapshots packed into hourly blocks instead of the `5m` tier), or the `daily` rows' }),
  bucket_seconds: z.number().meta({ description: 'Width of one bucket of the trends' }),
  max_points: z.number(),
});

export const ClusterOverviewResponse = z
  .object({
    cluster_id: z.number(),
    cluster_name: z.string(),
    timestamp: isoTime().meta({ description: 'Of the response' }),
    collect_status: OverviewStatusResponse,
    status_message: z.string().meta({ description: 'The status in words, e.g. "collection pending: the first collection has not run yet"' }),
    version: z.string().nullable(),
    engine: z.enum(ENGINES),
    deployment_mode: z.enum(DEPLOYMENT_MODES),
    tags: z.array(z.string()),
    sources: ClusterResponse.shape.sources,
    effective_sources: ClusterResponse.shape.effective_sources,
    collection: CollectionStateResponse.nullable(),
    health: HealthResponse,
    window: OverviewWindowResponse,
    latest_snapshot: SnapshotResponse.nullable(),
    trend_timestamps: z.array(z.number()).meta({
      description:
        'Start of each bucket of the trends that holds data, Unix seconds, oldest first (at daily resolution the start of the day in the roll-up time zone). A bucket in which nothing was collected has no timestamp: a gap. Every series of performance_trends, resource_trends, workload_trends and custom_trends has one value per timestamp',
    }),
    performance_trends: perSeries('performance_trends', series),
    resource_trends: perSeries('resource_trends', series),
    workload_trends: perSeries('workload_trends', series),
    custom_trends: z
      .record(z.string(), TrendValuesResponse)
      .meta({
        description:
          'Each custom metric in effect by name: one value per trend_timestamps entry, as the other trends, read from the same table (`window.resolution`: raw snapshots, the 5-minute or hourly tier, the daily rows keep each metric\'s sum, count and maximum), so they reach back as far as it; null in a bucket whose rows have no value of the metric',
      }),
    statistics: OverviewStatisticsResponse,
  })
  .meta({ id: 'ClusterOverview' });

/** One trend series: a value per entry of `trend_timestamps`. */
export type TrendValues = z.output<typeof TrendValuesResponse>;
export type SeriesStatistics = z.output<typeof SeriesStatisticsResponse>;
export type OverviewStatistics = z.output<typeof OverviewStatisticsResponse>;
/** The statistics of the built-in series, read from whichever table serves the window. */
export type BuiltInStatistics = Omit<OverviewStatistics, 'custom'>;
export type FailedSourceJson = z.output<typeof FailedSourceResponse>;
export type SnapshotJson = z.output<typeof SnapshotResponse>;
export type HealthReason = z.output<typeof HealthReasonResponse>;
export type HealthJson = z.output<typeof HealthResponse>;
export type OverviewStatus = z.output<typeof OverviewStatusResponse>;
export type OverviewWindow = z.output<typeof OverviewWindowResponse>;
export type ClusterOverviewJson = z.output<typeof ClusterOverviewResponse>;
/** The name of a series within its group, e.g. `qps` of `performance_trends`. */
export type SeriesName<G extends TrendGroup> = keyof (typeof TREND_SERIES)[G] & string;
