import { describe, expect, it } from 'vitest';
import { dayBounds, dayOf, dayStart, nextDay } from './day.js';

describe('days in a time zone', () => {
  it('UTC days are 24 hours from midnight', () => {
    expect(dayBounds('2026-11-24', 'UTC')).toEqual({ start: Date.UTC(2026, 10, 24), end: Date.UTC(2026, 10, 25) });
    expect(dayOf(Date.UTC(2026, 10, 24, 23, 59), 'UTC')).toBe('2026-11-24');
  });

  it('Asia/Shanghai days start at 16:00 UTC the day before', () => {
    expect(dayStart('2026-11-24', 'Asia/Shanghai')).toBe(Date.UTC(2026, 10, 23, 16));
    expect(dayOf(Date.UTC(2026, 10, 23, 16, 0, 1), 'Asia/Shanghai')).toBe('2026-11-24');
  });

  it('a DST day is 23 or 25 hours long', () => {
    const spring = dayBounds('2026-03-08', 'America/New_York');
    expect((spring.end - spring.start) / 3_600_000).toBe(23);
    const autumn = dayBounds('2026-11-01', 'America/New_York');
    expect((autumn.end - autumn.start) / 3_600_000).toBe(25);
    expect(dayOf(autumn.start, 'America/New_York')).toBe('2026-11-01');
  });

  it('steps over month and year ends', () => {
    expect(nextDay('2026-12-31')).toBe('2027-01-01');
    expect(nextDay('2028-02-28')).toBe('2028-02-29');
  });
});
