/**
 * uPlot options of a time-series panel: theme colours, unit-aware axes, gaps kept as gaps,
 * cursor synced across the page, drag-to-select reported (not zoomed in place: the page turns a
 * selection into a custom time range, as Grafana does), threshold lines, and the x axis pinned
 * to the requested window so every chart of the page covers the same span.
 */
import uPlot from 'uplot';
import { isolatedIndices } from './aligned-data.js';
import { type ChartUnit, formatAxisTicks, formatChartValue } from './chart-units.js';
import { type ChartColor, type ChartTheme, colorOf, withAlpha } from './theme-colors.js';
import { tooltipPlugin } from './tooltip-plugin.js';

export interface ChartSeriesDef {
  label: string;
  color: ChartColor;
  /** A faint area under the line (for the chart's main series). */
  fill?: boolean;
  dashed?: boolean;
}

/** A dashed horizontal line at a level that matters (a health threshold). */
export interface ChartThreshold {
  value: number;
  level: 'warning' | 'critical';
}

export interface PanelOptions {
  width: number;
  height: number;
  unit: ChartUnit;
  series: readonly ChartSeriesDef[];
  hidden: readonly boolean[];
  theme: ChartTheme;
  syncKey: string;
  /** 0–100 at least, for percentages of a whole. */
  percentScale: boolean;
  thresholds: readonly ChartThreshold[];
  /** The requested window in Unix seconds; read on every redraw, so a new window needs no rebuild. */
  getWindow: () => [number, number];
  formatTime: (unixSeconds: number) => string;
  /** A drag selected [from, to] (Unix seconds). */
  onSelect: (fromSeconds: number, toSeconds: number) => void;
}

/** Width of a y axis: its longest label, so "1.5 GiB/s" is not cut and "5%" wastes no room. */
function axisSize(self: uPlot, values: string[] | null, axisIdx: number, cycleNum: number): number {
  const axis = self.axes[axisIdx] as uPlot.Axis & { _size?: number; font?: [string, number] | string };
  if (cycleNum > 1 && axis._size !== undefined) return axis._size;
  let size = (axis.ticks?.size ?? 0) + (axis.gap ?? 0);
  const longest = (values ?? []).reduce((a, b) => (b.length > a.length ? b : a), '');
  if (longest !== '') {
    self.ctx.font = Array.isArray(axis.font) ? axis.font[0] : (axis.font ?? '');
    size += self.ctx.measureText(longest).width / devicePixelRatio;
  }
  return Math.ceil(size) + 4;
}

/**
 * Tick steps of a bytes axis: 1, 2, 5… times a power of 1024, so ticks fall on round binary
 * figures (100 MiB/s, not 95.37 MiB/s).
 */
const BINARY_INCRS = [0, 1, 2, 3, 4, 5].flatMap((power) => [1, 2, 5, 10, 20, 50, 100, 200, 500].map((m) => m * 1024 ** power));

/**
 * Time labels in 24-hour form, as operators read logs; the date under the first label and at
 * midnight. Columns: tick step, label, then the label's second line when the year, month, day,
 * hour, minute or second changes, and the mode (1: that rule applies from the first tick).
 */
const TIME_LABELS: uPlot.Axis.TimeValuesConfig = [
  [86_400 * 365, '{YYYY}', null, null, null, null, null, null, 1],
  [86_400 * 28, '{MMM}', '\n{YYYY}', null, null, null, null, null, 1],
  [86_400, '{MM}-{DD}', '\n{YYYY}', null, null, null, null, null, 1],
  [3600, '{HH}:{mm}', '\n{YYYY}-{MM}-{DD}', null, '\n{MM}-{DD}', null, null, null, 1],
  [60, '{HH}:{mm}', '\n{YYYY}-{MM}-{DD}', null, '\n{MM}-{DD}', null, null, null, 1],
  [1, '{HH}:{mm}:{ss}', '\n{YYYY}-{MM}-{DD}', null, '\n{MM}-{DD}', null, null, null, 1],
];

