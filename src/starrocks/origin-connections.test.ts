/**
 * How many connections a cluster's client opens to one FE: one while its requests come one at a
 * time (kept alive across them), a second only while the first is busy, never more than allowed.
 */
import type { Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { StarRocksClient } from './starrocks-client.js';
import { type LoopbackServer, loopbackTarget, startTcpFe } from './testing.js';

const BODY = 'starrocks_fe_query_total 1\n';
const answer = (socket: Socket): boolean => socket.write(`HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: ${BODY.length}\r\n\r\n${BODY}`);

let server: LoopbackServer | null = null;
let client: StarRocksClient | null = null;
afterEach(async () => {
  await client?.close();
  await server?.close();
});

/** An FE that answers each request head after `delayMs`. */
async function feAnsweringAfter(delayMs: number): Promise<LoopbackServer> {
  return startTcpFe((socket) => {
    let received = '';
    socket.on('data', (chunk: Buffer) => {
      received += chunk.toString('latin1');
      while (received.includes('\r\n\r\n')) {
        received = received.slice(received.indexOf('\r\n\r\n') + 4);
        setTimeout(() => answer(socket), delayMs);
      }
    });
  });
}

describe('connections per FE', () => {
  it('keeps one connection for requests made one after another', async () => {
    server = await feAnsweringAfter(0);
    client = new StarRocksClient(loopbackTarget({ fe_http_port: server.port }), { connectionsPerOrigin: 2 });
    for (let i = 0; i < 4; i++) expect((await client.metricsText()).text).toBe(BODY);
    expect(server.connections()).toBe(1);
  });

  it('opens another only while every one is busy, up to the limit, and all requests are answered', async () => {
    server = await feAnsweringAfter(200);
    client = new StarRocksClient(loopbackTarget({ fe_http_port: server.port }), { connectionsPerOrigin: 2 });
    const answers = await Promise.all([client.metricsText(), client.metricsText(), client.metricsText(), client.metricsText()]);
    expect(answers.map((a) => a.text)).toEqual([BODY, BODY, BODY, BODY]);
    expect(server.connections()).toBe(2);
    // Both stay open for the next round: no new connection.
    await Promise.all([client.metricsText(), client.metricsText()]);
    expect(server.connections()).toBe(2);
  });
});
