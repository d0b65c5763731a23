/**
 * One cluster's overview: its latest snapshot, down-sampled trends and statistics over the
 * window, health and collection status. Windows within the raw retention read the snapshots
 * (only the trend columns, streamed into buckets); longer ones read the daily roll-ups.
 */
import { dayOf, dayStart } from '../../shared/day.js';
import { type ClusterOverviewJson, DEFAULT_TIME_RANGE, type OverviewStatistics, type OverviewWindow, type TimeRange } from '../../shared/api/overview.js';
import { dailyColumnsBetween } from '../../storage/repos/daily.repo.js';
import { clusterNodesRow } from '../../storage/repos/nodes.repo.js';
import { latestSnapshotRow, type SnapshotColumn, streamSnapshotColumns } from '../../storage/repos/snapshots.repo.js';
import { presentCollection } from '../presenters/cluster.js';
import { clusterVersion } from '../presenters/nodes.js';
import { presentSnapshot } from '../presenters/snapshot.js';
import { type BucketPlan, planBuckets, TrendBuckets } from './downsample.js';
import { collectStatusOf, healthOf } from './latest-status.js';
import { clusterIntervalMs, type StoredDataDeps } from '../stored-data-deps.js';
import { dailyStatistics, WindowStatistics } from './statistics.js';
import { DAY_MS, resolutionOf, resolveWindow, type TimeWindow } from './time-window.js';
import { ALL_SERIES, dailyValue, DAILY_TREND_COLUMNS, mapSeries, RAW_TREND_COLUMNS, type SeriesSource } from './trend-series.js';

export interface OverviewRequest {
  readonly timeRange?: TimeRange | undefined;
  readonly from?: number | undefined;
  readonly to?: number | undefined;
  readonly maxPoints: number;
}

type Groups = Pick<ClusterOverviewJson, 'performance_trends' | 'resource_trends' | 'workload_trends'>;


async function rawTrends(deps: StoredDataDeps, clusterId: number, window: TimeWindow, plan: BucketPlan): Promise<Groups & { statistics: OverviewStatistics }> {
  const buckets = new TrendBuckets(plan, RAW_TREND_COLUMNS);
  const statistics = new WindowStatistics();
  const columns: SnapshotColumn[] = [...RAW_TREND_COLUMNS, 'collect_status'];
  for await (const row of streamSnapshotColumns(deps.db, clusterId, window.from, window.to, columns)) {
    const values = row as unknown as Record<SnapshotColumn, number | null> & Parameters<WindowStatistics['add']>[0];
    buckets.add(row.collected_at, values);
    statistics.add(values);
  }
  return { ...mapSeries((source: SeriesSource) => buckets.points(source.raw)), statistics: statistics.result() };
}

/** A calendar day as a position on the bucket axis: its UTC midnight, so every day is 24 h long. */
const dayPosition = (day: string): number => Date.parse(`${day}T00:00:00Z`);
const positionDay = (position: number): string => new Date(position).toISOString().slice(0, 10);

/** The daily rows' plan: whole days, on the calendar of the roll-up zone. */
function dailyPlan(window: TimeWindow, maxPoints: number, timeZone: string): { plan: BucketPlan; first: string; last: string } {
  const first = dayOf(window.from, timeZone);
  const last = dayOf(window.to - 1, timeZone);
  return { plan: planBuckets(dayPosition(first), dayPosition(last) + DAY_MS, maxPoints, DAY_MS), first, last };
}

async function dailyTrends(deps: StoredDataDeps, clusterId: number, window: TimeWindow, maxPoints: number): Promise<Groups & { statistics: OverviewStatistics; plan: BucketPlan }> {
  const zone = deps.settings.rollupTimeZone;
  const { plan, first, last } = dailyPlan(window, maxPoints, zone);
  const rows = await dailyColumnsBetween(deps.db, clusterId, first, last, DAILY_TREND_COLUMNS);
  const buckets = new TrendBuckets(plan, RAW_TREND_COLUMNS);
  for (const row of rows) {
    buckets.add(dayPosition(row.snapshot_date), Object.fromEntries(ALL_SERIES.map((source) => [source.raw, dailyValue(source, row)])));
  }
  // A bucket's time is the start of its first day in the roll-up zone, as the daily rows count days.
  const timestamp = (position: number) => new Date(dayStart(positionDay(position), zone)).toISOString();
  return {
    ...mapSeries((source) => buckets.points(source.raw, timestamp)),
    statistics: dailyStatistics(rows),
    plan,
  };
}

export async function readClusterOverview(deps: StoredDataDeps, clusterId: number, request: OverviewRequest): Promise<ClusterOverviewJson> {
  const now = deps.now();
  const cluster = await deps.registry.get(clusterId);
  const window = resolveWindow(request, now, DEFAULT_TIME_RANGE);
  const resolution = resolutionOf(window, now, deps.settings.retentionDays);
  const intervalMs = clusterIntervalMs(deps.settings, cluster.collect_interval);
  const [latest, nodes] = await Promise.all([latestSnapshotRow(deps.db, clusterId), clusterNodesRow(deps.db, clusterId)]);

  let plan: BucketPlan;
  let trends: Groups & { statistics: OverviewStatistics };
  if (resolution === 'raw') {
    plan = planBuckets(window.from, window.to, request.maxPoints, intervalMs);
    trends = await rawTrends(deps, clusterId, window, plan);
  } else {
    const daily = await dailyTrends(deps, clusterId, window, request.maxPoints);
    plan = daily.plan;
    trends = daily;
  }

  const collection = presentCollection(deps.collectionState(clusterId), now);
  const { status, message } = collectStatusOf(latest, collection);
  const windowJson: OverviewWindow = {
    from: new Date(window.from).toISOString(),
    to: new Date(window.to).toISOString(),
    time_range: window.timeRange,
    resolution,
    bucket_seconds: plan.widthMs / 1000,
    max_points: request.maxPoints,
  };
  return {
    cluster_id: cluster.id,
    cluster_name: cluster.name,
    timestamp: new Date(now).toISOString(),
    collect_status: status,
    status_message: message,
    version: clusterVersion(nodes),
    engine: cluster.engine,
    deployment_mode: cluster.deployment_mode,
    tags: [...cluster.tags],
    collection,
    health: healthOf(latest, { now, intervalMs }),
    window: windowJson,
    latest_snapshot: latest === undefined ? null : presentSnapshot(latest),
    performance_trends: trends.performance_trends,
    resource_trends: trends.resource_trends,
    workload_trends: trends.workload_trends,
    statistics: trends.statistics,
  };
}