function yRange(percentScale: boolean): uPlot.Range.Function {
  return (_u, _min, dataMax) => {
    const max = Number.isFinite(dataMax) ? dataMax : 0;
    if (percentScale) return [0, Math.max(100, max)];
    if (max <= 0) return [0, 1];
    return [0, uPlot.rangeNum(0, max, 0.1, true)[1] ?? max];
  };
}

function thresholdPlugin(thresholds: readonly ChartThreshold[], theme: ChartTheme): uPlot.Plugin {
  return {
    hooks: {
      draw: (u: uPlot) => {
        const { ctx, bbox } = u;
        ctx.save();
        ctx.lineWidth = Math.max(1, devicePixelRatio);
        ctx.setLineDash([6 * devicePixelRatio, 4 * devicePixelRatio]);
        for (const t of thresholds) {
          const y = Math.round(u.valToPos(t.value, 'y', true));
          if (y < bbox.top || y > bbox.top + bbox.height) continue;
          ctx.strokeStyle = t.level === 'critical' ? theme.crit : theme.warn;
          ctx.beginPath();
          ctx.moveTo(bbox.left, y);
          ctx.lineTo(bbox.left + bbox.width, y);
          ctx.stroke();
        }
        ctx.restore();
      },
    },
  };
}

function selectionPlugin(onSelect: PanelOptions['onSelect']): uPlot.Plugin {
  return {
    hooks: {
      setSelect: (u: uPlot) => {
        const { left, width } = u.select;
        if (width < 3) return;
        const from = u.posToVal(left, 'x');
        const to = u.posToVal(left + width, 'x');
        u.setSelect({ left: 0, top: 0, width: 0, height: 0 }, false);
        onSelect(from, to);
      },
    },
  };
}

export function panelOptions(p: PanelOptions): uPlot.Options {
  const axisCommon = {
    stroke: p.theme.axis,
    font: p.theme.font,
    grid: { stroke: p.theme.grid, width: 1 },
    ticks: { stroke: p.theme.grid, width: 1, size: 4 },
  };
  return {
    width: p.width,
    height: p.height,
    padding: [8, 12, 0, 0],
    legend: { show: false },
    scales: {
      x: { time: true, range: () => p.getWindow() },
      y: { range: yRange(p.percentScale) },
    },
    axes: [
      { ...axisCommon, space: 70, values: TIME_LABELS },
      {
        ...axisCommon,
        space: 28,
        size: axisSize,
        incrs: p.unit === 'bytes_per_second' ? BINARY_INCRS : undefined,
        values: (_u, splits) => formatAxisTicks(p.unit, splits),
      },
    ],
    series: [
      {},
      ...p.series.map((s, i): uPlot.Series => {
        const stroke = colorOf(p.theme, s.color);
        return {
          label: s.label,
          show: !p.hidden[i],
          stroke,
          width: 1.5,
          fill: s.fill ? (withAlpha(stroke, 0.12) ?? undefined) : undefined,
          dash: s.dashed ? [5, 4] : undefined,
          spanGaps: false,
          value: (_u, v) => formatChartValue(p.unit, v),
          points: {
            size: 5,
            fill: stroke,
            // uPlot shows points only when they are sparse; a value alone between gaps is drawn either way.
            filter: (u, seriesIdx, show) => (show ? null : isolatedIndices(u.data[seriesIdx] ?? [])),
          },
        };
      }),
    ],
    cursor: {
      y: false,
      drag: { x: true, y: false, setScale: false },
      points: { size: 7 },
      sync: {
        key: p.syncKey,
        setSeries: false,
        scales: ['x', null],
        // The crosshair follows on every chart; a drag selects only on the chart it happens on.
        filters: { pub: (type) => type !== 'mousedown' && type !== 'mouseup' },
      },
    },
    plugins: [thresholdPlugin(p.thresholds, p.theme), selectionPlugin(p.onSelect), tooltipPlugin(p.unit, p.formatTime)],
  };
}
