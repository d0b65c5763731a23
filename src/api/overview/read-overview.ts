/**
 * One cluster's overview: its latest snapshot, down-sampled trends and statistics over the
 * window, health and collection status. The trends come from the coarsest table that still gives
 * the points asked for (time-window.ts, chooseResolution): raw snapshots, the 5-minute or hourly
 * tier, or the daily rows. Tier buckets cover the inside of the window; its ragged edges are
 * read from raw snapshots while they are kept, so the statistics are exactly the window's.
 */
import { dayOf, dayStart } from '../../shared/day.js';
import { clusterSources } from '../../shared/optional-sources.js';
import { type BuiltInStatistics, type ClusterOverviewJson, DEFAULT_TIME_RANGE, type OverviewWindow, type TimeRange } from '../../shared/api/overview.js';
import { dailyColumnsBetween } from '../../storage/repos/daily.repo.js';
import { frontendListsOf } from '../../storage/repos/nodes.repo.js';
import { latestRowBetween, latestSnapshotRow } from '../../storage/repos/snapshots.repo.js';
import { groupedTierFigures } from '../../storage/repos/tiers.repo.js';
import { packedUntil } from '../../collector/trend-blocks.js';
import { tierBlocksUntil } from '../../collector/tier-blocks.js';
import { tierBlockSums } from '../../storage/repos/tier-blocks.repo.js';
import { presentCollection } from '../presenters/cluster.js';
import { clusterVersion } from '../presenters/nodes.js';
import { presentSnapshot } from '../presenters/snapshot.js';
import { alignColumns, type BucketPlan, meanOf, planBuckets, TrendBuckets, type TrendColumns } from './downsample.js';
import { collectStatusOf, healthOf } from './latest-status.js';
import { rawWindowGroups } from './raw-window-groups.js';
import type { RawBucketSums } from '../../storage/trend-block-sums.js';
import { clusterIntervalMs, type StoredDataDeps } from '../stored-data-deps.js';
import { collectionStateOf } from '../../storage/repos/collection-state.repo.js';
import { SpanSample } from './span-figures.js';
import { type BucketAxis, customWindowFigures, type CustomSource, TIME_AXIS } from './custom-trends.js';
import { dailyStatistics, SpanStatistics } from './statistics.js';
import { chooseResolution, DAY_MS, type Resolution, resolveWindow, TIER_WIDTH_MS, tierWindowParts, type TimeWindow, type WindowEdge } from './time-window.js';
import { ALL_SERIES, dailyValue, DAILY_TREND_COLUMNS, DERIVED_TREND_FIELDS, mapSeries, RAW_TREND_COLUMNS, seriesValueOf, TIER_MAX_FIELDS, TIER_TREND_COLUMNS, TREND_FIELDS } from './trend-series.js';

export interface OverviewRequest {
  readonly timeRange?: TimeRange | undefined;
  readonly from?: number | undefined;
  readonly to?: number | undefined;
  readonly maxPoints: number;
}

/** The built-in trends of a window: every series of ALL_SERIES, in its order, per bucket holding data. */
interface WindowTrends {
  readonly columns: TrendColumns;
  readonly statistics: BuiltInStatistics;
}


const SERIES_VALUES = ALL_SERIES.map((source) => seriesValueOf(source, TREND_FIELDS));

/** Trends and statistics of the groups a window is read as (rows of either table summed per bucket), oldest first. */
class WindowFigures {
  readonly buckets: TrendBuckets<string>;
  readonly statistics = new SpanStatistics();
  private readonly sample = new SpanSample(TREND_FIELDS, DERIVED_TREND_FIELDS);

  constructor(plan: BucketPlan) {
    this.buckets = new TrendBuckets<string>(plan, TREND_FIELDS);
  }

  addGroups(rows: readonly Readonly<Record<string, unknown>>[]): void {
    for (const row of rows) {
      this.sample.loadGroup(row);
      this.buckets.addSample(this.sample);
      this.statistics.addSample(this.sample);
    }
  }

  addRawBuckets(raw: RawBucketSums): void {
    for (const [bucket, sums] of raw.buckets()) {
      this.sample.loadSums(bucket, sums, raw.columns);
      this.buckets.addSample(this.sample);
      this.statistics.addSample(this.sample);
    }
  }

