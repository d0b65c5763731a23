/**
 * A read thread of the pool (sqlite-read-pool.ts): opens the database read-only, keeps its
 * prepared statements (the builder sends the same few texts again and again), and answers each
 * request with its rows, or the error's message and code. A window's trend blocks, raw or
 * tier, it also sums here, where it reads them (trend-block-sums.ts): the answer is a few hundred buckets handed
 * over without copying, not megabytes of blobs cloned into the event loop's thread to be summed
 * there.
 */
import Database from 'better-sqlite3';
import { parentPort, workerData } from 'node:worker_threads';
import { sumTierBlocks, sumTrendBlocks } from '../../trend-block-sums.js';

/** What the pool asks: a read's rows, or a window's trend blocks summed into buckets. */
export type ReadRequest =
  | { readonly id: number; readonly kind: 'rows'; readonly sql: string; readonly parameters: readonly unknown[] }
  | {
      readonly id: number;
      readonly kind: 'block-sums';
      /** Raw trend blocks (the statement reads `hour_start` and `data`) or tier blocks (`day_start` and `data`). */
      readonly blocks: 'raw' | 'tier';
      readonly sql: string;
      readonly parameters: readonly unknown[];
      readonly columns: readonly string[];
      /** The samples summed: within `[from, to)`, into the buckets of `widthMs` that hold it (trend-block-sums.ts, bucketGrid). */
      readonly from: number;
      readonly to: number;
      readonly widthMs: number;
    };

export type ReadReply =
  | { readonly id: number; readonly rows: unknown[] }
  | { readonly id: number; readonly sums: Float64Array; readonly covered: number[] }
  | { readonly id: number; readonly message: string; readonly code: string | undefined };

export interface ReadWorkerData {
  /** Set by the pool: only a thread it started serves (a test runner's own worker threads import modules too). */
  readonly stellarReadThread: true;
  readonly path: string;
  readonly cacheKib: number;
  readonly busyTimeoutMs: number;
}

/** Statements kept per thread; the API's reads are a few dozen texts, exports add one per column choice. */
const KEPT_STATEMENTS = 256;

function serve(port: NonNullable<typeof parentPort>, options: ReadWorkerData): void {
  const db = new Database(options.path, { readonly: true, fileMustExist: true });
  db.pragma(`busy_timeout = ${Number(options.busyTimeoutMs)}`);
  db.pragma(`cache_size = -${Number(options.cacheKib)}`);
  const statements = new Map<string, Database.Statement>();
  const statement = (sql: string): Database.Statement => {
    let found = statements.get(sql);
    if (found !== undefined) {
      // Least recently used goes first: a kept statement moves to the end.
      statements.delete(sql);
      statements.set(sql, found);
      return found;
    }
    found = db.prepare(sql);
    if (!found.reader) throw Object.assign(new Error('the read pool runs only reads'), { code: 'STELLAR_ERR_STORAGE' });
    statements.set(sql, found);
    if (statements.size > KEPT_STATEMENTS) statements.delete(statements.keys().next().value as string);
    return found;
  };
  port.on('message', (request: ReadRequest) => {
    try {
      const rows = statement(request.sql).all(request.parameters);
      if (request.kind === 'rows') {
        port.postMessage({ id: request.id, rows } satisfies ReadReply);
        return;
      }
      const { sums, covered } =
        request.blocks === 'raw'
          ? sumTrendBlocks(request.columns, rows as { hour_start: number; data: Uint8Array }[], request.from, request.to, request.widthMs)
          : sumTierBlocks(request.columns, rows as { day_start: number; data: Uint8Array }[], request.from, request.to, request.widthMs);
      // The grid's numbers move to the other thread: a transfer, not a copy.
      port.postMessage({ id: request.id, sums: sums.values, covered: [...covered] } satisfies ReadReply, [sums.values.buffer as ArrayBuffer]);
    } catch (error) {
      const { message, code } = error as { message?: unknown; code?: unknown };
      port.postMessage({ id: request.id, message: String(message), code: typeof code === 'string' ? code : undefined } satisfies ReadReply);
    }
  });
}

const data = workerData as Partial<ReadWorkerData> | null;
if (parentPort !== null && data?.stellarReadThread === true) serve(parentPort, data as ReadWorkerData);
