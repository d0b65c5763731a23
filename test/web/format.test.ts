import { describe, expect, it } from 'vitest';
import { formatBytes, formatBytesRate, formatClockTime, formatDuration, formatNumber, formatPercent, formatRelativeTime, MISSING } from '../../web/src/app/format.js';

describe('console formatters', () => {
  it('print an em dash for a value that was not measured, never 0', () => {
    for (const format of [formatNumber, formatBytes, formatBytesRate, formatPercent, formatDuration]) {
      expect(format(null)).toBe(MISSING);
      expect(format(undefined)).toBe(MISSING);
      expect(format(Number.NaN)).toBe(MISSING);
    }
    expect(formatRelativeTime(null)).toBe(MISSING);
    expect(formatClockTime(null)).toBe(MISSING);
    expect(formatNumber(0)).toBe('0');
    expect(formatPercent(0)).toBe('0.0%');
  });

  it('formatNumber: decimals that help reading, then SI suffixes', () => {
    expect(formatNumber(3.14159)).toBe('3.14');
    expect(formatNumber(42.25)).toBe('42.3');
    expect(formatNumber(166.4)).toBe('166');
    expect(formatNumber(1234)).toBe('1,234');
    expect(formatNumber(12_345)).toBe('12.3k');
    expect(formatNumber(4_560_000)).toBe('4.56M');
    expect(formatNumber(-25_000)).toBe('-25k');
    expect(formatNumber(2.5, 2)).toBe('2.50');
  });

  it('formatNumber: integers and fractions alike, grouped by thousands', () => {
    expect(formatNumber(2000)).toBe('2,000');
    expect(formatNumber(2000.4)).toBe('2,000');
    expect(formatNumber(1234.5)).toBe('1,235');
    expect(formatNumber(-1234.5)).toBe('-1,235');
    expect(formatNumber(999.5)).toBe('1,000');
    expect(formatNumber(1234.5, 1)).toBe('1,234.5');
    expect(formatNumber(1234, 2)).toBe('1,234.00');
    expect(formatNumber(12_345.678, 2)).toBe('12,345.68');
  });

  it('formatNumber: sensible decimals at the edges', () => {
    // Trailing zeros dropped, as for integers.
    expect(formatNumber(2.5)).toBe('2.5');
    expect(formatNumber(10.04)).toBe('10');
    // A small value is not shown as 0 (0 means "none", not "a little").
    expect(formatNumber(0.004)).toBe('0.004');
    expect(formatNumber(0.001234)).toBe('0.0012');
    expect(formatNumber(0.05)).toBe('0.05');
    // Never "-0".
    expect(formatNumber(-0)).toBe('0');
    expect(formatNumber(-0.001, 2)).toBe('0.00');
    // Rounding up to the next unit takes that unit's form.
    expect(formatNumber(9999.6)).toBe('10k');
    expect(formatNumber(999_950)).toBe('1M');
    expect(formatNumber(1_234_567.891)).toBe('1.23M');
  });

  it('formatBytes: powers of 1024', () => {
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(1536)).toBe('1.5 KiB');
    expect(formatBytes(62.5 * 1024 ** 4)).toBe('62.5 TiB');
    expect(formatBytesRate(3 * 1024 ** 2)).toBe('3 MiB/s');
  });

  it('formatDuration: the two largest useful units', () => {
    expect(formatDuration(850)).toBe('850 ms');
    expect(formatDuration(1250)).toBe('1.25 s');
    expect(formatDuration(200_000)).toBe('3m 20s');
    expect(formatDuration(2 * 3_600_000 + 5 * 60_000)).toBe('2h 5m');
    expect(formatDuration(3 * 86_400_000 + 4 * 3_600_000)).toBe('3d 4h');
    expect(formatDuration(60_000)).toBe('1m');
  });

  it('formatRelativeTime: past and future, from a given now', () => {
    const now = Date.parse('2026-11-24T12:00:00Z');
    expect(formatRelativeTime('2026-11-24T11:59:58Z', now)).toBe('just now');
    expect(formatRelativeTime('2026-11-24T11:59:48Z', now)).toBe('12 s ago');
    expect(formatRelativeTime('2026-11-24T11:55:00Z', now)).toBe('5 min ago');
    expect(formatRelativeTime('2026-11-24T09:00:00Z', now)).toBe('3 h ago');
    expect(formatRelativeTime('2026-11-22T12:00:00Z', now)).toBe('2 d ago');
    expect(formatRelativeTime('2026-11-24T12:00:20Z', now)).toBe('in 20 s');
    expect(formatRelativeTime('not a time', now)).toBe(MISSING);
  });

  it('formatClockTime: hh:mm, 24 hours', () => {
    expect(formatClockTime(new Date(2026, 10, 24, 14, 5))).toBe('14:05');
  });
});