  /** The window's latest raw row: the statistics' `last` values. */
  setLast(row: Readonly<Record<string, unknown>> | undefined): void {
    if (row !== undefined) this.statistics.setLast(this.sample.loadRaw(row));
  }

  result(): WindowTrends {
    return { columns: this.buckets.columnsOf(SERIES_VALUES), statistics: this.statistics.result() };
  }
}

const rawBuckets = (deps: StoredDataDeps, clusterId: number, from: number, to: number, widthMs: number, packed: number | undefined) =>
  rawWindowGroups(deps.db, clusterId, from, to, widthMs, RAW_TREND_COLUMNS, packed);

// Every read of a window is started at once and added up in a fixed order afterwards: on SQLite
// each read is a round trip to a read thread, and on PostgreSQL one to the server.

async function rawTrends(deps: StoredDataDeps, clusterId: number, window: TimeWindow, plan: BucketPlan, packed: number | undefined) {
  const [raw, last] = await Promise.all([rawBuckets(deps, clusterId, window.from, window.to, plan.widthMs, packed), latestRowBetween(deps.keyed, clusterId, window.from, window.to, TREND_FIELDS)]);
  const figures = new WindowFigures(plan);
  figures.addRawBuckets(raw);
  figures.setLast(last);
  return figures.result();
}

type Add = (figures: WindowFigures) => void;
const NOTHING: Add = () => {};

/** A part of a window read from raw rows (through their blocks), or from a tier's rows, ready to be added. */
async function rawPart(deps: StoredDataDeps, clusterId: number, from: number, to: number, plan: BucketPlan, packed: number | undefined): Promise<Add> {
  const raw = await rawBuckets(deps, clusterId, from, to, plan.widthMs, packed);
  return (figures) => figures.addRawBuckets(raw);
}

async function tierRowsPart(deps: StoredDataDeps, clusterId: number, tier: '5m' | '1h', from: number, to: number, plan: BucketPlan): Promise<Add> {
  const rows = await groupedTierFigures(deps.db, tier === '5m' ? 'metrics_5m' : 'metrics_1h', clusterId, from, to, plan.widthMs, TREND_FIELDS, (f) => TIER_MAX_FIELDS.has(f));
  return (figures) => figures.addGroups(rows);
}

/**
 * The inside of a tier window (whole tier buckets, `[from, to)`): each day's tier block where
 * it is built (a closed day's buckets in one value, summed in the read thread), the rest from
 * tier rows — or, for the 5-minute tier while raw rows are kept, from raw trend blocks, one an
 * hour where the tier has twelve rows of a hundred and forty columns. A day whose block is
 * missing (its cluster had no rows yet when it was built, or the block predates a trend field)
 * is read as the rest is.
 */
async function tierInside(deps: StoredDataDeps, clusterId: number, tier: '5m' | '1h', [from, to]: readonly [number, number], plan: BucketPlan, rawKept: number, packed: number | undefined, blocksUntil: number | undefined): Promise<Add[]> {
  const rest = (a: number, b: number): Promise<Add> =>
    a >= b ? Promise.resolve(NOTHING) : tier === '5m' && a >= rawKept ? rawPart(deps, clusterId, a, b, plan, packed) : tierRowsPart(deps, clusterId, tier, a, b, plan);
  if (from >= to) return [];
  const firstDay = Math.floor(from / DAY_MS) * DAY_MS;
  const blockedTo = Math.min(to, Math.max(firstDay, blocksUntil ?? firstDay));
  if (blockedTo <= from) return [await rest(from, to)];
  const toDay = Math.ceil(blockedTo / DAY_MS) * DAY_MS;
  const [blocks, after] = await Promise.all([
    tierBlockSums(deps.db, { clusterId, tier, fromDay: firstDay, toDay, columns: TREND_FIELDS, from, to: blockedTo, widthMs: plan.widthMs }),
    rest(blockedTo, to),
  ]);
  const gaps: Array<[number, number]> = [];
  for (let day = firstDay; day < toDay; day += DAY_MS) {
    if (blocks.covered.has(day)) continue;
    const [a, b] = [Math.max(from, day), Math.min(blockedTo, day + DAY_MS)];
    const previous = gaps.at(-1);
    if (previous !== undefined && previous[1] === a) previous[1] = b;
    else gaps.push([a, b]);
  }
  const missing = await Promise.all(gaps.map(([a, b]) => rest(a, b)));
  return [(figures) => figures.addRawBuckets(blocks.sums), ...missing, after];
}

