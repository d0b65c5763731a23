/**
 * The fleet benchmark's chart, as a self-contained SVG (pure): per fleet size, Stellar's CPU per
 * cluster-cycle beside Prometheus's for the same three FEs, and Stellar's lag behind its slot
 * (p50, p99) against the 2 s limit, with the missed cycles written under each group; and, when
 * the largest fleet was searched, each trial's p99 lag by fleet size.
 */

export interface ChartRow {
  readonly label: string;
  readonly stellarCpuMs: number;
  /** Prometheus's CPU for three scrapes (the FEs of one cluster); NaN when it did not run. */
  readonly prometheusCpuMs: number;
  readonly lagP50Ms: number;
  readonly lagP99Ms: number;
  readonly missed: number;
  readonly slots: number;
}

export interface SearchPoint {
  readonly clusters: number;
  readonly lagP99Ms: number;
  readonly kept: boolean;
}

const COLORS = { stellar: '#3b6fd4', prometheus: '#e6522c', p50: '#7fa6ea', p99: '#1d3f8f', fail: '#c62828', limit: '#888' };
const PANEL_W = 360;
const PANEL_H = 230;
const TOP = 48;
const BOTTOM = 44;
const LEFT = 48;

const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;');
const num = (v: number): string => (Number.isFinite(v) ? v.toFixed(1) : '0');

/** An axis maximum at or above `value` whose quarters are round numbers. */
function niceMax(value: number): number {
  if (!(value > 0)) return 1;
  const magnitude = 10 ** Math.floor(Math.log10(value));
  return [1, 2, 4, 6, 8, 10].map((m) => m * magnitude).find((m) => m >= value) ?? value;
}

/** Lag axes in seconds, at least up to 4 s so that the 2 s limit sits mid-height or lower. */
const LAG_CAP_S = 60;
const lagMaxS = (lagsMs: readonly number[]): number => niceMax(Math.max(4, ...lagsMs.filter(Number.isFinite).map((v) => Math.min(v / 1000, LAG_CAP_S))));

function axes(x0: number, title: string, unit: string, max: number): string[] {
  const plotH = PANEL_H - TOP - BOTTOM;
  const out = [`<text x="${x0 + PANEL_W / 2}" y="20" text-anchor="middle" font-weight="bold">${esc(title)}</text>`];
  for (let i = 0; i <= 4; i += 1) {
    const y = TOP + plotH - (plotH * i) / 4;
    out.push(`<line x1="${x0 + LEFT}" x2="${x0 + PANEL_W - 10}" y1="${y}" y2="${y}" stroke="#e4e4e4"/>`);
    out.push(`<text x="${x0 + LEFT - 6}" y="${y + 4}" text-anchor="end" font-size="11">${+((max * i) / 4).toPrecision(3)}</text>`);
  }
  out.push(`<text x="${x0 + 12}" y="${TOP + plotH / 2}" font-size="11" transform="rotate(-90 ${x0 + 12} ${TOP + plotH / 2})" text-anchor="middle">${esc(unit)}</text>`);
  return out;
}

/** Groups of bars, one group per row; `labels` above each group's first bar. */
function bars(x0: number, rows: readonly ChartRow[], series: readonly { color: string; value: (r: ChartRow) => number }[], max: number, above: (r: ChartRow) => string, below: (r: ChartRow) => string): string[] {
  const plotH = PANEL_H - TOP - BOTTOM;
  const plotW = PANEL_W - LEFT - 10;
  const groupW = plotW / Math.max(1, rows.length);
  const barW = Math.min(34, (groupW * 0.7) / series.length);
  const out: string[] = [];
  rows.forEach((row, g) => {
    const gx = x0 + LEFT + g * groupW + (groupW - barW * series.length) / 2;
    series.forEach((s, k) => {
      const v = s.value(row);
      const h = Number.isFinite(v) ? (plotH * Math.min(v, max)) / max : 0;
      out.push(`<rect x="${num(gx + k * barW)}" y="${num(TOP + plotH - h)}" width="${num(barW - 2)}" height="${num(h)}" fill="${s.color}"/>`);
    });
    const cx = gx + (barW * series.length) / 2;
    out.push(`<text x="${num(cx)}" y="${TOP - 6}" text-anchor="middle" font-size="11">${esc(above(row))}</text>`);
    out.push(`<text x="${num(cx)}" y="${TOP + plotH + 16}" text-anchor="middle" font-size="11">${esc(row.label)}</text>`);
    out.push(`<text x="${num(cx)}" y="${TOP + plotH + 30}" text-anchor="middle" font-size="10" fill="${row.missed > 0 ? COLORS.fail : '#555'}">${esc(below(row))}</text>`);
  });
  return out;
}

