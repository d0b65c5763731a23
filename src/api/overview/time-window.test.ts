import { describe, expect, it } from 'vitest';
import { StellarError } from '../../errors.js';
import { DAY_MS, resolutionOf, resolveWindow } from './time-window.js';

const NOW = Date.UTC(2026, 10, 24, 12, 0, 0);
const H = 3_600_000;

function validationOf(run: () => unknown): { field: string; message: string }[] {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(StellarError);
    return [...((error as StellarError).details ?? [])];
  }
  throw new Error('expected a validation error');
}

describe('resolveWindow', () => {
  it('is the last hour by default, and a preset ends now', () => {
    expect(resolveWindow({}, NOW, '1h')).toEqual({ from: NOW - H, to: NOW, timeRange: '1h' });
    expect(resolveWindow({ timeRange: '7d' }, NOW, '1h')).toEqual({ from: NOW - 7 * DAY_MS, to: NOW, timeRange: '7d' });
  });

  it('takes from and to as given (custom), from alone up to now, to alone with the preset before it', () => {
    expect(resolveWindow({ from: NOW - 2 * H, to: NOW - H }, NOW, '1h')).toEqual({ from: NOW - 2 * H, to: NOW - H, timeRange: 'custom' });
    expect(resolveWindow({ from: NOW - 5 * H }, NOW, '1h')).toEqual({ from: NOW - 5 * H, to: NOW, timeRange: 'custom' });
    expect(resolveWindow({ to: NOW - H, timeRange: '6h' }, NOW, '1h')).toEqual({ from: NOW - 7 * H, to: NOW - H, timeRange: '6h' });
    expect(resolveWindow({ from: NOW - 10 * H, timeRange: '6h' }, NOW, '1h')).toEqual({ from: NOW - 10 * H, to: NOW - 4 * H, timeRange: '6h' });
  });

  it('names the parameter when the window is empty, backwards or over-determined', () => {
    expect(validationOf(() => resolveWindow({ from: NOW, to: NOW }, NOW, '1h'))).toEqual([{ field: 'from', message: expect.stringContaining('must be before to') }]);
    expect(validationOf(() => resolveWindow({ from: NOW + H }, NOW, '1h'))).toEqual([{ field: 'from', message: expect.stringContaining('must be before now') }]);
    expect(validationOf(() => resolveWindow({ from: 0, to: H, timeRange: '1h' }, NOW, '1h'))[0]?.field).toBe('time_range');
    expect(validationOf(() => resolveWindow({ to: 1000, timeRange: '30d' }, NOW, '1h'))[0]?.field).toBe('to');
  });
});

describe('resolutionOf', () => {
  it('is raw while the window starts within the retention, daily once it starts before', () => {
    expect(resolutionOf({ from: NOW - 7 * DAY_MS, to: NOW, timeRange: '7d' }, NOW, 7)).toBe('raw');
    expect(resolutionOf({ from: NOW - 30 * DAY_MS, to: NOW, timeRange: '30d' }, NOW, 7)).toBe('daily');
    expect(resolutionOf({ from: NOW - 30 * DAY_MS, to: NOW, timeRange: '30d' }, NOW, 30)).toBe('raw');
    // A short window long ago: raw rows are gone, the daily rows remain.
    expect(resolutionOf({ from: NOW - 20 * DAY_MS, to: NOW - 20 * DAY_MS + H, timeRange: 'custom' }, NOW, 7)).toBe('daily');
  });
});