/**
 * A tier's buckets inside the window, and its ragged edges from raw rows while they are kept
 * (else the tier's edge buckets whole, the closest it can come), all summed per point.
 */
async function tierTrends(deps: StoredDataDeps, clusterId: number, window: TimeWindow, plan: BucketPlan, tier: '5m' | '1h', now: number, packed: number | undefined, blocksUntil: number | undefined) {
  const rawKept = now - deps.settings.retentionDays * DAY_MS;
  const parts = tierWindowParts(window, TIER_WIDTH_MS[tier], rawKept);
  const edge = (part: WindowEdge | undefined): Promise<Add> =>
    part === undefined ? Promise.resolve(NOTHING) : 'raw' in part ? rawPart(deps, clusterId, part.raw[0], part.raw[1], plan, packed) : tierRowsPart(deps, clusterId, tier, part.tier[0], part.tier[1], plan);
  const [head, inside, tail, last] = await Promise.all([
    edge(parts.head),
    tierInside(deps, clusterId, tier, parts.inside, plan, rawKept, packed, blocksUntil),
    edge(parts.tail),
    window.to > rawKept ? latestRowBetween(deps.keyed, clusterId, Math.max(window.from, rawKept), window.to, TREND_FIELDS) : undefined,
  ]);
  const figures = new WindowFigures(plan);
  for (const add of [head, ...inside, tail]) add(figures);
  figures.setLast(last);
  return figures.result();
}

/** A calendar day as a position on the bucket axis: its UTC midnight, so every day is 24 h long. */
const dayPosition = (day: string): number => Date.parse(`${day}T00:00:00Z`);
const positionDay = (position: number): string => new Date(position).toISOString().slice(0, 10);
/** A daily bucket's time: the start of its first day in the roll-up zone, as the daily rows count days (epoch ms). */
const dailyStart = (zone: string) => (position: number) => dayStart(positionDay(position), zone);

/** The daily rows' plan: whole days from `first` to `last`, on the calendar of the roll-up zone. */
interface DailyPlan {
  readonly plan: BucketPlan;
  readonly first: string;
  readonly last: string;
}

function dailyPlan(window: TimeWindow, maxPoints: number, timeZone: string): DailyPlan {
  const first = dayOf(window.from, timeZone);
  const last = dayOf(window.to - 1, timeZone);
  return { plan: planBuckets(dayPosition(first), dayPosition(last) + DAY_MS, maxPoints, DAY_MS), first, last };
}

async function dailyTrends(deps: StoredDataDeps, clusterId: number, { plan, first, last }: DailyPlan): Promise<WindowTrends> {
  const rows = await dailyColumnsBetween(deps.db, clusterId, first, last, DAILY_TREND_COLUMNS);
  const buckets = new TrendBuckets(plan, ALL_SERIES.map((source) => source.raw));
  for (const row of rows) {
    buckets.add(dayPosition(row.snapshot_date), Object.fromEntries(ALL_SERIES.map((source) => [source.raw, dailyValue(source, row)])));
  }
  return { columns: buckets.columnsOf(ALL_SERIES.map((_, i) => meanOf(i))), statistics: dailyStatistics(rows) };
}

/**
 * Where the custom trends are read from: the table of the built-in ones. Where those are read
 * raw, the coarsest tier that still holds the window and whose buckets nest exactly in the
 * response's (its width divides theirs) gives the same points from far fewer rows. `days` is
 * the daily rows' plan where the window is read from them.
 */
