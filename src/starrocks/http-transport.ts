/**
 * HTTP to one cluster's FEs (and BEs) through undici: a few keep-alive connections per origin
 * (origin-connections.ts), reused across cycles, so a scrape costs no TCP or TLS handshake,
 * Basic auth when asked, gzip when asked, and every failure turned into a ScrapeError.
 *
 * Requests go through `Client.dispatch` with a handler that keeps the body's chunks, not through
 * `request()`: its Readable body, `arrayBuffer()` and per-request AbortSignal plumbing were most
 * of the CPU of a scrape of a few KB, which a collection makes for every FE every interval.
 */
import type { IncomingHttpHeaders } from 'node:http';
import { promisify } from 'node:util';
import { gunzip, gunzipSync } from 'node:zlib';
import type { Dispatcher } from 'undici';
import type { ScrapeLimits } from '../config/schema.js';
import type { CallDeadline } from './call-deadline.js';
import { describeCause, ScrapeError, transportErrorKind } from './errors.js';
import { JsonRowCounter } from './json-row-counter.js';
import { formatBytes, overLimit, type RowLimit, tooManyRows } from './limit-error.js';
import { OriginConnections } from './origin-connections.js';

const gunzipAsync = promisify(gunzip);

/**
 * Bodies up to this size (compressed) are unpacked at once: for a few KB, the thread-pool round
 * trip of async zlib costs several times the work itself (about 220 µs against 35 µs for a
 * 3 KB FE body), and at fleet scale that is most of a scrape's CPU. Larger ones go to the pool
 * so a big body never holds the event loop.
 */
export const SYNC_GUNZIP_MAX_BYTES = 64 * 1024;
/**
 * What a synchronous gunzip may unpack: 64 KiB of gzip can hold 64 MiB of text, and unpacking
 * that on the event loop would hold it for a tenth of a second. A small body that unpacks to
 * more is unpacked again on the pool, up to the configured limit.
 */
const SYNC_GUNZIP_MAX_OUTPUT = 4 * 1024 * 1024;

/** What the transport accepts from a cluster. */
export type ByteLimits = Pick<ScrapeLimits, 'max_response_bytes' | 'max_decompressed_bytes'>;

export interface HttpAnswer {
  readonly status: number;
  readonly body: Buffer;
  /** Bytes that crossed the network (compressed when gzipped). */
  readonly wireBytes: number;
  readonly gzipped: boolean;
  readonly contentType: string | null;
  /** The `Location` header, as sent (a redirect's target). */
  readonly location: string | null;
  /** When the body's last byte arrived (on `HttpCall.now`), before it was decompressed or read. */
  readonly receivedAt: number;
}

export interface HttpCall {
  /** `http://host:port`, no trailing slash. */
  readonly origin: string;
  /** From the first `/`, with the query. */
  readonly path: string;
  readonly authorization: string | null;
  readonly acceptGzip: boolean;
  readonly deadline: CallDeadline;
  /** The caller's clock, read once: when the answer is complete. */
  readonly now: () => number;
  /** A JSON node list: its rows are counted as they arrive, and the answer refused past the cap. */
  readonly rowLimit?: RowLimit;
}

/** The answer as it came, before gunzip. */
interface RawAnswer {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
  readonly receivedAt: number;
}

export class HttpTransport {
  private readonly connections: OriginConnections;

  constructor(
    timeoutMs: number,
    connectionsPerOrigin: number,
    keepAliveMs: number,
    private readonly limits: ByteLimits,
  ) {
    this.connections = new OriginConnections(connectionsPerOrigin, {
      // undici's own limits back up the call deadline; the deadline is what bounds a dribbling body.
      connectTimeout: timeoutMs,
      headersTimeout: timeoutMs,
      bodyTimeout: timeoutMs,
      // Idle connections live this long, or as long as the server's Keep-Alive hint allows.
      keepAliveTimeout: keepAliveMs,
      keepAliveMaxTimeout: keepAliveMs,
    });
  }

