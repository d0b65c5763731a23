/**
 * Calendar days in a time zone (IANA name): the span of a `YYYY-MM-DD` day as epoch ms, and
 * the day an instant falls on. Pure (Intl only), so the roll-up and the web console agree.
 */

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' });
    formatters.set(timeZone, f);
  }
  return f;
}

/** Throws RangeError for a time zone Intl does not know. */
export function checkTimeZone(timeZone: string): void {
  formatter(timeZone);
}

function parts(epochMs: number, timeZone: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const p of formatter(timeZone).formatToParts(epochMs)) if (p.type !== 'literal') out[p.type] = Number(p.value);
  return out;
}

/** Minutes the zone is ahead of UTC at this instant. */
function offsetMinutes(epochMs: number, timeZone: string): number {
  const p = parts(epochMs, timeZone);
  const asUtc = Date.UTC(p.year ?? 1970, (p.month ?? 1) - 1, p.day ?? 1, p.hour ?? 0, p.minute ?? 0, p.second ?? 0);
  return Math.round((asUtc - Math.floor(epochMs / 1000) * 1000) / 60_000);
}

/** `YYYY-MM-DD` of the instant in the zone. */
export function dayOf(epochMs: number, timeZone: string): string {
  const p = parts(epochMs, timeZone);
  return `${String(p.year).padStart(4, '0')}-${String(p.month).padStart(2, '0')}-${String(p.day).padStart(2, '0')}`;
}

/** Local midnight of a `YYYY-MM-DD` day in the zone, as epoch ms. */
export function dayStart(day: string, timeZone: string): number {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  const guess = Date.UTC(y, m - 1, d);
  let start = guess - offsetMinutes(guess, timeZone) * 60_000;
  // Near a DST change the offset at midnight differs from the offset at the guess: once more.
  start = guess - offsetMinutes(start, timeZone) * 60_000;
  return start;
}

/** `[start, end)` of the day in the zone (23, 24 or 25 hours). */
export function dayBounds(day: string, timeZone: string): { start: number; end: number } {
  return { start: dayStart(day, timeZone), end: dayStart(nextDay(day), timeZone) };
}

/** The `YYYY-MM-DD` day `days` calendar days after (before, when negative) the given one. */
export function addDays(day: string, days: number): string {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}

export function nextDay(day: string): string {
  return addDays(day, 1);
}

export const DAY_PATTERN = /^\d{4}-\d{2}-\d{2}$/;
