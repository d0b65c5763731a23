import { describe, expect, it } from 'vitest';
import { formatAxisTicks, formatChartValue } from '../../web/src/charts/chart-units.js';
import { colorOf, withAlpha } from '../../web/src/charts/theme-colors.js';

describe('formatChartValue', () => {
  it('prints about three significant digits with the unit', () => {
    expect(formatChartValue('per_second', 1234.5)).toBe('1.23k/s');
    expect(formatChartValue('per_second', 12.345)).toBe('12.3/s');
    expect(formatChartValue('per_second', 0.0523)).toBe('0.0523/s');
    expect(formatChartValue('percent', 45.23)).toBe('45.2%');
    expect(formatChartValue('count', 3)).toBe('3');
    expect(formatChartValue('count', 2_500_000)).toBe('2.5M');
  });

  it('prints bytes per second in binary units', () => {
    expect(formatChartValue('bytes_per_second', 512)).toBe('512 B/s');
    expect(formatChartValue('bytes_per_second', 3.5 * 1024 * 1024)).toBe('3.5 MiB/s');
    expect(formatChartValue('bytes_per_second', 1024 ** 3)).toBe('1 GiB/s');
  });

  it('prints latencies in ms, s or min as they grow', () => {
    expect(formatChartValue('ms', 85)).toBe('85 ms');
    expect(formatChartValue('ms', 1250)).toBe('1.25 s');
    expect(formatChartValue('ms', 90_000)).toBe('1.5 min');
  });

  it('prints a missing value as a dash, never 0', () => {
    expect(formatChartValue('percent', null)).toBe('—');
    expect(formatChartValue('ms', undefined)).toBe('—');
    expect(formatChartValue('count', Number.NaN)).toBe('—');
    expect(formatChartValue('count', 0)).toBe('0');
  });
});

describe('formatAxisTicks', () => {
  it('uses one scale for all ticks, with the decimals the step needs', () => {
    expect(formatAxisTicks('per_second', [0, 500, 1000, 1500])).toEqual(['0', '0.5k/s', '1.0k/s', '1.5k/s']);
    expect(formatAxisTicks('percent', [0, 25, 50, 75, 100])).toEqual(['0', '25%', '50%', '75%', '100%']);
    expect(formatAxisTicks('count', [0, 0.25, 0.5])).toEqual(['0', '0.25', '0.50']);
  });

  it('scales bytes and durations by the largest tick', () => {
    const mib = 1024 * 1024;
    expect(formatAxisTicks('bytes_per_second', [0, 2 * mib, 4 * mib])).toEqual(['0', '2 MiB/s', '4 MiB/s']);
    expect(formatAxisTicks('ms', [0, 500, 1000, 1500])).toEqual(['0', '0.5 s', '1.0 s', '1.5 s']);
  });

  it('copes with no ticks and a single tick', () => {
    expect(formatAxisTicks('count', [])).toEqual([]);
    expect(formatAxisTicks('count', [5])).toEqual(['5']);
  });
});

describe('theme colours', () => {
  it('fades hex and rgb colours for fills', () => {
    expect(withAlpha('#3274d9', 0.1)).toBe('rgba(50, 116, 217, 0.1)');
    expect(withAlpha('#fff', 0.5)).toBe('rgba(255, 255, 255, 0.5)');
    expect(withAlpha('rgb(10, 20, 30)', 0.2)).toBe('rgba(10, 20, 30, 0.2)');
    expect(withAlpha('rgba(10, 20, 30, 0.5)', 0.2)).toBe('rgba(10, 20, 30, 0.1)');
  });

  it('gives up (no fill) on colours it cannot read', () => {
    expect(withAlpha('oklch(70% 0.1 200)', 0.1)).toBeNull();
  });

  it('picks palette slots and status colours', () => {
    const theme = { palette: ['#111111', '#222222'], ok: 'green', warn: 'orange', crit: 'red', axis: 'grey', grid: 'silver', font: '11px sans-serif' };
    expect(colorOf(theme, 2)).toBe('#222222');
    expect(colorOf(theme, 'crit')).toBe('red');
    expect(colorOf(theme, 8)).toBe('grey');
  });
});
