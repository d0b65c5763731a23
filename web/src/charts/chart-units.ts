/**
 * Units of chart values and how to print them: in the legend and the tooltip (about three
 * significant digits, with the unit) and on the y axis (one scale for all ticks of an axis, with
 * as many decimals as the tick step needs, so "0.5k 1k 1.5k" rather than "500 1k 1.5k"). Pure.
 */
import { MISSING, trimZeros } from '../app/format.js';

export type ChartUnit = 'per_second' | 'ms' | 'percent' | 'bytes_per_second' | 'count';

interface Scale {
  factor: number;
  suffix: string;
}

const SI: Scale[] = [
  { factor: 1e9, suffix: 'G' },
  { factor: 1e6, suffix: 'M' },
  { factor: 1e3, suffix: 'k' },
  { factor: 1, suffix: '' },
];
// Binary, as StarRocks itself reports capacities (and Grafana's "bytes/sec(IEC)").
const IEC: Scale[] = [
  { factor: 1024 ** 4, suffix: ' TiB/s' },
  { factor: 1024 ** 3, suffix: ' GiB/s' },
  { factor: 1024 ** 2, suffix: ' MiB/s' },
  { factor: 1024, suffix: ' KiB/s' },
  { factor: 1, suffix: ' B/s' },
];
const DURATION: Scale[] = [
  { factor: 60_000, suffix: ' min' },
  { factor: 1000, suffix: ' s' },
  { factor: 1, suffix: ' ms' },
];

/** The word after a value, for units whose scales carry none. */
const UNIT_SUFFIX: Record<ChartUnit, string> = {
  per_second: '/s',
  ms: '',
  percent: '%',
  bytes_per_second: '',
  count: '',
};

function scalesOf(unit: ChartUnit): Scale[] {
  switch (unit) {
    case 'bytes_per_second':
      return IEC;
    case 'ms':
      return DURATION;
    case 'percent':
      return [{ factor: 1, suffix: '' }];
    case 'per_second':
    case 'count':
      return SI;
  }
}

/** The largest scale not larger than `magnitude` (the smallest when none is). */
function pickScale(scales: Scale[], magnitude: number): Scale {
  return scales.find((s) => magnitude >= s.factor) ?? (scales[scales.length - 1] as Scale);
}

/** About three significant digits, without trailing zeros after the point. */
function threeDigits(x: number): string {
  const abs = Math.abs(x);
  if (abs === 0) return '0';
  const decimals = abs >= 100 ? 0 : abs >= 10 ? 1 : abs >= 1 ? 2 : Math.min(6, 1 - Math.floor(Math.log10(abs)) + 1);
  return trimZeros(x.toFixed(decimals));
}

/** Decimals needed to write `step` exactly (0.25 → 2, 5 → 0), at most 6. */
function decimalsOf(step: number): number {
  for (let d = 0; d < 6; d++) {
    const shifted = step * 10 ** d;
    if (Math.abs(shifted - Math.round(shifted)) < 1e-6 * Math.max(1, shifted)) return d;
  }
  return 6;
}

/** A value for the legend and the tooltip: "1.23k/s", "45.2%", "3.4 MiB/s", "1.2 s"; "—" for null. */
export function formatChartValue(unit: ChartUnit, value: number | null | undefined): string {
  if (value == null || !Number.isFinite(value)) return MISSING;
  const scale = pickScale(scalesOf(unit), Math.abs(value));
  return `${threeDigits(value / scale.factor)}${scale.suffix}${UNIT_SUFFIX[unit]}`;
}

/** Labels of a y axis' ticks (`splits`, ascending and evenly spaced as uPlot gives them). */
export function formatAxisTicks(unit: ChartUnit, splits: readonly number[]): string[] {
  if (splits.length === 0) return [];
  const largest = Math.max(...splits.map((s) => Math.abs(s)));
  const scale = pickScale(scalesOf(unit), largest);
  const step = splits.length > 1 ? Math.abs((splits[1] as number) - (splits[0] as number)) / scale.factor : 0;
  const decimals = decimalsOf(step);
  return splits.map((s) => (s === 0 ? '0' : `${(s / scale.factor).toFixed(decimals)}${scale.suffix}${UNIT_SUFFIX[unit]}`));
}