/** A row of legend items under a panel. */
function legend(x: number, items: readonly [string, string][]): string[] {
  const y = PANEL_H + 8;
  let at = x;
  return items.flatMap(([color, text]) => {
    const item = [`<rect x="${at}" y="${y - 9}" width="10" height="10" fill="${color}"/>`, `<text x="${at + 14}" y="${y}" font-size="10">${esc(text)}</text>`];
    at += 24 + text.length * 5.5;
    return item;
  });
}

function searchPanel(x0: number, points: readonly SearchPoint[]): string[] {
  const plotH = PANEL_H - TOP - BOTTOM;
  const plotW = PANEL_W - LEFT - 10;
  const max = lagMaxS(points.map((p) => p.lagP99Ms));
  const xMax = niceMax(Math.max(...points.map((p) => p.clusters)));
  const out = axes(x0, 'Largest fleet search: p99 lag', 's', max);
  const y = (seconds: number): number => TOP + plotH - (plotH * Math.min(seconds, max)) / max;
  out.push(`<line x1="${x0 + LEFT}" x2="${x0 + PANEL_W - 10}" y1="${num(y(2))}" y2="${num(y(2))}" stroke="${COLORS.limit}" stroke-dasharray="4 3"/>`);
  for (const p of points) {
    const x = x0 + LEFT + (0.92 * plotW * p.clusters) / xMax;
    out.push(`<circle cx="${num(x)}" cy="${num(y(p.lagP99Ms / 1000))}" r="4" fill="${p.kept ? COLORS.stellar : COLORS.fail}"/>`);
    out.push(`<text x="${num(x)}" y="${TOP + plotH + 16}" text-anchor="middle" font-size="10">${p.clusters}</text>`);
  }
  out.push(`<text x="${x0 + LEFT + plotW / 2}" y="${TOP + plotH + 30}" text-anchor="middle" font-size="11">clusters</text>`);
  return [...out, ...legend(x0 + LEFT, [[COLORS.stellar, 'kept'], [COLORS.fail, 'not kept: missed, failed or p99 ≥ 2 s']])];
}

export function fleetChartSvg(title: string, rows: readonly ChartRow[], search: readonly SearchPoint[]): string {
  const panels = search.length > 0 ? 3 : 2;
  const width = PANEL_W * panels;
  const height = PANEL_H + 36;
  const cpuMax = niceMax(Math.max(...rows.flatMap((r) => [r.stellarCpuMs, r.prometheusCpuMs]).filter(Number.isFinite)));
  const lagMax = lagMaxS(rows.map((r) => r.lagP99Ms));
  const ratio = (r: ChartRow): string => (Number.isFinite(r.prometheusCpuMs) && r.prometheusCpuMs > 0 ? `${(r.stellarCpuMs / r.prometheusCpuMs).toFixed(2)}×` : '');
  const missed = (r: ChartRow): string => (r.missed > 0 ? `missed ${r.missed}/${r.slots}` : `0 missed of ${r.slots}`);
  const plotH = PANEL_H - TOP - BOTTOM;
  const limitY = TOP + plotH - (plotH * 2) / lagMax;
  const body = [
    ...axes(0, 'CPU per cluster-cycle (3 FEs)', 'ms', cpuMax),
    ...bars(0, rows, [{ color: COLORS.stellar, value: (r) => r.stellarCpuMs }, { color: COLORS.prometheus, value: (r) => r.prometheusCpuMs }], cpuMax, ratio, () => ''),
    ...legend(LEFT, [[COLORS.stellar, 'Stellar (above: × Prometheus)'], [COLORS.prometheus, 'Prometheus, 3 scrapes']]),
    ...axes(PANEL_W, 'Stellar lag behind its slot', 's', lagMax),
    `<line x1="${PANEL_W + LEFT}" x2="${2 * PANEL_W - 10}" y1="${num(limitY)}" y2="${num(limitY)}" stroke="${COLORS.limit}" stroke-dasharray="4 3"/>`,
    ...bars(PANEL_W, rows, [{ color: COLORS.p50, value: (r) => r.lagP50Ms / 1000 }, { color: COLORS.p99, value: (r) => r.lagP99Ms / 1000 }], lagMax, () => '', missed),
    ...legend(PANEL_W + LEFT, [[COLORS.p50, 'p50'], [COLORS.p99, 'p99'], [COLORS.limit, 'dashed: the 2 s limit']]),
    ...(panels === 3 ? searchPanel(2 * PANEL_W, search) : []),
  ];
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="12">`,
    `<rect width="100%" height="100%" fill="#fff"/>`,
    ...body,
    `<text x="${width / 2}" y="${height - 6}" text-anchor="middle" font-size="11" fill="#555">${esc(title)}</text>`,
    '</svg>',
    '',
  ].join('\n');
}
