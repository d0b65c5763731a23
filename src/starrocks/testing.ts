/**
 * Test support for the client's tests (left out of the build by tsconfig.build.json): FE-like
 * servers on loopback that count their TCP connections and close without waiting for clients,
 * a target pointing at them, and a way to get the ScrapeError a call fails with.
 */
import { createServer as createHttpServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createTcpServer, type Server, type Socket } from 'node:net';
import { ScrapeError } from './errors.js';
import type { StarRocksTarget } from './starrocks-client.js';

export interface LoopbackServer {
  readonly port: number;
  /** TCP connections accepted so far. */
  readonly connections: () => number;
  /** Stops listening and destroys every open socket, so a hung exchange does not hold the test. */
  close(): Promise<void>;
}

/** An HTTP server on 127.0.0.1 answering every request with `handle`. */
export function startHttpFe(handle: (request: IncomingMessage, response: ServerResponse) => void, options: { keepAliveTimeoutMs?: number } = {}): Promise<LoopbackServer> {
  // A StarRocks FE's HTTP server (Netty, fe-core http/HttpServer.java) has no idle timeout and
  // sends no Keep-Alive hint: 0 is Node's way of saying the same.
  return serveOnLoopback(createHttpServer({ keepAliveTimeout: options.keepAliveTimeoutMs ?? 0 }, handle));
}

/** A TCP server on 127.0.0.1 handing each raw socket to `onSocket`: for answers HTTP servers will not send. */
export function startTcpFe(onSocket: (socket: Socket) => void): Promise<LoopbackServer> {
  return serveOnLoopback(createTcpServer(onSocket));
}

/** A loopback port nothing listens on (bound once, then released). */
export async function unusedPort(): Promise<number> {
  const server = await serveOnLoopback(createTcpServer());
  await server.close();
  return server.port;
}

/** A StarRocks target on 127.0.0.1 with the test's password `p:w` (a colon, as FEs allow). */
export function loopbackTarget(overrides: Partial<StarRocksTarget> = {}): StarRocksTarget {
  return {
    fe_host: '127.0.0.1',
    fe_http_port: 1,
    fe_query_port: 1,
    username: 'root',
    password: 'p:w',
    enable_ssl: false,
    connection_timeout: 2,
    engine: 'starrocks',
    node_list_source: 'http',
    ...overrides,
  };
}

/** The ScrapeError a call fails with, and how long failing took; anything else (success included) is thrown. */
export async function scrapeFailure(call: Promise<unknown>): Promise<{ error: ScrapeError; afterMs: number }> {
  const started = performance.now();
  const outcome = await call.then(
    (value: unknown) => ({ value }),
    (error: unknown) => ({ error }),
  );
  if (!('error' in outcome)) throw new Error(`expected a ScrapeError, the call succeeded with ${JSON.stringify(outcome.value)}`);
  if (!(outcome.error instanceof ScrapeError)) throw new Error('expected a ScrapeError', { cause: outcome.error });
  return { error: outcome.error, afterMs: performance.now() - started };
}

async function serveOnLoopback(server: Server): Promise<LoopbackServer> {
  const sockets = new Set<Socket>();
  let accepted = 0;
  server.on('connection', (socket: Socket) => {
    accepted += 1;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    // The client resets sockets on timeouts and aborts; that is what several tests are about.
    socket.on('error', () => undefined);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('a loopback server has no port');
  return {
    port: address.port,
    connections: () => accepted,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      }),
  };
}
