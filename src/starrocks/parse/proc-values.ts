/**
 * The string formats of node-list cells (StarRocks' `BackendsProcDir` and `DebugUtil`, the same
 * in Doris): capacities
 * (`"1.234 TB"`, `"0.000 "`, `"27.423GB"`), percentages (`"12.30 %"`, `"0.0 %"`), FE times
 * (`"2023-05-27 18:37:17"`, `NULL`), booleans. Each parser returns null for a blank, `NULL`
 * or unreadable cell, so one odd cell never costs the rest of the row.
 */

const UNITS: Record<string, number> = { '': 1, B: 1, BYTES: 1, KB: 1024, MB: 1024 ** 2, GB: 1024 ** 3, TB: 1024 ** 4, PB: 1024 ** 5 };

const isMissing = (cell: string | null | undefined): cell is null | undefined =>
  cell === null || cell === undefined || cell.trim() === '' || cell.trim().toUpperCase() === 'NULL' || cell.trim() === 'N/A';

/** `"1.234 TB"`, `"27.423GB"`, `"0.000 "` (≤ 3.0: no unit below 1 KB), `"0.000 B"`: bytes, 1024-based. */
export function parseCapacity(cell: string | null | undefined): number | null {
  if (isMissing(cell)) return null;
  const match = /^\s*(-?\d+(?:\.\d+)?)\s*([a-zA-Z]*)\s*$/.exec(cell);
  if (!match) return null;
  const factor = UNITS[(match[2] ?? '').toUpperCase()];
  if (factor === undefined) return null;
  const bytes = Number(match[1]) * factor;
  return Number.isFinite(bytes) ? bytes : null;
}

/** `"12.30 %"`, `"0.0 %"`, `"12.3%"`: the number of percent. */
export function parsePercent(cell: string | null | undefined): number | null {
  if (isMissing(cell)) return null;
  const match = /^\s*(-?\d+(?:\.\d+)?)\s*%?\s*$/.exec(cell);
  return match ? Number(match[1]) : null;
}

export function parseInteger(cell: string | null | undefined): number | null {
  if (isMissing(cell)) return null;
  const trimmed = cell.trim();
  return /^-?\d+$/.test(trimmed) ? Number(trimmed) : null;
}

export function parseBoolean(cell: string | null | undefined): boolean | null {
  if (isMissing(cell)) return null;
  const value = cell.trim().toLowerCase();
  return value === 'true' || value === 'yes' ? true : value === 'false' || value === 'no' ? false : null;
}

/**
 * `"yyyy-MM-dd HH:mm:ss"` in the FE's local time zone, which the FE does not say: read with the
 * offset the caller gives (minutes east of UTC, 0 by default).
 */
export function parseFeTime(cell: string | null | undefined, offsetMinutes = 0): number | null {
  if (isMissing(cell)) return null;
  const match = /^\s*(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})(?:\.\d+)?\s*$/.exec(cell);
  if (!match) return null;
  const [, y, mo, d, h, mi, s] = match.map(Number) as [number, number, number, number, number, number, number];
  return Date.UTC(y, mo - 1, d, h, mi, s) - offsetMinutes * 60_000;
}

export function parseText(cell: string | null | undefined): string | null {
  return isMissing(cell) ? null : cell.trim();
}