function customSource(deps: StoredDataDeps, resolution: Resolution, window: TimeWindow, plan: BucketPlan, now: number, days: DailyPlan | undefined): CustomSource {
  const rawKeptFrom = now - deps.settings.retentionDays * DAY_MS;
  if (days !== undefined) return { table: 'daily', first: days.first, last: days.last, dayPosition };
  if (resolution === '5m' || resolution === '1h') return { table: resolution === '5m' ? 'metrics_5m' : 'metrics_1h', widthMs: TIER_WIDTH_MS[resolution], rawKeptFrom };
  const nested = (
    [
      ['1h', 'metrics_1h', deps.settings.retention1hDays],
      ['5m', 'metrics_5m', deps.settings.retention5mDays],
    ] as const
  ).find(([tier, , keptDays]) => plan.widthMs % TIER_WIDTH_MS[tier] === 0 && window.from >= now - keptDays * DAY_MS);
  return nested === undefined ? { table: 'raw' } : { table: nested[1], widthMs: TIER_WIDTH_MS[nested[0]], rawKeptFrom };
}

export async function readClusterOverview(deps: StoredDataDeps, clusterId: number, request: OverviewRequest): Promise<ClusterOverviewJson> {
  const now = deps.now();
  const window = resolveWindow(request, now, DEFAULT_TIME_RANGE);
  const [cluster, packed, blocks5m, blocks1h, latest, nodes, collectionState] = await Promise.all([
    deps.registry.get(clusterId),
    packedUntil(deps.keyed, RAW_TREND_COLUMNS),
    tierBlocksUntil(deps.keyed, '5m', TIER_TREND_COLUMNS),
    tierBlocksUntil(deps.keyed, '1h', TIER_TREND_COLUMNS),
    latestSnapshotRow(deps.keyed, clusterId),
    // Only the frontends list (the version): a backends list of hundreds of nodes is tens of kB the overview does not show.
    frontendListsOf(deps.keyed, [clusterId]).then((rows) => rows[0]),
    collectionStateOf(deps.keyed, clusterId),
  ]);
  const intervalMs = clusterIntervalMs(deps.settings, cluster.collect_interval);
  const { retentionDays: raw, retention5mDays: tier5m, retention1hDays: tier1h } = deps.settings;
  const resolution = chooseResolution(window, now, request.maxPoints, intervalMs, { raw, tier5m, tier1h }, packed, blocks5m);
  const zone = deps.settings.rollupTimeZone;
  let plan: BucketPlan;
  let days: DailyPlan | undefined;
  let reading: Promise<WindowTrends>;
  if (resolution === 'raw') {
    plan = planBuckets(window.from, window.to, request.maxPoints, intervalMs);
    reading = rawTrends(deps, clusterId, window, plan, packed);
  } else if (resolution === 'daily') {
    days = dailyPlan(window, request.maxPoints, zone);
    plan = days.plan;
    reading = dailyTrends(deps, clusterId, days);
  } else {
    plan = planBuckets(window.from, window.to, request.maxPoints, Math.max(intervalMs, TIER_WIDTH_MS[resolution]));
    reading = tierTrends(deps, clusterId, window, plan, resolution, now, packed, resolution === '5m' ? blocks5m : blocks1h);
  }
  const customMetrics = deps.customMetrics.current();
  const axis: BucketAxis = resolution === 'daily' ? { at: (ms) => dayPosition(dayOf(ms, zone)) } : TIME_AXIS;
  const customFrom = customSource(deps, resolution, window, plan, now, days);
  const [trends, custom] = await Promise.all([reading, customWindowFigures(deps.db, clusterId, window, plan, axis, customMetrics, customFrom)]);
  const startOf = resolution === 'daily' ? dailyStart(zone) : (position: number) => position;
  const aligned = alignColumns([trends.columns, custom.columns]);
  const builtIn = new Map(ALL_SERIES.map((source, i) => [source, aligned.parts[0]![i] ?? []]));

  const collection = presentCollection(collectionState, now);
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
    sources: cluster.sources === null ? null : [...cluster.sources],
    effective_sources: clusterSources(cluster.sources, deps.settings.sources),
    collection,
    health: healthOf(latest, { now, intervalMs }),
    window: windowJson,
    latest_snapshot: latest === undefined ? null : presentSnapshot(latest, customMetrics),
    trend_timestamps: aligned.starts.map((position) => startOf(position) / 1000),
    ...mapSeries((source) => builtIn.get(source) ?? []),
    custom_trends: Object.fromEntries(customMetrics.map((metric, i) => [metric.name, aligned.parts[1]![i] ?? []])),
    statistics: { ...trends.statistics, custom: custom.statistics },
  };
}

