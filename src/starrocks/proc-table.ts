/**
 * A node list (`/api/show_proc`, `SHOW BACKENDS`, …) as the FE sent it, before any meaning is
 * read into it: the parsers of the collector map columns by title, since every release moves them.
 */
import type { ScrapeErrorKind } from './errors.js';
import { dorisEnvelopeFailure } from './fe-json.js';

export interface ProcTable {
  /** Column titles; null when the body has none (rows as arrays: StarRocks ≤ 3.0, Doris over HTTP). */
  readonly columns: readonly string[] | null;
  /** String cells; null is SQL NULL. */
  readonly rows: readonly (readonly (string | null)[])[];
}

/** Why a show_proc body is not a table: the FE's own failure report, or a body of the wrong shape. */
export class ProcBodyError extends Error {
  override readonly name = 'ProcBodyError';

  constructor(
    readonly kind: Extract<ScrapeErrorKind, 'auth' | 'query_failed' | 'malformed'>,
    message: string,
  ) {
    super(message);
  }
}

const isCell = (value: unknown): value is string | null => typeof value === 'string' || value === null;
const text = (value: unknown, fallback: string): string => (typeof value === 'string' ? value : fallback);
const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * The JSON body of `/api/show_proc`: a bare array of objects keyed by title (3.1+), a bare
 * array of string arrays (older), or Doris' `{"msg","code":0,"data":[[…]],"count"}`. A
 * StarRocks failure answered with 200 (`{"status":"FAILED","msg":…}`) and a Doris non-zero
 * code become errors with the FE's message.
 */
export function procTableFromJson(body: unknown): ProcTable {
  if (isPlainObject(body)) {
    if (typeof body.code === 'number' && 'data' in body) {
      if (body.code === 0) return procTableFromJson(body.data);
      // Only Doris' 401 is a refused login; its 403 is BAD_REQUEST (one rule, fe-json.ts).
      const failure = dorisEnvelopeFailure(body);
      throw new ProcBodyError(failure.kind, failure.message);
    }
    if (body.status === 'FAILED') {
      throw new ProcBodyError('query_failed', `the FE reported a failure: ${text(body.msg, text(body.message, 'no message'))}`);
    }
    throw new ProcBodyError('malformed', 'expected a JSON array of rows, got an object');
  }
  if (!Array.isArray(body)) throw new ProcBodyError('malformed', `expected a JSON array of rows, got ${body === null ? 'null' : typeof body}`);
  if (body.length === 0) return { columns: null, rows: [] };
  if (body.every((row) => Array.isArray(row) && row.every(isCell))) {
    return { columns: null, rows: body };
  }
  if (body.every(isPlainObject)) {
    const objects = body;
    // Gson keeps the proc's column order in each object, so the first row's keys are the titles.
    const columns = Object.keys(objects[0] ?? {});
    const rows = objects.map((object, i) =>
      columns.map((column) => {
        const cell = object[column] ?? null;
        if (!isCell(cell)) throw new ProcBodyError('malformed', `row ${i + 1}, column ${column}: expected a string, got ${typeof cell}`);
        return cell;
      }),
    );
    return { columns, rows };
  }
  throw new ProcBodyError('malformed', 'expected rows that are all objects of strings or all arrays of strings');
}
