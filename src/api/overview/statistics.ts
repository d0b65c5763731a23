/**
 * The statistics of an overview window: for every trend series its last, mean and max, and the
 * availability. Pure. They are taken from the stored figures themselves, never from the trends'
 * bucket averages (whose highest point understates the true maximum).
 *
 * - Raw snapshots and tier buckets (SpanSample): the mean is exact (Σsum ÷ Σcount over every
 *   collection that carried the figure), and so is the maximum (the highest of the buckets'
 *   maxima); `last` is the latest snapshot's value, or the latest bucket's mean where only
 *   buckets remain. A derived series (the share of failed queries) is its inputs' totals over
 *   the window; its maximum is known only from snapshots (null once a bucket is in the window).
 * - Daily rows: `last` is the last day's figure, `mean` the days' figures weighted by the
 *   collections that reached the cluster that day (a day with half its collections failed
 *   weighs half), `max` the highest of the days' maxima where the roll-up keeps a maximum of
 *   the figure (null elsewhere: the highest day's average would understate it).
 */
import type { BuiltInStatistics, SeriesStatistics } from '../../shared/api/overview.js';
import type { DailyValues } from '../../shared/daily-fields.js';
import { SpanSample } from './span-figures.js';
import { ALL_SERIES, dailyMax, dailyValue, DERIVED_TREND_FIELDS, mapSeries, type SeriesSource, seriesValueOf, TREND_FIELDS } from './trend-series.js';

/** The columns of a daily row the statistics read. */
export type DailyStatisticsRow = Readonly<Partial<DailyValues>>;

const finite = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value);

/** A weighted mean, a maximum and the latest of one figure, fed oldest first. */
export class Figure {
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

class Accumulator {
  private readonly figures = new Map<SeriesSource, Figure>(ALL_SERIES.map((s) => [s, new Figure()]));
  samples = 0;
  reachable = 0;

  figure(source: SeriesSource): Figure {
    const figure = this.figures.get(source);
    if (figure === undefined) throw new Error(`no figure for ${source.raw}`);
    return figure;
  }

  result(): BuiltInStatistics {
    return {
      availability_pct: this.samples === 0 ? null : (this.reachable / this.samples) * 100,
      samples: this.samples,
      ...mapSeries((source) => this.figure(source).result()),
    };
  }
}

/** Statistics over raw snapshots and tier buckets (SpanSamples over TREND_FIELDS), fed oldest first (rows are never all held). */
export class SpanStatistics {
  private samples = 0;
  private reachable = 0;
  private readonly sum = new Float64Array(TREND_FIELDS.length);
  private readonly n = new Float64Array(TREND_FIELDS.length);
  private readonly max = new Float64Array(TREND_FIELDS.length).fill(Number.NaN);
  /**
   * 1 where some of the window's values of a field came without their maximum (a tier keeps
   * none of a per-interval count): the window's maximum is then unknown, not the highest of the
   * part read raw.
   */
  private readonly maxUnknown = new Uint8Array(TREND_FIELDS.length);
  private readonly series = ALL_SERIES.map((source) => ({
    source,
    value: seriesValueOf(source, TREND_FIELDS),
    field: TREND_FIELDS.indexOf(source.raw),
    derived: DERIVED_TREND_FIELDS.indexOf(source.raw),
  }));
  private readonly last = new Map<SeriesSource, number>();
  /** When each series' `last` was taken: a window's parts (tier blocks, tier rows, raw rows) need not be added in time order. */
  private readonly lastAt = new Map<SeriesSource, number>();
  private readonly derivedMax = new Map<SeriesSource, number | null>();
  private readonly scratch = new SpanSample(TREND_FIELDS, DERIVED_TREND_FIELDS);

  /** A raw snapshot row. */
  add(row: Readonly<Record<string, unknown>>): void {
    this.addSample(this.scratch.loadRaw(row));
  }

  /** The latest values from this sample (the window's latest raw row), when samples were groups: it adds nothing to the totals. */
  setLast(sample: SpanSample): void {
    for (const { source, value } of this.series) {
      const v = value(sample.sum, sample.n);
      if (v !== null && Number.isFinite(v)) this.last.set(source, v);
    }
  }

  addSample(sample: SpanSample): void {
    this.samples += sample.samples;
    this.reachable += sample.reachable;
    for (let i = 0; i < TREND_FIELDS.length; i += 1) {
      this.sum[i] = (this.sum[i] ?? 0) + (sample.sum[i] ?? 0);
      this.n[i] = (this.n[i] ?? 0) + (sample.n[i] ?? 0);
      const high = sample.max[i] ?? Number.NaN;
      if (Number.isNaN(high)) {
        if ((sample.n[i] ?? 0) > 0) this.maxUnknown[i] = 1;
      } else if (!(high <= (this.max[i] ?? Number.NaN))) this.max[i] = high;
    }
    for (const { source, value, derived } of this.series) {
      const v = value(sample.sum, sample.n);
      if (v === null || !Number.isFinite(v)) continue;
      if (!(sample.at < (this.lastAt.get(source) ?? Number.NEGATIVE_INFINITY))) {
        this.last.set(source, v);
        this.lastAt.set(source, sample.at);
      }
      if (derived < 0) continue;
      // A derived figure's maximum is that of its per-collection values: known from raw rows, not from tier buckets.
      const own = sample.derivedMax[derived] ?? Number.NaN;
      const highest = this.derivedMax.has(source) ? (this.derivedMax.get(source) ?? null) : own;
      this.derivedMax.set(source, highest === null || Number.isNaN(own) || Number.isNaN(highest) ? null : Math.max(highest, own));
    }
  }

  result(): BuiltInStatistics {
    const byField = new Map(this.series.map((s) => [s.source, s]));
    const statistics = (source: SeriesSource): SeriesStatistics => {
      const s = byField.get(source);
      if (s === undefined) throw new Error(`no series ${source.raw}`);
      const high = s.field < 0 || this.maxUnknown[s.field] === 1 ? Number.NaN : (this.max[s.field] ?? Number.NaN);
      const max = source.derived === null ? (Number.isNaN(high) ? null : high) : (this.derivedMax.get(source) ?? null);
      return { last: this.last.get(source) ?? null, mean: s.value(this.sum, this.n), max };
    };
    return {
      availability_pct: this.samples === 0 ? null : (this.reachable / this.samples) * 100,
      samples: this.samples,
      ...mapSeries(statistics),
    };
  }
}

/** Statistics over daily rows, oldest first. */
export function dailyStatistics(rows: Iterable<DailyStatisticsRow>): BuiltInStatistics {
  const all = new Accumulator();
  for (const row of rows) {
    const weight = row.reachable_samples ?? 0;
    all.samples += row.samples ?? 0;
    all.reachable += weight;
    for (const source of ALL_SERIES) all.figure(source).add(dailyValue(source, row), weight, dailyMax(source, row));
  }
  return all.result();
}
