/**
 * The simulator at fleet scale: how fast 1,000 clusters × 3 FEs (+ a MySQL listener each)
 * start, against the floor of binding the same 4,000 sockets with bare servers; and how many
 * `/metrics` scrapes per second the fleet serves, against a bare server sending a fixed body
 * of the same size.
 */
import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { createServer as createNetServer, type Server } from 'node:net';
import { Agent, request } from 'undici';
import { startSimulatedFleet } from '../src/simulator/fleet.js';
import { measure, type Measurement, report } from './harness.js';

const CLUSTERS = 1000;
const FES = 3;

function listen(server: Server | HttpServer): Promise<number> {
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      resolve(typeof address === 'object' && address !== null ? address.port : 0);
    });
  });
}

const close = (server: Server | HttpServer): Promise<void> => new Promise((resolve) => server.close(() => resolve()));

async function startupRates(): Promise<[Measurement, Measurement]> {
  const runs = 3;
  let bare = 0;
  let fleet = 0;
  for (let run = 0; run < runs; run += 1) {
    let t = performance.now();
    const servers = Array.from({ length: CLUSTERS * (FES + 1) }, () => createNetServer());
    await Promise.all(servers.map(listen));
    bare += performance.now() - t;
    await Promise.all(servers.map(close));

    t = performance.now();
    const f = await startSimulatedFleet({ clusters: CLUSTERS, fes: FES, bes: 10 });
    fleet += performance.now() - t;
    await f.close();
  }
  // Expressed as clusters started per second: a bare "cluster" is its four sockets.
  return [
    { name: `bind ${FES + 1} bare sockets per cluster`, opsPerSecond: (CLUSTERS * runs * 1000) / bare },
    { name: `start a simulated cluster (${FES} FEs, 10 BEs)`, opsPerSecond: (CLUSTERS * runs * 1000) / fleet },
  ];
}

async function scrapeRates(): Promise<[Measurement, Measurement]> {
  const f = await startSimulatedFleet({ clusters: CLUSTERS, fes: FES, bes: 10 });
  const urls = f.details().flatMap((d) => d.frontends.map((fe) => `http://${fe.host}:${fe.http_port}/metrics`));
  const sampleBody = await (await fetch(urls[0] ?? '')).text();
  const bareServer = createHttpServer((_req, res) => {
    res.writeHead(200, { 'Content-Type': 'text/plain', 'Content-Length': Buffer.byteLength(sampleBody) });
    res.end(sampleBody);
  });
  const barePort = await listen(bareServer);
  const agent = new Agent({ connections: 1 });
  const get = async (url: string): Promise<void> => {
    const res = await request(url, { dispatcher: agent });
    await res.body.text();
  };
  // A few FEs in turn, so every request rides a kept-alive connection like the baseline's.
  const warm = urls.slice(0, 30);
  let i = 0;
  const bare = await measure(`bare server, fixed ${sampleBody.length}-byte body`, () => get(`http://127.0.0.1:${barePort}/metrics`));
  const fleet = await measure('simulated FE /metrics (rendered per request)', () => get(warm[i++ % warm.length] ?? ''));
  await agent.close();
  await close(bareServer);
  await f.close();
  return [bare, fleet];
}

export async function simulatorBench(): Promise<string> {
  const [bareStart, fleetStart] = await startupRates();
  const [bareScrape, fleetScrape] = await scrapeRates();
  return [
    report(`Simulator start-up, ${CLUSTERS} clusters (ops = clusters/s)`, bareStart, [fleetStart]),
    report('Simulator /metrics scrapes, one at a time (ops = scrapes/s)', bareScrape, [fleetScrape]),
  ].join('\n\n');
}
