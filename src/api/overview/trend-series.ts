/**
 * Which stored column feeds each trend series (the series are src/shared/api/overview.ts's
 * TREND_SERIES): a snapshot column at raw resolution, a figure of the daily row at daily
 * resolution (null where the roll-up keeps nothing comparable, so the series shows null points
 * rather than disappearing), and the daily column holding its maximum, where the roll-up keeps one.
 */
import type { SeriesName, TrendGroup } from '../../shared/api/overview.js';
import { type DailyColumn, dailyRollupOf, type DailyValues } from '../../shared/daily-fields.js';
import { SNAPSHOT_FIELDS } from '../../shared/snapshot-fields.js';
import { tierColumnsOf } from '../../shared/tier-fields.js';
import type { SnapshotColumn } from '../../storage/repos/snapshots.repo.js';

type DailyFigure =
  | { readonly column: DailyColumn; readonly max?: DailyColumn }
  | { readonly perCollection: DailyColumn }
  | null;

/** A field worked out from its inputs over any span, as the catalogue says (a ratio of sums, never a mean of ratios). */
export interface DerivedSeries {
  /** Each input, and whether its span figure is its total (a delta) or its mean. */
  readonly inputs: readonly { readonly name: string; readonly summed: boolean }[];
  readonly derive: (values: Readonly<Record<string, number | null>>) => number | null;
}

export interface SeriesSource {
  readonly raw: SnapshotColumn;
  /** Set for a field the daily rows compute again from their inputs (`daily: 'recompute'`): read that way at every resolution. */
  readonly derived: DerivedSeries | null;
  /**
   * `column`: the day's average of the gauge, and `max` the day's highest value of it;
   * `perCollection`: a day's total of a per-interval delta ÷ the collections that reached the
   * cluster, i.e. the average per collection, the same unit as the raw bucket average of the deltas.
   */
  readonly daily: DailyFigure;
}

/** What a daily row keeps of the field, as the catalogue says (avg for stats, the day's own figure for recomputed ones, totals of deltas). */
function dailyFigureOf(name: string): DailyFigure {
  const f = SNAPSHOT_FIELDS.find((x) => x.name === name);
  const mode = f ? dailyRollupOf(f) : 'none';
  if (mode === 'stats') return { column: `avg_${name}` as DailyColumn, max: `max_${name}` as DailyColumn };
  if (mode === 'recompute') return { column: name as DailyColumn };
  if (mode === 'sum') return { perCollection: `total_${name}` as DailyColumn };
  return null;
}

function derivedOf(name: string): DerivedSeries | null {
  const f = SNAPSHOT_FIELDS.find((x) => x.name === name);
  if (f === undefined || dailyRollupOf(f) !== 'recompute' || f.value.type !== 'derived') return null;
  const summed = (input: string) => SNAPSHOT_FIELDS.find((x) => x.name === input)?.kind === 'delta';
  return { inputs: f.value.inputs.map((input) => ({ name: input, summed: summed(input) })), derive: f.value.derive };
}

const src = (raw: SnapshotColumn): SeriesSource => ({ raw, daily: dailyFigureOf(raw), derived: derivedOf(raw) });

/** A series' value over a span, from the sums and counts of `fields` there (arrays in the order of `fields`). */
export type SeriesValue = (sum: ArrayLike<number>, n: ArrayLike<number>) => number | null;

/** How to read a series from figures of `fields`: the mean of its field, or the derived figure of its inputs (totals of deltas, means of the rest). */
export function seriesValueOf(source: SeriesSource, fields: readonly string[]): SeriesValue {
  const at = (field: string): number => {
    const index = fields.indexOf(field);
    if (index < 0) throw new Error(`the trend figures have no ${field}`);
    return index;
  };
  if (source.derived === null) {
    const i = at(source.raw);
    return (sum, n) => ((n[i] ?? 0) === 0 ? null : (sum[i] ?? 0) / (n[i] ?? 1));
  }
  const { derive } = source.derived;
  const inputs = source.derived.inputs.map((input) => ({ name: input.name, summed: input.summed, i: at(input.name) }));
  return (sum, n) => {
    const values: Record<string, number | null> = {};
    for (const { name, summed, i } of inputs) {
      const count = n[i] ?? 0;
      values[name] = count === 0 ? null : summed ? (sum[i] ?? 0) : (sum[i] ?? 0) / count;
    }
    return derive(values);
  };
}

