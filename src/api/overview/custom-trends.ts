/**
 * The custom metrics' trends and statistics of an overview window, in the buckets of the other
 * trends (the same width, the same timestamps), read from the same table as they are
 * (read-overview.ts): raw snapshots' `custom_values`, or the `custom_figures` ({name: [sum, n,
 * max]}, shared/custom-figures.ts) of the 5-minute or hourly tier or of the daily rows, so they
 * reach back as far as that table. Tier buckets cover the inside of the window and its ragged
 * edges are read from raw snapshots while they are kept, as the built-in trends' are. Where the
 * built-in trends are read raw (or from packed raw rows) and a tier's buckets nest exactly in
 * the response's, that tier is read instead: the same points from a twelfth of the rows or
 * fewer. Every metric in effect gets a series, null in a bucket whose rows have no value of it.
 * Read on `deps.db`, the reader (off the event loop on SQLite), as every overview read.
 *
 * Statistics are exact over the window: mean = Σsum ÷ Σn, max = the highest maximum; `last` is
 * the latest raw snapshot's value while raw snapshots of the window are kept, else the latest
 * bucket's mean (the last day's, for daily rows, as the built-in statistics take it).
 */
import type { Kysely } from 'kysely';
import type { SeriesStatistics } from '../../shared/api/overview.js';
import type { CustomMetric } from '../../shared/custom-metrics.js';
import { type CustomFigure, parseObject } from '../../shared/custom-figures.js';
import type { TierTable } from '../../shared/tier-fields.js';
import type { Database } from '../../storage/database.js';
import { dailyColumnsBetween } from '../../storage/repos/daily.repo.js';
import { tierCustomFiguresBetween } from '../../storage/repos/tiers.repo.js';
import { type BucketPlan, meanOf, TrendBuckets, type TrendColumns } from './downsample.js';
import { tierWindowParts, type WindowEdge } from './time-window.js';

/** Where a snapshot falls on the buckets' axis: as the other trends of the response place it. */
export interface BucketAxis {
  /** The position of a snapshot taken at `ms` (itself, or its day's position for daily buckets). */
  readonly at: (ms: number) => number;
}

export const TIME_AXIS: BucketAxis = { at: (ms) => ms };

/** The table the custom figures are read from, as the window's resolution says. */
export type CustomSource =
  | { readonly table: 'raw' }
  | { readonly table: TierTable; readonly widthMs: number; readonly rawKeptFrom: number }
  | { readonly table: 'daily'; readonly first: string; readonly last: string; readonly dayPosition: (day: string) => number };

export interface CustomWindowFigures {
  /** The metrics' means per bucket, a series per metric in the order asked. */
  readonly columns: TrendColumns;
  readonly statistics: Record<string, SeriesStatistics>;
}

/**
 * A stored JSON object's entry for one metric as [sum, n, max]: a raw snapshot's number counts
 * once, a bucket's or day's `[sum, n, max]` as it is; anything else is no value.
 */
function figureOf(entry: unknown): CustomFigure | undefined {
  if (typeof entry === 'number') return Number.isFinite(entry) ? [entry, 1, entry] : undefined;
  if (!Array.isArray(entry)) return undefined;
  const [sum, n, max] = entry as unknown[];
  return typeof sum === 'number' && typeof n === 'number' && typeof max === 'number' && n > 0 && Number.isFinite(sum) && Number.isFinite(max) ? [sum, n, max] : undefined;
}

/**
 * Sums, counts and maxima of the metrics, per bucket and over the window, fed oldest first.
 * A week of 5-minute buckets is thousands of rows a request: each is read for the metrics in
 * effect only, into arrays reused from row to row.
 */
class CustomAccumulator {
  readonly buckets: TrendBuckets<string>;
  private readonly sum: Float64Array;
  private readonly n: Float64Array;
  private readonly max: Float64Array;
  private readonly last: (number | null)[];
  private readonly rowSum: Float64Array;
  private readonly rowN: Float64Array;

  constructor(
    plan: BucketPlan,
    private readonly names: readonly string[],
  ) {
    this.buckets = new TrendBuckets(plan, names);
    this.sum = new Float64Array(names.length);
    this.n = new Float64Array(names.length);
    this.max = new Float64Array(names.length).fill(Number.NaN);
    this.last = names.map(() => null);
    this.rowSum = new Float64Array(names.length);
    this.rowN = new Float64Array(names.length);
  }

