/**
 * A hostile (or badly broken) FE over real HTTP on loopback: it answers the node lists as a
 * StarRocks 3.x FE does (objects keyed by title), and `/metrics` with the bad body of the test's
 * choice — huge, a gzip bomb, endless, one endless line, too many series, a list of thousands
 * of frontends, control characters, an error page echoing the request — and, when asked, a node
 * list the same way (an endless backends list, a gzip bomb). It counts the requests it saw, so a
 * test can tell what Stellar asked for.
 */
import { gzipSync } from 'node:zlib';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { type LoopbackServer, startHttpFe } from '../../src/starrocks/testing.js';

/** A `/metrics` (or node list) answer: a fixed body (gzipped when asked), or one written by `stream` until the client hangs up. */
export type HostileMetrics =
  | { readonly body: string | Buffer; readonly gzip?: boolean; readonly status?: number; readonly contentLength?: number }
  | { readonly stream: (response: ServerResponse) => void };

export interface HostileFe {
  readonly port: number;
  /** Requests seen, by path without the query (`/metrics`, `/api/show_proc`). */
  readonly requests: (path: string) => number;
  close(): Promise<void>;
}

/** A few ordinary samples: what a body needs to be Prometheus text at all. */
export const GOOD_LINES = '# TYPE starrocks_fe_query_total counter\nstarrocks_fe_query_total 100\n# TYPE starrocks_fe_qps gauge\nstarrocks_fe_qps 2.5\n';

export async function startHostileFe(options: {
  /** What `/metrics` answers; gets the request, for an echo. */
  readonly metrics: (request: IncomingMessage) => HostileMetrics;
  /** Alive frontends the list names besides this one, all at this FE's own address (each scrape of one lands here). */
  readonly extraFrontends?: number;
  /** What a node list (`/backends`, `/compute_nodes`) answers instead of an empty list; undefined: the empty list. */
  readonly nodeList?: (list: string) => HostileMetrics | undefined;
}): Promise<HostileFe> {
  const seen = new Map<string, number>();
  let port = 0;
  const server: LoopbackServer = await startHttpFe((request, response) => {
    const path = (request.url ?? '/').split('?')[0]!;
    seen.set(path, (seen.get(path) ?? 0) + 1);
    if (path === '/api/show_proc') {
      const list = new URLSearchParams((request.url ?? '').split('?')[1] ?? '').get('path') ?? '';
      const hostile = options.nodeList?.(list);
      if (hostile) return serve(hostile, response, 'application/json');
      return answerProc(list, response, port, options.extraFrontends ?? 0);
    }
    if (path !== '/metrics') {
      response.writeHead(404).end();
      return;
    }
    serve(options.metrics(request), response, 'text/plain; version=0.0.4');
  });
  port = server.port;
  return { port, requests: (path) => seen.get(path) ?? 0, close: () => server.close() };
}

function serve(answer: HostileMetrics, response: ServerResponse, contentType: string): void {
  if ('stream' in answer) return answer.stream(response);
  const body = answer.gzip ? gzipSync(answer.body) : Buffer.from(answer.body);
  const headers: Record<string, string | number> = { 'content-type': contentType, 'content-length': answer.contentLength ?? body.length };
  if (answer.gzip) headers['content-encoding'] = 'gzip';
  response.writeHead(answer.status ?? 200, headers);
  // A Content-Length larger than the body: the server closes before sending the rest.
  if (answer.contentLength !== undefined && answer.contentLength > body.length) response.write(body, () => response.socket?.destroy());
  else response.end(body);
}

function answerProc(list: string, response: ServerResponse, port: number, extraFrontends: number): void {
  const frontend = (name: string, role: string) => ({ Name: name, IP: '127.0.0.1', EditLogPort: '9010', HttpPort: String(port), QueryPort: '9030', RpcPort: '9020', Role: role, Alive: 'true', Version: '3.3.0' });
  const rows =
    list === '/frontends'
      ? [frontend('fe-0', 'LEADER'), ...Array.from({ length: extraFrontends }, (_, i) => frontend(`fe-${i + 1}`, 'FOLLOWER'))]
      : [];
  response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(rows));
}

/** A backends row as a StarRocks 3.x FE sends it over HTTP. */
export const BACKEND_ROW = JSON.stringify({ BackendId: '10001', IP: '127.0.0.1', HeartbeatPort: '9050', BePort: '9060', HttpPort: '8040', Alive: 'true', ErrMsg: '[none]' });

/** A JSON list of `rows` rows: `count` of them, or rows without end until the client hangs up. */
export function jsonList(row: string, count: number | 'endless'): HostileMetrics {
  if (count !== 'endless') return { body: `[${Array.from({ length: count }, () => row).join(',')}]` };
  const piece = Buffer.from(`${row},`.repeat(Math.max(1, Math.ceil(65_536 / row.length))));
  return {
    stream: (response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.write('[');
      writeUntilHangUp(response, piece);
    },
  };
}

/** Writes `chunk` again and again, as fast as the client reads, until it hangs up. */
export function endless(chunk: string, headers: Record<string, string> = {}): HostileMetrics {
  const piece = Buffer.from(chunk.repeat(Math.max(1, Math.ceil(65_536 / chunk.length))));
  return {
    stream: (response) => {
      response.writeHead(200, { 'content-type': 'text/plain; version=0.0.4', ...headers });
      writeUntilHangUp(response, piece);
    },
  };
}

function writeUntilHangUp(response: ServerResponse, piece: Buffer): void {
  const write = (): void => {
    while (!response.destroyed && response.write(piece));
    if (!response.destroyed) response.once('drain', write);
  };
  response.on('error', () => undefined);
  write();
}
