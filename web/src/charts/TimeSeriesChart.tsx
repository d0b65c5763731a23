/**
 * One chart panel, as a Grafana time-series panel: a title, a uPlot canvas (crosshair synced
 * with the page's other panels, tooltip, drag to pick a time range, threshold lines) and a
 * legend table with each series' last, mean and max (given by the caller), where a click hides
 * or shows the series.
 *
 * uPlot is imperative: the plot is built once per set of options that change its shape (theme,
 * series, unit, height) and otherwise only fed new data (setData) and new sizes (setSize), so
 * a background refresh does not flicker and the cursor stays where it was.
 */
import 'uplot/dist/uPlot.min.css';
import './charts.css';
import { type JSX, type ReactNode, useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import uPlot from 'uplot';
import type { SeriesStatistics } from '@shared/api/overview.js';
import { formatDateTime } from '../app/format.js';
import type { AlignedSeries } from './aligned-data.js';
import { ChartLegend } from './ChartLegend.js';
import type { ChartUnit } from './chart-units.js';
import type { ChartTheme } from './theme-colors.js';
import { type ChartSeriesDef, type ChartThreshold, panelOptions } from './uplot-options.js';
import { useChartTheme } from './use-chart-theme.js';

export interface TimeSeriesChartProps {
  /** `data-testid` of the panel. */
  testId: string;
  title: string;
  /** The unit in words, beside the title ("queries/s"). */
  unitLabel: string;
  unit: ChartUnit;
  series: readonly ChartSeriesDef[];
  /** From alignTrends: one y array per entry of `series`. */
  data: AlignedSeries;
  /** The legend's last, mean and max of each entry of `series`, over the window. */
  figures: readonly SeriesStatistics[];
  /** The requested window: the x axis spans it even where data is missing. */
  window: { fromMs: number; toMs: number };
  /** Bucket width; daily buckets are labelled with dates only. */
  bucketSeconds: number;
  /** Panels with the same key share their crosshair. */
  syncKey: string;
  thresholds?: readonly ChartThreshold[];
  /** A percentage of a whole: the y axis shows 0–100. */
  percentScale?: boolean;
  height?: number;
  /** A drag over the plot selected this window. */
  onZoom?: (fromMs: number, toMs: number) => void;
  /** Shown instead of the plot when the chart cannot have data, saying why. */
  note?: ReactNode;
}

const NO_THRESHOLDS: readonly ChartThreshold[] = [];
const DEFAULT_HEIGHT = 200;

export function TimeSeriesChart(props: TimeSeriesChartProps): JSX.Element {
  const { series, data, note } = props;
  const [hidden, setHidden] = useState<boolean[]>(() => series.map(() => false));
  const toggle = useCallback((index: number) => setHidden((h) => series.map((_, i) => (i === index ? !h[i] : (h[i] ?? false)))), [series]);
  const valueCount = useMemo(() => data.slice(1).reduce((n, ys) => n + ys.filter((y) => y !== null).length, 0), [data]);
  // Read once for the plot and its legend: each reading is a getComputedStyle and a MutationObserver.
  const theme = useChartTheme();
  return (
    // data-values: how many values the panel plots, for tests and for a quick look in devtools.
    <section className="ts-panel" data-testid={props.testId} data-values={valueCount} aria-label={props.title}>
      <header className="ts-panel-header">
        <h3 className="ts-panel-title">{props.title}</h3>
        <span className="ts-panel-unit">{props.unitLabel}</span>
      </header>
      {note !== undefined ? (
        <div className="ts-panel-note">{note}</div>
      ) : (
        <>
          <Plot {...props} theme={theme} hidden={hidden} empty={valueCount === 0} />
          <ChartLegend series={series} figures={props.figures} unit={props.unit} theme={theme} hidden={hidden} onToggle={toggle} />
        </>
      )}
    </section>
  );
}

function Plot(props: TimeSeriesChartProps & { theme: ChartTheme; hidden: readonly boolean[]; empty: boolean }): JSX.Element {
  const { unit, series, syncKey, bucketSeconds, theme, hidden, data, window } = props;
  const thresholds = props.thresholds ?? NO_THRESHOLDS;
  const percentScale = props.percentScale ?? false;
  const height = props.height ?? DEFAULT_HEIGHT;
  const hostRef = useRef<HTMLDivElement>(null);
  const plotRef = useRef<uPlot | null>(null);

  // What the plot reads while it lives, kept current without rebuilding it.
  const live = useRef({ data, window, hidden, onZoom: props.onZoom });
  useLayoutEffect(() => {
    live.current = { data, window, hidden, onZoom: props.onZoom };
  });

  // Options that shape the plot; a change rebuilds it (cheap: a few ms).
  const seriesKey = JSON.stringify(series);
  const thresholdsKey = JSON.stringify(thresholds);
  useEffect(() => {
    const host = hostRef.current;
    if (!host) return;
    const daily = bucketSeconds >= 86_400;
    const options = panelOptions({
      width: Math.max(100, host.clientWidth),
      height,
      unit,
      series: JSON.parse(seriesKey) as ChartSeriesDef[],
      hidden: live.current.hidden,
      theme,
      syncKey,
      percentScale,
      thresholds: JSON.parse(thresholdsKey) as ChartThreshold[],
      getWindow: () => [live.current.window.fromMs / 1000, live.current.window.toMs / 1000],
      formatTime: (seconds) => (daily ? formatDateTime(seconds * 1000).slice(0, 10) : formatDateTime(seconds * 1000)),
      onSelect: (from, to) => live.current.onZoom?.(from * 1000, to * 1000),
    });
    const plot = new uPlot(options, live.current.data, host);
    plotRef.current = plot;
    const resize = new ResizeObserver(() => {
      const width = Math.max(100, host.clientWidth);
      if (width !== plot.width) plot.setSize({ width, height });
    });
    resize.observe(host);
    return () => {
      resize.disconnect();
      plot.destroy();
      plotRef.current = null;
    };
  }, [theme, unit, seriesKey, thresholdsKey, percentScale, height, syncKey, bucketSeconds]);

  useEffect(() => {
    plotRef.current?.setData(data);
  }, [data, window]);

  useEffect(() => {
    const plot = plotRef.current;
    if (!plot) return;
    hidden.forEach((isHidden, i) => {
      if (plot.series[i + 1]?.show === isHidden) plot.setSeries(i + 1, { show: !isHidden });
    });
  }, [hidden]);

  return (
    <div className="ts-plot" style={{ height }}>
      <div ref={hostRef} className="ts-plot-host" />
      {props.empty && <div className="ts-plot-empty">No data in this window</div>}
    </div>
  );
}
