/**
 * Instants as the API reads them in `from`/`to` and the console in its URL: ISO 8601 with an
 * offset, a date (midnight UTC), or epoch milliseconds. Pure.
 */

const MINUTE = 60_000;

/** The latest instant accepted (year 9999), so every window prints as an ISO string. */
export const MAX_INSTANT_MS = Date.UTC(9999, 11, 31, 23, 59, 59, 999);

// A date, or a date and time with seconds optional and an offset required: a time without an
// offset would be read in the reader's zone (the server's, or the browser's), which the writer
// of the link cannot know.
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2}))?$/i;
const EPOCH_MS = /^\d{1,15}$/;

export const INSTANT_FORMS = 'an ISO 8601 time with an offset (e.g. 2026-11-24T12:00:00Z), a date (2026-11-24, midnight UTC), or epoch milliseconds';

/** Epoch ms of an ISO 8601 instant or a string of epoch milliseconds; null when it is neither. */
export function parseInstant(text: string): number | null {
  let ms: number;
  if (EPOCH_MS.test(text)) ms = Number(text);
  else if (ISO_INSTANT.test(text)) ms = Date.parse(text.length === 10 ? `${text}T00:00:00Z` : text);
  else return null;
  if (!Number.isFinite(ms) || ms < 0 || ms > MAX_INSTANT_MS) return null;
  // Date.parse rolls 2026-02-31 over to March; a date that is not in the calendar is refused.
  if (!EPOCH_MS.test(text) && !sameCalendarDate(text, ms)) return null;
  return ms;
}

function sameCalendarDate(text: string, ms: number): boolean {
  const offset = /([+-])(\d{2}):?(\d{2})$/.exec(text);
  const shift = offset ? (offset[1] === '-' ? -1 : 1) * (Number(offset[2]) * 60 + Number(offset[3])) * MINUTE : 0;
  return new Date(ms + shift).toISOString().slice(0, 10) === text.slice(0, 10);
}
