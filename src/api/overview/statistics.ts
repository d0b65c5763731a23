/**
 * The statistics of an overview window: for every trend series its last, mean and max, and the
 * availability. Pure. They are taken from the stored rows themselves, never from the trends'
 * bucket averages (whose highest point understates the true maximum).
 *
 * - Raw snapshots: exact. Every sample carrying the figure counts once; `last` is the latest.
 * - Daily rows: `last` is the last day's figure, `mean` the days' figures weighted by the
 *   collections that reached the cluster that day (a day with half its collections failed
 *   weighs half), `max` the highest of the days' maxima where the roll-up keeps a maximum of
 *   the figure (null elsewhere: the highest day's average would understate it).
 */
import type { OverviewStatistics, SeriesStatistics } from '../../shared/api/overview.js';
import type { DailyValues } from '../../shared/daily-fields.js';
import type { SnapshotColumn } from '../../storage/repos/snapshots.repo.js';
import { ALL_SERIES, dailyMax, dailyValue, mapSeries, type SeriesSource } from './trend-series.js';

/** The columns of a raw snapshot the statistics read: the trends' and the status. */
export type StatisticsSample = { readonly collect_status: string | null } & Readonly<Partial<Record<Exclude<SnapshotColumn, 'collect_status'>, unknown>>>;

/** The columns of a daily row the statistics read. */
export type DailyStatisticsRow = Readonly<Partial<DailyValues>>;

const finite = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value);

/** A weighted mean, a maximum and the latest of one figure, fed oldest first. */
class Figure {
  private sum = 0;
  private weight = 0;
  private highest: number | null = null;
  private latest: number | null = null;

  add(value: unknown, weight: number, max: unknown): void {
    if (finite(value)) {
      this.latest = value;
      if (weight > 0) {
        this.sum += value * weight;
        this.weight += weight;
      }
    }
    if (finite(max) && (this.highest === null || max > this.highest)) this.highest = max;
  }

  result(): SeriesStatistics {
    return { last: this.latest, mean: this.weight === 0 ? null : this.sum / this.weight, max: this.highest };
  }
}

const REACHABLE = new Set(['ok', 'partial']);

class Accumulator {
  private readonly figures = new Map<SeriesSource, Figure>(ALL_SERIES.map((s) => [s, new Figure()]));
  samples = 0;
  reachable = 0;

  figure(source: SeriesSource): Figure {
    const figure = this.figures.get(source);
    if (figure === undefined) throw new Error(`no figure for ${source.raw}`);
    return figure;
  }

  result(): OverviewStatistics {
    return {
      availability_pct: this.samples === 0 ? null : (this.reachable / this.samples) * 100,
      samples: this.samples,
      ...mapSeries((source) => this.figure(source).result()),
    };
  }
}

/** Statistics over raw snapshots, fed one at a time, oldest first (the rows are streamed, never all held). */
export class WindowStatistics {
  private readonly all = new Accumulator();

  add(sample: StatisticsSample): void {
    this.all.samples += 1;
    if (sample.collect_status !== null && REACHABLE.has(sample.collect_status)) this.all.reachable += 1;
    for (const source of ALL_SERIES) {
      const value = sample[source.raw];
      this.all.figure(source).add(value, 1, value);
    }
  }

  result(): OverviewStatistics {
    return this.all.result();
  }
}

/** Statistics over daily rows, oldest first. */
export function dailyStatistics(rows: Iterable<DailyStatisticsRow>): OverviewStatistics {
  const all = new Accumulator();
  for (const row of rows) {
    const weight = row.reachable_samples ?? 0;
    all.samples += row.samples ?? 0;
    all.reachable += weight;
    for (const source of ALL_SERIES) all.figure(source).add(dailyValue(source, row), weight, dailyMax(source, row));
  }
  return all.result();
}
