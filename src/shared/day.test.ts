import fc from 'fast-check';
import { Temporal } from 'temporal-polyfill';
import { describe, expect, it } from 'vitest';
import { addDays, checkTimeZone, dayBounds, dayOf, dayStart, isCalendarDay, nextDay } from './day.js';

const HOUR = 3_600_000;

/**
 * The oracle: the zone's wall clock at an instant as Intl (ICU) prints it. It shares no
 * arithmetic with day.ts, which goes through Temporal.
 */
const formatters = new Map<string, Intl.DateTimeFormat>();
function wallClock(epochMs: number, timeZone: string): { day: string; time: string } {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' });
    formatters.set(timeZone, f);
  }
  const p = Object.fromEntries(f.formatToParts(epochMs).map((x) => [x.type, x.value]));
  return { day: `${p.year}-${p.month}-${p.day}`, time: `${p.hour}:${p.minute}:${p.second}` };
}
const wallDay = (epochMs: number, timeZone: string): string => wallClock(epochMs, timeZone).day;

/** Instants in (from, to] where the zone's offset changes, found by halving to the millisecond (Intl only). */
function offsetChanges(from: number, to: number, timeZone: string): number[] {
  if (oracleOffsetMs(from, timeZone) === oracleOffsetMs(to, timeZone)) {
    // Two changes that cancel out within the span would be missed: look at its halves too.
    if (to - from <= 6 * HOUR) return [];
  }
  if (to - from <= 1) return oracleOffsetMs(from, timeZone) === oracleOffsetMs(to, timeZone) ? [] : [to];
  const mid = Math.floor((from + to) / 2);
  return [...offsetChanges(from, mid, timeZone), ...offsetChanges(mid, to, timeZone)];
}

/**
 * The day an instant belongs to: the latest day the wall clock has shown up to it. Where the
 * clock never goes back across midnight that is the day it shows; where it does, the repeated
 * minutes stay in the day that had begun (days are back to back).
 */
function oracleDay(epochMs: number, timeZone: string): string {
  const shown = [epochMs, ...offsetChanges(epochMs - 48 * HOUR, epochMs, timeZone).map((t) => t - 1)].map((t) => wallDay(t, timeZone));
  return shown.reduce((latest, day) => (day > latest ? day : latest));
}

/** The zone's UTC offset at an instant as Intl prints it ("GMT+05:30", "GMT-00:44:30", "GMT"). */
const offsetFormatters = new Map<string, Intl.DateTimeFormat>();
function oracleOffsetMs(epochMs: number, timeZone: string): number {
  let f = offsetFormatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'longOffset' });
    offsetFormatters.set(timeZone, f);
  }
  const name = f.formatToParts(epochMs).find((p) => p.type === 'timeZoneName')?.value ?? '';
  const m = /^GMT(?:([+-])(\d{2}):(\d{2})(?::(\d{2}))?)?$/.exec(name);
  if (!m) throw new Error(`unexpected offset ${name}`);
  if (m[1] === undefined) return 0;
  return (m[1] === '-' ? -1 : 1) * ((Number(m[2]) * 60 + Number(m[3])) * 60 + Number(m[4] ?? 0)) * 1000;
}

const ZONES = Intl.supportedValuesOf('timeZone');

/** An instant within a day and a half of one of the zone's offset changes in the year (or in the year, when it has none). */
function nearTransition(zone: string, year: number, nth: number, shiftMs: number): number {
  let at = Temporal.Instant.fromEpochMilliseconds(Date.UTC(year, 0, 1)).toZonedDateTimeISO(zone);
  for (let i = 0; i <= nth; i += 1) {
    const next = at.getTimeZoneTransition('next');
    if (!next || next.year > year) break;
    at = next;
  }
  return at.epochMilliseconds + shiftMs;
}

const instantNearTransition = fc
  .record({
    zone: fc.constantFrom(...ZONES),
    year: fc.integer({ min: 1970, max: 2037 }),
    nth: fc.integer({ min: 0, max: 3 }),
    shift: fc.integer({ min: -36 * HOUR, max: 36 * HOUR }),
  })
  .map(({ zone, year, nth, shift }) => ({ zone, at: nearTransition(zone, year, nth, shift) }));

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
    expect((spring.end - spring.start) / HOUR).toBe(23);
    const autumn = dayBounds('2026-11-01', 'America/New_York');
    expect((autumn.end - autumn.start) / HOUR).toBe(25);
    expect(dayOf(autumn.start, 'America/New_York')).toBe('2026-11-01');
  });

  it('starts a day whose midnight DST skips at 01:00, on that day (Santiago, Havana)', () => {
    // Chile moves from -04 to -03 at 24:00 on Saturday 2026-09-05: Sunday begins at 01:00 -03.
    expect(dayStart('2026-09-06', 'America/Santiago')).toBe(Date.UTC(2026, 8, 6, 4));
    expect(dayOf(dayStart('2026-09-06', 'America/Santiago'), 'America/Santiago')).toBe('2026-09-06');
    expect(dayOf(dayStart('2026-09-06', 'America/Santiago') - 1, 'America/Santiago')).toBe('2026-09-05');
    const santiago = dayBounds('2026-09-05', 'America/Santiago');
    expect((santiago.end - santiago.start) / HOUR).toBe(24);
    // Cuba moves from -05 to -04 at 00:00 on 2026-03-08: the day begins at 01:00 -04 and lasts 23 hours.
    expect(dayStart('2026-03-08', 'America/Havana')).toBe(Date.UTC(2026, 2, 8, 5));
    const havana = dayBounds('2026-03-08', 'America/Havana');
    expect((havana.end - havana.start) / HOUR).toBe(23);
    expect(dayOf(havana.start, 'America/Havana')).toBe('2026-03-08');
    expect(dayOf(havana.start - 1, 'America/Havana')).toBe('2026-03-07');
  });

  it('steps over month and year ends', () => {
    expect(nextDay('2026-12-31')).toBe('2027-01-01');
    expect(nextDay('2028-02-28')).toBe('2028-02-29');
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
    expect(addDays('2026-11-24', -29)).toBe('2026-10-26');
  });

  it('knows calendar days and time zone names', () => {
    expect(['2026-02-28', '2028-02-29'].map(isCalendarDay)).toEqual([true, true]);
    expect(['2026-02-29', '2026-02-30', '2026-13-01', '2026-1-01', '20260101', ''].map(isCalendarDay)).toEqual([false, false, false, false, false, false]);
    expect(() => checkTimeZone('Asia/Shanghai')).not.toThrow();
    expect(() => checkTimeZone('utc')).not.toThrow();
    expect(() => checkTimeZone('Mars/Olympus_Mons')).toThrow(RangeError);
    expect(() => checkTimeZone('+08:00')).toThrow(RangeError);
  });
});