  async get(call: HttpCall): Promise<HttpAnswer> {
    const source = `GET ${call.origin}${call.path}`;
    const headers: Record<string, string> = { 'user-agent': 'stellar' };
    if (call.authorization !== null) headers.authorization = call.authorization;
    if (call.acceptGzip) headers['accept-encoding'] = 'gzip';
    const options = { origin: call.origin, path: call.path, method: 'GET', headers };
    let raw: RawAnswer;
    try {
      raw = await this.send(options, call, source);
    } finally {
      call.deadline.dispose();
    }
    const encoding = raw.headers['content-encoding'];
    const gzipped = typeof encoding === 'string' && encoding.toLowerCase() === 'gzip';
    const body = gzipped ? await this.gunzip(raw.body, source) : raw.body;
    if (gzipped && call.rowLimit) await countRowsUnpacked(body, call.rowLimit, source);
    const contentType = raw.headers['content-type'];
    const location = raw.headers.location;
    return {
      status: raw.status,
      body,
      wireBytes: raw.body.length,
      gzipped,
      contentType: typeof contentType === 'string' ? contentType : null,
      location: typeof location === 'string' ? location : null,
      receivedAt: raw.receivedAt,
    };
  }

  close(): Promise<void> {
    return this.connections.close();
  }

  /**
   * Unpacks a gzip body, stopping as soon as the output passes `max_decompressed_bytes` (zlib's
   * `maxOutputLength`): a gzip bomb costs at most the limit, never its full size.
   */
  private async gunzip(body: Buffer, source: string): Promise<Buffer> {
    const limit = this.limits.max_decompressed_bytes;
    try {
      if (body.length <= SYNC_GUNZIP_MAX_BYTES) {
        try {
          return gunzipSync(body, { maxOutputLength: Math.min(limit, SYNC_GUNZIP_MAX_OUTPUT) });
        } catch (error) {
          if (!isTooLarge(error) || limit <= SYNC_GUNZIP_MAX_OUTPUT) throw error;
        }
      }
      return await gunzipAsync(body, { maxOutputLength: limit });
    } catch (error) {
      if (isTooLarge(error)) throw overLimit(source, `response larger than ${formatBytes(limit)} once decompressed`, 'max_decompressed_bytes');
      throw new ScrapeError('malformed', source, `the gzip body cannot be decompressed (${describeCause(error)})`, { cause: error });
    }
  }

  /**
   * A kept-alive connection the FE has since closed (a restart, an idle timeout) fails before
   * any answer; a GET is safe to send again, once, on a new connection — which then tells the
   * real story (refused, or an answer).
   */
  private async send(options: Dispatcher.DispatchOptions & { origin: string }, call: HttpCall, source: string): Promise<RawAnswer> {
    if (call.deadline.expired) throw call.deadline.timeoutError(source);
    try {
      return await this.dispatch(options, call, source);
    } catch (error) {
      if (!(error instanceof BeforeAnswer) || call.deadline.expired || transportErrorKind(error.cause) !== 'network') throw this.failure(source, call.deadline, error);
      try {
        return await this.dispatch(options, call, source);
      } catch (again) {
        throw this.failure(source, call.deadline, again);
      }
    }
  }

  private async dispatch(options: Dispatcher.DispatchOptions & { origin: string }, call: HttpCall, source: string): Promise<RawAnswer> {
    let free = (): void => undefined;
    try {
      return await new Promise<RawAnswer>((resolve, reject) => {
        free = this.connections.dispatch(options, new AnswerHandler(call, source, this.limits.max_response_bytes, resolve, reject));
      });
    } finally {
      free();
    }
  }

  /** A failure as a ScrapeError: one the handler already typed, or a transport error before the answer began. */
  private failure(source: string, deadline: CallDeadline, error: unknown): ScrapeError {
    if (error instanceof ScrapeError) return error;
    const cause = error instanceof BeforeAnswer ? error.cause : error;
    if (deadline.expired) return deadline.timeoutError(source, cause);
    const kind = transportErrorKind(cause);
    if (kind === 'timeout') return deadline.timeoutError(source, cause);
    return new ScrapeError(kind, source, `${kind === 'refused' ? 'connection refused or host unreachable' : 'the connection failed before the answer began'} (${describeCause(cause)})`, {
      cause,
    });
  }
}

/** About 5 ms of row counting: the most a count of an unpacked body holds the event loop at once. */
const ROW_COUNT_SLICE_BYTES = 1024 * 1024;

/**
 * A gzip answer's rows cannot be counted on the wire (Stellar never asks node lists gzipped, but
 * a server may send them so): they are counted once unpacked, within max_decompressed_bytes, in
 * slices with a turn of the event loop between them, stopping at the first row past the cap.
 */
async function countRowsUnpacked(body: Buffer, limit: RowLimit, source: string): Promise<void> {
  const counter = new JsonRowCounter();
  for (let start = 0; start < body.length; start += ROW_COUNT_SLICE_BYTES) {
    if (start > 0) await new Promise<void>((resolve) => setImmediate(resolve));
    if (counter.feed(body.subarray(start, start + ROW_COUNT_SLICE_BYTES)) > limit.max) throw tooManyRows(source, limit);
  }
}

