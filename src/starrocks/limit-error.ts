/**
 * The one wording of a passed limit, so every reason names the real cause and the key that
 * sets it: "response larger than 16 MiB (limit limits.max_response_bytes)".
 */
import type { ScrapeLimits } from '../config/schema.js';
import { ScrapeError } from './errors.js';

export type LimitKey = keyof ScrapeLimits;

/** `16777216` → `16 MiB`; sizes that are not a whole number of a unit stay in bytes. */
export function formatBytes(bytes: number): string {
  for (const [unit, size] of [['GiB', 1024 ** 3], ['MiB', 1024 ** 2], ['KiB', 1024]] as const) {
    if (bytes >= size && bytes % size === 0) return `${bytes / size} ${unit}`;
  }
  return `${bytes} bytes`;
}

/** `what` says what passed, e.g. "response larger than 16 MiB". */
export function overLimit(source: string, what: string, key: LimitKey): ScrapeError {
  return new ScrapeError('over_limit', source, `${what} (limit limits.${key})`);
}

/** `limits.max_backends` for one node list. */
export interface RowLimit {
  readonly max: number;
  /** What the rows are of, for the reason: "the backends list". */
  readonly what: string;
}

export function tooManyRows(source: string, limit: RowLimit): ScrapeError {
  return overLimit(source, `${limit.what} has more than ${limit.max} rows`, 'max_backends');
}