describe('days in every zone, around offset changes (properties)', () => {
  it('an instant falls on the day the zone’s wall clock shows (or, in minutes the clock repeated past midnight, the day that had begun)', () => {
    fc.assert(
      fc.property(instantNearTransition, ({ zone, at }) => {
        expect(dayOf(at, zone)).toBe(oracleDay(at, zone));
      }),
      { numRuns: 3000 },
    );
  });

  it('a day runs from its first instant to the next day’s, and contains its instants', () => {
    fc.assert(
      fc.property(instantNearTransition, ({ zone, at }) => {
        const day = oracleDay(at, zone);
        const { start, end } = dayBounds(day, zone);
        expect(start).toBeLessThanOrEqual(at);
        expect(end).toBeGreaterThan(at);
        // start is the day's first instant: the one before it belongs to an earlier day.
        expect(oracleDay(start, zone)).toBe(day);
        expect(oracleDay(start - 1, zone) < day).toBe(true);
        expect(oracleDay(end - 1, zone)).toBe(day);
        expect(oracleDay(end, zone) > day).toBe(true);
        expect(dayOf(dayStart(day, zone), zone)).toBe(day);
        // At midnight when midnight exists, otherwise at the first wall time after the skipped part.
        const first = wallClock(start, zone).time;
        if (first !== '00:00:00') expect(wallClock(start - 1, zone).day < day).toBe(true);
      }),
      { numRuns: 3000 },
    );
  });

  it('a day from midnight to midnight lasts 24 hours less what the offset moved forward; every day 17 to 31 hours', () => {
    fc.assert(
      fc.property(instantNearTransition, ({ zone, at }) => {
        const day = dayOf(at, zone);
        const { start, end } = dayBounds(day, zone);
        // When the next day was skipped (Enderbury 1994-12-31), `end` is the day after it: the rule is about adjacent days.
        const endsOnNextDay = wallClock(end, zone).day === nextDay(day);
        if (wallClock(start, zone).time === '00:00:00' && wallClock(end, zone).time === '00:00:00' && endsOnNextDay) {
          expect(end - start).toBe(24 * HOUR - (oracleOffsetMs(end, zone) - oracleOffsetMs(start, zone)));
        }
        // The odd ones since 1970: Vostok's 17 and 31 hours, Casey's 21 and 27, Troll's 22 and 26.
        expect(end - start).toBeGreaterThanOrEqual(17 * HOUR);
        expect(end - start).toBeLessThanOrEqual(31 * HOUR);
      }),
      { numRuns: 3000 },
    );
  });

  it('skips a day the zone skipped (Apia 2011-12-30) without losing an instant, and keeps days back to back', () => {
    const { start, end } = dayBounds('2011-12-30', 'Pacific/Apia');
    expect(end - start).toBe(0);
    expect(dayBounds('2011-12-29', 'Pacific/Apia').end).toBe(start);
    expect(dayOf(start, 'Pacific/Apia')).toBe('2011-12-31');
    // St. John's went back an hour at 00:01 on 1987-10-25: its clock showed 23:01 on the 24th
    // again, but those minutes come after the 25th began, and stay in it.
    const repeated = Date.UTC(1987, 9, 25, 2, 31);
    expect(wallClock(repeated, 'America/St_Johns')).toEqual({ day: '1987-10-24', time: '23:01:00' });
    expect(dayOf(repeated, 'America/St_Johns')).toBe('1987-10-25');
    expect(dayBounds('1987-10-24', 'America/St_Johns').end).toBe(dayBounds('1987-10-25', 'America/St_Johns').start);
    // Kanton (Enderbury) skipped 1994-12-31: the day before it still lasts its 24 hours.
    const before = dayBounds('1994-12-30', 'Pacific/Enderbury');
    expect(before.end - before.start).toBe(24 * HOUR);
    expect(dayBounds('1994-12-31', 'Pacific/Enderbury')).toEqual({ start: before.end, end: before.end });
  });

  it('counts calendar days the same in every zone', () => {
    fc.assert(
      fc.property(fc.integer({ min: Date.UTC(1970, 0, 1), max: Date.UTC(2037, 11, 31) }), fc.integer({ min: -400, max: 400 }), (ms, n) => {
        const day = dayOf(ms, 'UTC');
        expect(addDays(addDays(day, n), -n)).toBe(day);
        const [y, m, d] = day.split('-').map(Number) as [number, number, number];
        expect(addDays(day, n)).toBe(new Date(Date.UTC(y, m - 1, d + n)).toISOString().slice(0, 10));
      }),
    );
  });
});
