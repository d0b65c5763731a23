/**
 * Calendar days in a time zone (IANA name): the span of a `YYYY-MM-DD` day as epoch ms, and
 * the day an instant falls on. The arithmetic is Temporal's (the polyfill), not ours: a day
 * whose midnight is skipped by a DST change (America/Santiago, America/Havana) starts at the
 * first instant that exists, and the tz database's odd offsets come out right.
 */
import { Temporal } from 'temporal-polyfill';

/**
 * The zone's canonical id. Throws RangeError for a name the tz database does not know, and for
 * a bare UTC offset ("+08:00"): a fixed offset never follows the zone's DST changes.
 */
function zoneId(timeZone: string): string {
  const id = Temporal.Instant.fromEpochMilliseconds(0).toZonedDateTimeISO(timeZone).timeZoneId;
  if (/^[+-]/.test(id)) throw new RangeError(`${timeZone} is a UTC offset, not a time zone name`);
  return id;
}

/** Throws RangeError for a time zone the system does not know (or a bare UTC offset). */
export function checkTimeZone(timeZone: string): void {
  zoneId(timeZone);
}

/**
 * `YYYY-MM-DD` of the instant in the zone: the day its wall clock shows, except where the clock
 * went back across midnight (St. John's changed at 00:01 until 2011): the repeated minutes after
 * a day began stay in that day. Days are back to back, as `dayBounds` gives them, so every
 * instant is in exactly one day's bounds.
 */
export function dayOf(epochMs: number, timeZone: string): string {
  const wall = Temporal.Instant.fromEpochMilliseconds(epochMs).toZonedDateTimeISO(timeZone).toPlainDate().toString();
  const next = nextDay(wall);
  return epochMs >= dayStart(next, timeZone) ? next : wall;
}

/**
 * The first instant of a `YYYY-MM-DD` day in the zone, as epoch ms: local midnight, or the
 * first local time after it when a DST change skips midnight. Throws RangeError for a day that
 * is not in the calendar (2026-02-30).
 */
export function dayStart(day: string, timeZone: string): number {
  return Temporal.PlainDate.from(day).toZonedDateTime({ timeZone }).epochMilliseconds;
}

/** `[start, end)` of the day in the zone: usually 23, 24 or 25 hours. */
export function dayBounds(day: string, timeZone: string): { start: number; end: number } {
  return { start: dayStart(day, timeZone), end: dayStart(nextDay(day), timeZone) };
}

/** The `YYYY-MM-DD` day `days` calendar days after (before, when negative) the given one. */
export function addDays(day: string, days: number): string {
  return Temporal.PlainDate.from(day).add({ days }).toString();
}

export function nextDay(day: string): string {
  return addDays(day, 1);
}

export const DAY_PATTERN = /^\d{4}-\d{2}-\d{2}$/;

/** True for `YYYY-MM-DD` naming a day of the calendar (not 2026-02-30). */
export function isCalendarDay(text: string): boolean {
  if (!DAY_PATTERN.test(text)) return false;
  try {
    Temporal.PlainDate.from(text);
    return true;
  } catch {
    return false;
  }
}