const isTooLarge = (error: unknown): boolean => (error as { code?: unknown } | null)?.code === 'ERR_BUFFER_TOO_LARGE';

/** A transport error before the answer's status line: the caller may send the GET again. */
class BeforeAnswer extends Error {
  constructor(override readonly cause: unknown) {
    super('the connection failed before the answer began', { cause });
  }
}

/**
 * Keeps one answer's status, headers and body chunks, and settles once: with the answer at its
 * last byte, or with the failure. The call's deadline aborts it wherever it is — queued for a
 * connection, waiting for the head, or mid-body — and so does a body that passes
 * `max_response_bytes`, announced or counted as it arrives (an endless body is cut there, not
 * at the timeout, and never held whole), or a node list whose rows, counted as they arrive, pass
 * the call's row limit.
 */
class AnswerHandler implements Dispatcher.DispatchHandler {
  private controller: Dispatcher.DispatchController | null = null;
  private settled = false;
  private status = 0;
  private headers: IncomingHttpHeaders = {};
  private readonly chunks: Buffer[] = [];
  private received = 0;
  /** Set for a node list answered without gzip: gzip bytes are counted once unpacked (HttpTransport.get). */
  private rowCounter: JsonRowCounter | null = null;
  private readonly removeExpiryListener: () => void;

  constructor(
    private readonly call: HttpCall,
    private readonly source: string,
    private readonly maxBytes: number,
    private readonly resolve: (answer: RawAnswer) => void,
    private readonly reject: (error: unknown) => void,
  ) {
    this.removeExpiryListener = call.deadline.whenExpired(() => {
      const error = call.deadline.timeoutError(source);
      this.controller?.abort(error);
      this.settle(null, error);
    });
  }

  onRequestStart(controller: Dispatcher.DispatchController): void {
    this.controller = controller;
    if (this.settled) controller.abort(this.call.deadline.timeoutError(this.source));
  }

  onResponseStart(controller: Dispatcher.DispatchController, statusCode: number, headers: IncomingHttpHeaders): void {
    if (statusCode < 200) return; // 1xx: the final head follows
    this.status = statusCode;
    this.headers = headers;
    const announced = Number(headers['content-length']);
    if (announced > this.maxBytes) return this.refuse(controller, this.tooLarge(`response of ${announced} bytes announced, larger than ${formatBytes(this.maxBytes)}`));
    const encoding = headers['content-encoding'];
    const gzipped = typeof encoding === 'string' && encoding.toLowerCase() === 'gzip';
    if (this.call.rowLimit && !gzipped) this.rowCounter = new JsonRowCounter();
  }

  onResponseData(controller: Dispatcher.DispatchController, chunk: Buffer): void {
    if (this.settled) return;
    this.received += chunk.length;
    if (this.received > this.maxBytes) return this.refuse(controller, this.tooLarge(`response larger than ${formatBytes(this.maxBytes)}`));
    const rowLimit = this.call.rowLimit;
    if (this.rowCounter && rowLimit && this.rowCounter.feed(chunk) > rowLimit.max) return this.refuse(controller, tooManyRows(this.source, rowLimit));
    this.chunks.push(chunk);
  }

  private tooLarge(what: string): ScrapeError {
    return overLimit(this.source, what, 'max_response_bytes');
  }

  /** Past a limit: the request is aborted (its connection closed) and what came is dropped. */
  private refuse(controller: Dispatcher.DispatchController, error: ScrapeError): void {
    this.chunks.length = 0;
    this.settle(null, error);
    controller.abort(error);
  }

  onResponseEnd(): void {
    if (this.settled) return;
    const receivedAt = this.call.now();
    const { chunks } = this;
    const body = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
    this.settle({ status: this.status, headers: this.headers, body, receivedAt }, null);
  }

  onResponseError(_controller: Dispatcher.DispatchController, error: Error): void {
    if (this.status === 0) return this.settle(null, new BeforeAnswer(error));
    if (this.call.deadline.expired) return this.settle(null, this.call.deadline.timeoutError(this.source, error));
    this.settle(null, new ScrapeError('malformed', this.source, `the body was truncated: the connection closed mid-body (${describeCause(error)})`, { cause: error }));
  }

  private settle(answer: RawAnswer | null, error: unknown): void {
    if (this.settled) return;
    this.settled = true;
    this.removeExpiryListener?.();
    if (answer !== null) this.resolve(answer);
    else this.reject(error);
  }
}