/** Every series of every group, with its sources. */
export const TREND_SOURCES: { readonly [G in TrendGroup]: Record<SeriesName<G>, SeriesSource> } = {
  performance_trends: {
    qps: src('qps'),
    rps: src('rps'),
    latency_p50: src('query_latency_p50'),
    latency_p95: src('query_latency_p95'),
    latency_p99: src('query_latency_p99'),
    // The day's share of failed queries is errors ÷ queries of the whole day: the same ratio over
    // a longer interval.
    query_error_pct: src('query_error_pct'),
  },
  resource_trends: {
    cpu_usage: src('avg_cpu_usage'),
    memory_usage: src('avg_memory_usage'),
    disk_usage: src('disk_usage_pct'),
    jvm_heap_usage: src('jvm_heap_usage_pct'),
    network_tx: src('network_send_rate'),
    network_rx: src('network_receive_rate'),
    io_read: src('io_read_rate'),
    io_write: src('io_write_rate'),
  },
  workload_trends: {
    txn_begin: src('txn_begin'),
    txn_success: src('txn_success'),
    txn_failed: src('txn_failed'),
    txn_running: src('txn_running'),
    load_running: src('load_running'),
    loads_finished: src('loads_finished'),
  },
};

/** The groups with `of(source)` for each series, in the shape of the overview's trends and statistics. */
export function mapSeries<T>(of: (source: SeriesSource) => T): { [G in TrendGroup]: Record<SeriesName<G>, T> } {
  const group = <G extends TrendGroup>(g: G) =>
    Object.fromEntries(Object.entries<SeriesSource>(TREND_SOURCES[g]).map(([name, source]) => [name, of(source)])) as Record<SeriesName<G>, T>;
  return { performance_trends: group('performance_trends'), resource_trends: group('resource_trends'), workload_trends: group('workload_trends') };
}

/** Every series; each reads its own raw column, which therefore also names it. */
export const ALL_SERIES: readonly SeriesSource[] = Object.values(TREND_SOURCES).flatMap((group) => Object.values<SeriesSource>(group));

/** Every field whose figures the trends read: each series' own, or a derived one's inputs. */
export const TREND_FIELDS: readonly SnapshotColumn[] = [
  ...new Set(ALL_SERIES.flatMap((s) => (s.derived === null ? [s.raw] : s.derived.inputs.map((i) => i.name as SnapshotColumn)))),
];

/** Every derived series' own field (read only for its per-collection maximum, from raw rows). */
export const DERIVED_TREND_FIELDS: readonly SnapshotColumn[] = ALL_SERIES.filter((s) => s.derived !== null).map((s) => s.raw);

/** Every snapshot column the trends read from raw rows: what a trend block holds (storage/trend-block.ts). */
export const RAW_TREND_COLUMNS: readonly SnapshotColumn[] = [...TREND_FIELDS, ...DERIVED_TREND_FIELDS];

/** Trend fields whose maximum a tier keeps (its gauges); of the others a tier bucket knows no maximum. */
export const TIER_MAX_FIELDS: ReadonlySet<string> = new Set(tierColumnsOf(SNAPSHOT_FIELDS).filter((c) => c.aggregate === 'max').map((c) => c.field));

/** Every tier column the trends read: what a tier block holds (storage/trend-block.ts; `samples`, then `sum_`, `n_` and where kept `max_` of each trend field). */
export const TIER_TREND_COLUMNS: readonly string[] = ['samples', 'reachable_samples', ...TREND_FIELDS.flatMap((f) => [`sum_${f}`, `n_${f}`, ...(TIER_MAX_FIELDS.has(f) ? [`max_${f}`] : [])])];

/** Every daily column a trend or its statistics read. */
export const DAILY_TREND_COLUMNS: readonly DailyColumn[] = [
  ...new Set(
    ALL_SERIES.flatMap((s): DailyColumn[] => {
      if (s.daily === null) return [];
      if ('perCollection' in s.daily) return [s.daily.perCollection];
      return s.daily.max === undefined ? [s.daily.column] : [s.daily.column, s.daily.max];
    }),
  ),
  'samples',
  'reachable_samples',
];

/** The value of a series on a daily row. */
export function dailyValue(source: SeriesSource, row: Readonly<Partial<DailyValues>>): number | null {
  const figure = source.daily;
  if (figure === null) return null;
  if ('column' in figure) return row[figure.column] ?? null;
  const total = row[figure.perCollection] ?? null;
  const collections = row.reachable_samples ?? 0;
  return total === null || collections === 0 ? null : total / collections;
}

/** The day's highest value of a series, where the roll-up keeps it; null elsewhere. */
export function dailyMax(source: SeriesSource, row: Readonly<Partial<DailyValues>>): number | null {
  const figure = source.daily;
  if (figure === null || !('column' in figure) || figure.max === undefined) return null;
  return row[figure.max] ?? null;
}
