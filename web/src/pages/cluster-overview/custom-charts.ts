/**
 * The overview's custom metrics as charts, pure: one chart per unit (metrics of one unit share
 * an axis), each metric a series of `custom_trends`, its legend figures the server's
 * `statistics.custom` when the answer carries them (not for a window with no raw snapshot
 * left), else taken from the plotted values. No custom trends, no charts.
 */
import type { ClusterOverviewJson, SeriesStatistics, TrendValues } from '@shared/api/overview.js';
import type { ChartUnit } from '../../charts/chart-units.js';
import type { ChartColor } from '../../charts/theme-colors.js';

export interface CustomChartSpec {
  testId: string;
  title: string;
  unitLabel: string;
  unit: ChartUnit;
  series: { name: string; label: string; color: ChartColor; values: TrendValues; figures: SeriesStatistics }[];
}

const COLORS: readonly ChartColor[] = [1, 2, 3, 4, 5, 6, 7, 8];

/** The chart unit that prints a free-text unit best; plain numbers with k/M/G otherwise. */
export function chartUnitOf(unit: string): ChartUnit {
  const u = unit.trim().toLowerCase();
  if (u === '%' || u === 'percent' || u === 'pct') return 'percent';
  if (u === 'ms' || u === 'milliseconds') return 'ms';
  if (u === 'bytes/s' || u === 'b/s' || u === 'bytes per second') return 'bytes_per_second';
  if (u.endsWith('/s') || u === 'per second') return 'per_second';
  return 'count';
}

/** Last, mean and max of the plotted values themselves (bucket averages): the legend's figures when the server sends none. */
export function pointFigures(series: TrendValues): SeriesStatistics {
  const values = series.filter((v): v is number => v !== null && Number.isFinite(v));
  if (values.length === 0) return { last: null, mean: null, max: null };
  return { last: values.at(-1) ?? null, mean: values.reduce((a, b) => a + b, 0) / values.length, max: Math.max(...values) };
}

/** One chart per unit, in the order of the units' first metric by name; none when the answer has no custom trends. */
export function customCharts(data: ClusterOverviewJson, unitOf: (name: string) => string | undefined): CustomChartSpec[] {
  const trends = data.custom_trends;
  const byUnit = new Map<string, string[]>();
  for (const name of Object.keys(trends).sort()) {
    const unit = unitOf(name) ?? '';
    byUnit.set(unit, [...(byUnit.get(unit) ?? []), name]);
  }
  return [...byUnit.entries()].map(([unit, names], i) => ({
    testId: `chart-custom-${i}`,
    title: names.length === 1 ? names[0]! : unit === '' ? 'Custom metrics' : `Custom metrics in ${unit}`,
    unitLabel: unit,
    unit: chartUnitOf(unit),
    series: names.map((name, j) => {
      const values = trends[name] ?? [];
      return { name, label: name, color: COLORS[j % COLORS.length]!, values, figures: data.statistics.custom[name] ?? pointFigures(values) };
    }),
  }));
}
