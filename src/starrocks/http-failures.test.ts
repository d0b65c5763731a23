/**
 * How HTTP calls fail, against loopback servers that misbehave the way FEs and networks do:
 * nothing listening, accepting and never answering, answering too slowly or a byte at a time,
 * cutting the body short, resetting the connection. Each must end as one typed ScrapeError
 * within the per-request timeout or the caller's deadline.
 */
import type { Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { StarRocksClient, type StarRocksClientOptions, type StarRocksTarget } from './starrocks-client.js';
import { type LoopbackServer, loopbackTarget, scrapeFailure, startHttpFe, startTcpFe, unusedPort } from './testing.js';

/** Room for timers, the event loop and a loaded CI machine; never a tighter bound. */
const SLACK_MS = 1_500;
const SAMPLE = 'starrocks_fe_query_total 1\n';

const servers: LoopbackServer[] = [];
const clients: StarRocksClient[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
  await Promise.all(clients.splice(0).map((c) => c.close()));
});

function clientOf(port: number, overrides: Partial<StarRocksTarget> = {}, options: StarRocksClientOptions = {}): StarRocksClient {
  const client = new StarRocksClient(loopbackTarget({ fe_http_port: port, connection_timeout: 1, ...overrides }), options);
  clients.push(client);
  return client;
}

async function serving<T extends LoopbackServer>(server: Promise<T>): Promise<T> {
  const started = await server;
  servers.push(started);
  return started;
}

/** Calls `onRequest` with the socket and the request's number on it, for every request head received. */
function onRequestHeads(onRequest: (socket: Socket, nth: number) => void): (socket: Socket) => void {
  return (socket) => {
    let received = '';
    let heads = 0;
    socket.on('data', (chunk: Buffer) => {
      received += chunk.toString('latin1');
      while (received.includes('\r\n\r\n')) {
        received = received.slice(received.indexOf('\r\n\r\n') + 4);
        heads += 1;
        onRequest(socket, heads);
      }
    });
  };
}

describe('HTTP failures', () => {
  it('calls a port with nothing listening refused, naming the URL', async () => {
    const port = await unusedPort();
    const { error } = await scrapeFailure(clientOf(port).health());
    expect(error.kind).toBe('refused');
    expect(error.source).toBe(`GET http://127.0.0.1:${port}/api/health`);
    expect(error.cause).toMatchObject({ code: 'ECONNREFUSED' });
  });

  it('times out on a server that accepts and never answers, within the per-request timeout', async () => {
    const server = await serving(startTcpFe(() => undefined));
    const { error, afterMs } = await scrapeFailure(clientOf(server.port).metricsText());
    expect([error.kind, error.message]).toEqual(['timeout', expect.stringContaining('no answer within the per-request timeout of 1 s')]);
    expect(afterMs).toBeGreaterThanOrEqual(900);
    expect(afterMs).toBeLessThan(1_000 + SLACK_MS);
  });

  it('times out on an answer that comes later than the timeout', async () => {
    const server = await serving(startHttpFe((_request, response) => setTimeout(() => response.end(SAMPLE), 2_500)));
    const { error, afterMs } = await scrapeFailure(clientOf(server.port).metricsText());
    expect(error.kind).toBe('timeout');
    expect(afterMs).toBeLessThan(1_000 + SLACK_MS);
  });

  it('times out on a body dribbled a byte at a time, which no idle timer of undici catches', async () => {
    const server = await serving(
      startHttpFe((_request, response) => {
        response.writeHead(200, { 'content-type': 'text/plain' });
        const drip = setInterval(() => response.write('#'), 100);
        response.on('close', () => clearInterval(drip));
      }),
    );
    const { error, afterMs } = await scrapeFailure(clientOf(server.port).metricsText());
    expect([error.kind, error.message]).toEqual(['timeout', expect.stringContaining('per-request timeout of 1 s')]);
    expect(afterMs).toBeLessThan(1_000 + SLACK_MS);
  });

  it('stops at the caller’s deadline when it comes before the timeout, and says so', async () => {
    const server = await serving(startTcpFe(() => undefined));
    const client = clientOf(server.port, { connection_timeout: 30 });
    const { error, afterMs } = await scrapeFailure(client.metricsText(undefined, { signal: AbortSignal.timeout(200) }));
    expect([error.kind, error.message]).toEqual(['timeout', expect.stringContaining('the caller’s deadline passed')]);
    expect(afterMs).toBeLessThan(200 + SLACK_MS);
    const late = await scrapeFailure(client.backends({ signal: AbortSignal.abort() }));
    expect([late.error.kind, late.error.message]).toEqual(['timeout', expect.stringContaining('deadline')]);
  });

  it('calls a body cut short of its Content-Length malformed (truncated)', async () => {
    const server = await serving(
      startTcpFe(
        onRequestHeads((socket) => {
          socket.end(`HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 1000\r\n\r\n${SAMPLE}`);
        }),
      ),
    );
    const { error } = await scrapeFailure(clientOf(server.port).metricsText());
    expect([error.kind, error.message]).toEqual(['malformed', expect.stringContaining('truncated')]);
  });

  it('calls a connection reset before any answer network, after one retry on a new connection', async () => {
    const server = await serving(startTcpFe(onRequestHeads((socket) => socket.resetAndDestroy())));
    const { error } = await scrapeFailure(clientOf(server.port).backends());
    expect([error.kind, error.message]).toEqual(['network', expect.stringContaining('the connection failed before the answer began')]);
    expect(server.connections()).toBe(2);
  });

  it('sends a GET again on a new connection when a kept-alive one breaks before the answer (an FE restart)', async () => {
    const server = await serving(
      startTcpFe(
        onRequestHeads((socket, nth) => {
          if (nth === 2) socket.resetAndDestroy();
          else socket.write(`HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: ${SAMPLE.length}\r\n\r\n${SAMPLE}`);
        }),
      ),
    );
    // One connection allowed, so the second call goes out on the kept-alive one.
    const client = clientOf(server.port, {}, { connectionsPerOrigin: 1 });
    expect((await client.metricsText()).text).toBe(SAMPLE);
    expect((await client.metricsText()).text).toBe(SAMPLE);
    expect(server.connections()).toBe(2);
  });
});