  /** A raw snapshot's `custom_values` (samples 1) or a bucket's or day's `custom_figures`, at its position on the axis. */
  add(at: number, samples: number, stored: string | null): void {
    this.rowSum.fill(0);
    this.rowN.fill(0);
    if (stored !== null) {
      const object = parseObject(stored);
      for (let i = 0; i < this.names.length; i += 1) {
        const figure = figureOf(object[this.names[i]!]);
        if (figure === undefined) continue;
        const [s, count, high] = figure;
        this.rowSum[i] = s;
        this.rowN[i] = count;
        this.sum[i] = (this.sum[i] ?? 0) + s;
        this.n[i] = (this.n[i] ?? 0) + count;
        if (!(high <= (this.max[i] ?? Number.NaN))) this.max[i] = high;
        this.last[i] = s / count;
      }
    }
    this.buckets.addSample({ at, samples, sum: this.rowSum, n: this.rowN });
  }

  /** The latest values (the window's latest raw snapshot's `custom_values`), where it has them: they add nothing to the totals. */
  setLast(stored: string | null): void {
    const object = parseObject(stored);
    this.names.forEach((name, i) => {
      const figure = figureOf(object[name]);
      if (figure !== undefined) this.last[i] = figure[0] / figure[1];
    });
  }

  result(): CustomWindowFigures {
    return {
      columns: this.buckets.columnsOf(this.names.map((_, i) => meanOf(i))),
      statistics: Object.fromEntries(
        this.names.map((name, i) => {
          const n = this.n[i] ?? 0;
          const high = this.max[i] ?? Number.NaN;
          return [name, { last: this.last[i] ?? null, mean: n === 0 ? null : (this.sum[i] ?? 0) / n, max: Number.isNaN(high) ? null : high }];
        }),
      ),
    };
  }
}

function rawRows(db: Kysely<Database>, clusterId: number, from: number, to: number) {
  return db
    .selectFrom('metrics_snapshots')
    .select(['collected_at', 'custom_values'])
    .where('cluster_id', '=', clusterId)
    .where('collected_at', '>=', from)
    .where('collected_at', '<', to)
    .orderBy('collected_at')
    .execute();
}

async function latestRawValues(db: Kysely<Database>, clusterId: number, from: number, to: number): Promise<string | null | undefined> {
  const row = await db
    .selectFrom('metrics_snapshots')
    .select('custom_values')
    .where('cluster_id', '=', clusterId)
    .where('collected_at', '>=', from)
    .where('collected_at', '<', to)
    .orderBy('collected_at', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row?.custom_values;
}

type Add = (figures: CustomAccumulator) => void;

// Each part of a window is read at once and added in time order afterwards (the latest bucket's mean is `last` where no raw row says it).

async function readRaw(db: Kysely<Database>, clusterId: number, from: number, to: number, axis: BucketAxis): Promise<Add> {
  if (from >= to) return () => {};
  const rows = await rawRows(db, clusterId, from, to);
  return (figures) => {
    for (const row of rows) figures.add(axis.at(Number(row.collected_at)), 1, row.custom_values);
  };
}

async function readTier(db: Kysely<Database>, table: TierTable, clusterId: number, from: number, to: number): Promise<Add> {
  if (from >= to) return () => {};
  const rows = await tierCustomFiguresBetween(db, table, clusterId, from, to);
  return (figures) => {
    for (const row of rows) figures.add(Number(row.bucket_start), Number(row.samples), row.custom_figures);
  };
}

export async function customWindowFigures(
  db: Kysely<Database>,
  clusterId: number,
  window: { readonly from: number; readonly to: number },
  plan: BucketPlan,
  axis: BucketAxis,
  metrics: readonly Pick<CustomMetric, 'name'>[],
  source: CustomSource = { table: 'raw' },
): Promise<CustomWindowFigures> {
  if (metrics.length === 0) return { columns: { starts: [], series: [] }, statistics: {} };
  const figures = new CustomAccumulator(
    plan,
    metrics.map((m) => m.name),
  );
  if (source.table === 'raw') {
    (await readRaw(db, clusterId, window.from, window.to, axis))(figures);
  } else if (source.table === 'daily') {
    for (const row of await dailyColumnsBetween(db, clusterId, source.first, source.last, ['samples', 'custom_figures'])) {
      figures.add(source.dayPosition(row.snapshot_date), Number(row.samples ?? 0), row.custom_figures);
    }
  } else {
    const parts = tierWindowParts(window, source.widthMs, source.rawKeptFrom);
    const edge = (part: WindowEdge | undefined): Promise<Add> =>
      part === undefined ? Promise.resolve<Add>(() => {}) : 'raw' in part ? readRaw(db, clusterId, part.raw[0], part.raw[1], axis) : readTier(db, source.table, clusterId, part.tier[0], part.tier[1]);
    const reads = await Promise.all([edge(parts.head), readTier(db, source.table, clusterId, parts.inside[0], parts.inside[1]), edge(parts.tail)]);
    for (const add of reads) add(figures);
    if (window.to > source.rawKeptFrom) {
      figures.setLast((await latestRawValues(db, clusterId, Math.max(window.from, source.rawKeptFrom), window.to)) ?? null);
    }
  }
  return figures.result();
}
