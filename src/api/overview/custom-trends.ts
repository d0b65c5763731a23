/**
 * The custom metrics' trends and statistics of an overview window. The tiers and the daily rows
 * keep no custom values, so whatever table serves the other trends, these are read from the raw
 * snapshots' `custom_values` in the window (reaching back as far as raw snapshots are kept) and
 * put in the same buckets: the same width, the same timestamps. Every metric in effect gets a
 * series, empty where the window holds no raw snapshot. Read on `deps.db`, the reader (off the
 * event loop on SQLite), as every overview read.
 */
import type { Kysely } from 'kysely';
import type { SeriesStatistics } from '../../shared/api/overview.js';
import type { CustomMetric } from '../../shared/custom-metrics.js';
import type { Database } from '../../storage/database.js';
import { storedCustomValues } from '../presenters/custom-values.js';
import { type BucketPlan, meanOf, TrendBuckets, type TrendColumns } from './downsample.js';
import { Figure } from './statistics.js';

/** Where a snapshot falls on the buckets' axis: as the other trends of the response place it. */
export interface BucketAxis {
  /** The position of a snapshot taken at `ms` (itself, or its day's position for daily buckets). */
  readonly at: (ms: number) => number;
}

export const TIME_AXIS: BucketAxis = { at: (ms) => ms };

export interface CustomWindowFigures {
  /** The metrics' means per bucket, a series per metric in the order asked. */
  readonly columns: TrendColumns;
  readonly statistics: Record<string, SeriesStatistics>;
}

export async function customWindowFigures(
  db: Kysely<Database>,
  clusterId: number,
  window: { readonly from: number; readonly to: number },
  plan: BucketPlan,
  axis: BucketAxis,
  metrics: readonly Pick<CustomMetric, 'name'>[],
): Promise<CustomWindowFigures> {
  if (metrics.length === 0) return { columns: { starts: [], series: [] }, statistics: {} };
  const names = metrics.map((m) => m.name);
  const rows = await db
    .selectFrom('metrics_snapshots')
    .select(['collected_at', 'custom_values'])
    .where('cluster_id', '=', clusterId)
    .where('collected_at', '>=', window.from)
    .where('collected_at', '<', window.to)
    .orderBy('collected_at')
    .execute();
  const buckets = new TrendBuckets(plan, names);
  const figures = names.map(() => new Figure());
  for (const row of rows) {
    const stored = storedCustomValues(row.custom_values);
    const values: Record<string, number | null> = {};
    names.forEach((name, i) => {
      const value = stored.get(name) ?? null;
      values[name] = value;
      figures[i]!.add(value, 1, value);
    });
    buckets.add(axis.at(row.collected_at), values);
  }
  return {
    columns: buckets.columnsOf(names.map((_, i) => meanOf(i))),
    statistics: Object.fromEntries(names.map((name, i) => [name, figures[i]!.result()])),
  };
}
