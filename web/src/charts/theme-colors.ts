/**
 * Chart colours come from the theme's CSS variables (web/src/app/theme.css), so charts follow
 * light and dark like the rest of the page. A canvas cannot use `var(--x)`: the values are read
 * once per theme (use-chart-theme.ts) and handed to uPlot as plain colours. Pure.
 */

export interface ChartTheme {
  /** `--chart-1` … `--chart-8`. */
  palette: string[];
  ok: string;
  warn: string;
  crit: string;
  /** Axis labels. */
  axis: string;
  /** Grid lines and ticks. */
  grid: string;
  /** Canvas font of the axes. */
  font: string;
}

/** A palette slot (1–8, `--chart-N`) or a status colour. */
export type ChartColor = 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8 | 'ok' | 'warn' | 'crit';

export function colorOf(theme: ChartTheme, color: ChartColor): string {
  if (typeof color === 'number') return theme.palette[color - 1] ?? theme.axis;
  return theme[color];
}

/**
 * `color` with its opacity multiplied by `alpha`, for the faint fill under a line; null when
 * the colour is not written as hex or rgb()/rgba() (then the series is drawn without fill).
 */
export function withAlpha(color: string, alpha: number): string | null {
  const hex = /^#([0-9a-f]{3}|[0-9a-f]{6})$/i.exec(color.trim());
  if (hex) {
    const digits = hex[1] as string;
    const full = digits.length === 3 ? [...digits].map((d) => d + d).join('') : digits;
    const [r, g, b] = [0, 2, 4].map((i) => parseInt(full.slice(i, i + 2), 16));
    return `rgba(${r}, ${g}, ${b}, ${alpha})`;
  }
  const rgb = /^rgba?\(\s*([\d.]+)[\s,]+([\d.]+)[\s,]+([\d.]+)(?:\s*[,/]\s*([\d.]+%?))?\s*\)$/i.exec(color.trim());
  if (rgb) {
    const own = rgb[4] === undefined ? 1 : rgb[4].endsWith('%') ? parseFloat(rgb[4]) / 100 : parseFloat(rgb[4]);
    return `rgba(${rgb[1]}, ${rgb[2]}, ${rgb[3]}, ${own * alpha})`;
  }
  return null;
}
