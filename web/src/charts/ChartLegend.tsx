/**
 * A panel's legend as a table, as Grafana's "table" legend mode: each series with its colour,
 * its last, mean and max over the window. A click on a series hides it or shows it again.
 */
import type { CSSProperties, JSX } from 'react';
import { useMemo } from 'react';
import type { AlignedSeries } from './aligned-data.js';
import { type ChartUnit, formatChartValue } from './chart-units.js';
import { summarise } from './series-summary.js';
import type { ChartSeriesDef } from './uplot-options.js';
import { type ChartTheme, colorOf } from './theme-colors.js';

export function ChartLegend(props: {
  series: readonly ChartSeriesDef[];
  data: AlignedSeries;
  unit: ChartUnit;
  /** The chart's colours (useChartTheme), read by the panel for its plot and this legend alike. */
  theme: ChartTheme;
  hidden: readonly boolean[];
  onToggle: (index: number) => void;
}): JSX.Element {
  const { series, data, unit, theme, hidden, onToggle } = props;
  const summaries = useMemo(() => series.map((_, i) => summarise(data[i + 1] ?? [])), [series, data]);
  return (
    <table className="ts-legend">
      <thead>
        <tr>
          <th scope="col" className="ts-legend-name">
            <span className="visually-hidden">Series</span>
          </th>
          <th scope="col">Last</th>
          <th scope="col">Mean</th>
          <th scope="col">Max</th>
        </tr>
      </thead>
      <tbody>
        {series.map((s, i) => {
          const summary = summaries[i];
          const off = hidden[i] ?? false;
          return (
            <tr key={s.label} className={off ? 'ts-legend-off' : undefined}>
              <th scope="row" className="ts-legend-name">
                <button type="button" aria-pressed={!off} title={off ? 'Show this series' : 'Hide this series'} onClick={() => onToggle(i)}>
                  <span className={`ts-swatch${s.dashed ? ' ts-swatch-dashed' : ''}`} style={{ '--swatch': colorOf(theme, s.color) } as CSSProperties} />
                  {s.label}
                </button>
              </th>
              <td>{formatChartValue(unit, summary?.last)}</td>
              <td>{formatChartValue(unit, summary?.mean)}</td>
              <td>{formatChartValue(unit, summary?.max)}</td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
