/**
 * HTTP to one cluster's FEs (and BEs) through undici: one keep-alive Agent per cluster (a few
 * connections per origin, reused across cycles, so a scrape costs no TCP or TLS handshake),
 * Basic auth when asked, gzip when asked, and every failure turned into a ScrapeError.
 */
import { promisify } from 'node:util';
import { gunzip, gunzipSync } from 'node:zlib';
import { Agent, request } from 'undici';
import type { CallDeadline } from './call-deadline.js';
import { describeCause, ScrapeError, transportErrorKind } from './errors.js';

const gunzipAsync = promisify(gunzip);

/**
 * Bodies up to this size (compressed) are unpacked at once: for a few KB, the thread-pool round
 * trip of async zlib costs several times the work itself (about 220 µs against 35 µs for a
 * 3 KB FE body), and at fleet scale that is most of a scrape's CPU. Larger ones go to the pool
 * so a big body never holds the event loop.
 */
export const SYNC_GUNZIP_MAX_BYTES = 64 * 1024;

export interface HttpAnswer {
  readonly status: number;
  readonly body: Buffer;
  /** Bytes that crossed the network (compressed when gzipped). */
  readonly wireBytes: number;
  readonly gzipped: boolean;
  readonly contentType: string | null;
  /** When the body's last byte arrived (on `HttpCall.now`), before it was decompressed or read. */
  readonly receivedAt: number;
}

export interface HttpCall {
  readonly url: string;
  readonly authorization: string | null;
  readonly acceptGzip: boolean;
  readonly deadline: CallDeadline;
  /** The caller's clock, read once: when the answer is complete. */
  readonly now: () => number;
}

export class HttpTransport {
  private readonly agent: Agent;

  constructor(timeoutMs: number, connectionsPerOrigin: number, keepAliveMs: number) {
    this.agent = new Agent({
      connections: connectionsPerOrigin,
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
    const source = `GET ${call.url}`;
    const headers: Record<string, string> = { 'user-agent': 'stellar' };
    if (call.authorization !== null) headers.authorization = call.authorization;
    if (call.acceptGzip) headers['accept-encoding'] = 'gzip';
    let response: Awaited<ReturnType<typeof request>>;
    try {
      response = await this.send(call, headers);
    } catch (error) {
      throw this.failure(source, call.deadline, error, 'before the answer began');
    }
    let raw: Buffer;
    try {
      raw = Buffer.from(await response.body.arrayBuffer());
    } catch (error) {
      if (call.deadline.expired) throw call.deadline.timeoutError(source, error);
      throw new ScrapeError('malformed', source, `the body was truncated: the connection closed mid-body (${describeCause(error)})`, { cause: error });
    }
    const receivedAt = call.now();
    const gzipped = String(response.headers['content-encoding'] ?? '').toLowerCase() === 'gzip';
    let body = raw;
    if (gzipped) {
      try {
        body = raw.length <= SYNC_GUNZIP_MAX_BYTES ? gunzipSync(raw) : await gunzipAsync(raw);
      } catch (error) {
        throw new ScrapeError('malformed', source, `the gzip body cannot be decompressed (${describeCause(error)})`, { cause: error });
      }
    }
    const contentType = response.headers['content-type'];
    return {
      status: response.statusCode,
      body,
      wireBytes: raw.length,
      gzipped,
      contentType: typeof contentType === 'string' ? contentType : null,
      receivedAt,
    };
  }

  close(): Promise<void> {
    return this.agent.close();
  }

  /**
   * A kept-alive connection the FE has since closed (a restart, an idle timeout) fails before
   * any answer; a GET is safe to send again, once, on a new connection — which then tells the
   * real story (refused, or an answer).
   */
  private async send(call: HttpCall, headers: Record<string, string>): Promise<Awaited<ReturnType<typeof request>>> {
    const options = { dispatcher: this.agent, method: 'GET' as const, headers, signal: call.deadline.signal };
    try {
      return await request(call.url, options);
    } catch (error) {
      if (call.deadline.expired || transportErrorKind(error) !== 'network') throw error;
      return request(call.url, options);
    }
  }

  private failure(source: string, deadline: CallDeadline, error: unknown, when: string): ScrapeError {
    if (deadline.expired) return deadline.timeoutError(source, error);
    const kind = transportErrorKind(error);
    if (kind === 'timeout') return deadline.timeoutError(source, error);
    return new ScrapeError(kind, source, `${kind === 'refused' ? 'connection refused or host unreachable' : `the connection failed ${when}`} (${describeCause(error)})`, {
      cause: error,
    });
  }
}
