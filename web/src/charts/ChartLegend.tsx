/**
 * A panel's legend as a table, as Grafana's "table" legend mode: each series with its colour,
 * its last, mean and max over the window. A click on a series hides it or shows it again. The
 * figures are given (the server's statistics of the stored values), never recomputed from the
 * plotted points: a bucket average hides the peaks inside it.
 */
import type { CSSProperties, JSX } from 'react';
import type { SeriesStatistics } from '@shared/api/overview.js';
import { type ChartUnit, formatChartValue } from './chart-units.js';
import type { ChartSeriesDef } from './uplot-options.js';
import { type ChartTheme, colorOf } from './theme-colors.js';

export function ChartLegend(props: {
  series: readonly ChartSeriesDef[];
  /** One per series: its last, mean and max over the window. */
  figures: readonly SeriesStatistics[];
  unit: ChartUnit;
  /** The chart's colours (useChartTheme), read by the panel for its plot and this legend alike. */
  theme: ChartTheme;
  hidden: readonly boolean[];
  onToggle: (index: number) => void;
}): JSX.Element {
  const { series, figures, unit, theme, hidden, onToggle } = props;
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
          const summary = figures[i];
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
