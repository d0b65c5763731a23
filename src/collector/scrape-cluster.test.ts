/**
 * One collection against simulated clusters on loopback: the record of every source asked — in
 * a fixed order, with a summary or the error — and the failed sources derived from it, as the
 * snapshot row stores them. Rates against the ground truth: test/integration/.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { parseFaults } from '../simulator/faults.js';
import { startSimulatedFleet, type SimulatedFleet } from '../simulator/fleet.js';
import { StarRocksClient } from '../starrocks/starrocks-client.js';
import { loopbackTarget } from '../starrocks/testing.js';
import type { RawScrape } from './raw-scrape.js';
import { scrapeCluster, scrapeDeadlineMs } from './scrape-cluster.js';

const NOW = Date.UTC(2026, 10, 24, 12, 0, 0);
const ALL = { scrapeFollowers: true, scrapeBackends: true, runtimeInfo: true, deadlineMs: scrapeDeadlineMs(2), now: () => NOW };

let starrocks: SimulatedFleet;
let doris: SimulatedFleet;
beforeAll(async () => {
  [starrocks, doris] = await Promise.all([
    startSimulatedFleet({ clusters: 1, fes: 3, bes: 2, beMetrics: true, password: 'pw', clock: () => NOW }),
    startSimulatedFleet({ clusters: 1, fes: 1, bes: 2, engine: 'doris', beMetrics: true, password: 'pw', clock: () => NOW }),
  ]);
});
afterEach(async () => {
  await starrocks.clusters[0]?.setFaults([]);
});
afterAll(async () => {
  await Promise.all([starrocks.close(), doris.close()]);
});

async function scrape(fleet: SimulatedFleet, options = ALL): Promise<RawScrape> {
  const d = fleet.details()[0]!;
  const engine = d.engine === 'doris' ? 'doris' : 'starrocks';
  const target = loopbackTarget({ fe_host: d.fe_host, fe_http_port: d.fe_http_port, fe_query_port: d.fe_query_port, username: d.username, password: 'pw', engine });
  const client = new StarRocksClient(target);
  try {
    return await scrapeCluster(client, target, options);
  } finally {
    await client.close();
  }
}

const keys = (rows: readonly { host: string | null; httpPort: number | null; alive: boolean }[]) => rows.filter((r) => r.alive).map((r) => `${r.host}:${r.httpPort}`);

describe('scrapeCluster', () => {
  it('records every source asked, in a fixed order, each with a summary of what it returned', async () => {
    const raw = await scrape(starrocks);
    const d = starrocks.details()[0]!;
    const configured = `${d.fe_host}:${d.fe_http_port}`;
    const fes = [configured, ...keys(raw.frontends ?? []).filter((k) => k !== configured)];
    const nodes = keys([...(raw.backends ?? []), ...(raw.computeNodes ?? [])]);
    expect(fes).toHaveLength(3);
    expect(nodes).toHaveLength(2);
    expect(raw.sources.map((s) => s.source)).toEqual([
      'frontends',
      'backends',
      'compute_nodes',
      ...fes.map((k) => `metrics ${k}`),
      ...fes.map((k) => `runtime_info ${k}`),
      ...nodes.map((k) => `be_metrics ${k}`),
    ]);
    expect(raw.sources.filter((s) => !s.ok)).toEqual([]);
    expect(raw.failures).toEqual([]);
    const summaries = new Map(raw.sources.map((s) => [s.source, s.ok ? s.summary() : s.message]));
    expect(summaries.get('frontends')).toMatch(/^3 frontends, 3 alive, leader \S+, version \d/);
    expect(summaries.get('backends')).toBe('2 backends, 2 alive');
    expect(summaries.get('compute_nodes')).toBe('0 compute nodes, 0 alive');
    for (const k of fes) {
      expect(summaries.get(`metrics ${k}`)).toMatch(/^\d+ metric families, \d+ samples \(\d+ bytes\)$/);
      expect(summaries.get(`runtime_info ${k}`)).toMatch(/^JVM heap \d+ MiB used of \d+ MiB, \d+ threads$/);
    }
    for (const k of nodes) expect(summaries.get(`be_metrics ${k}`)).toMatch(/^\d+ metric families, [1-9]\d* samples/);
    for (const s of raw.sources) expect(s.durationMs).toBe(0);
    // Every answer's time is the collection clock's at the instant it arrived.
    expect([...raw.fes, ...(raw.bes ?? [])].map((s) => s.atMs)).toEqual(Array(fes.length + nodes.length).fill(NOW));
  });

  it('derives the failed sources from the record, in its order, as the snapshot row stores them', async () => {
    // FE 0's /metrics is garbage; FE 1 answers everything with HTTP 500.
    await starrocks.clusters[0]?.setFaults(parseFaults('garbage,http_500@1'));
    const raw = await scrape(starrocks, { ...ALL, scrapeBackends: false });
    const d = starrocks.details()[0]!;
    const fe1 = d.frontends[1]!;
    expect(raw.failures.map((f) => [f.source, f.kind])).toEqual([
      [`metrics ${d.fe_host}:${d.fe_http_port}`, 'malformed'],
      [`metrics ${fe1.host}:${fe1.http_port}`, 'http_status'],
      [`runtime_info ${fe1.host}:${fe1.http_port}`, 'http_status'],
    ]);
    expect(raw.failures).toEqual(raw.sources.flatMap((s) => (s.ok ? [] : [{ source: s.source, kind: s.kind, message: s.message }])));
    // The stored JSON keeps its shape: source, kind, message and nothing else; the message names the URL.
    for (const f of raw.failures) {
      expect(Object.keys(f)).toEqual(['source', 'kind', 'message']);
      expect(f.message).toContain(`${f.source.split(' ')[1]}/`);
    }
    expect(raw.fes).toHaveLength(1);
    expect(raw.runtime?.map((r) => r.key)).toHaveLength(2);
    expect(raw.bes).toBeNull();
  });

  it('asks a Doris cluster for no compute-node list: it has none, so there are none', async () => {
    const raw = await scrape(doris);
    expect(raw.sources.map((s) => s.source)).not.toContain('compute_nodes');
    expect(raw.sources.filter((s) => !s.ok)).toEqual([]);
    expect(raw.computeNodes).toEqual([]);
    expect(raw.bes).toHaveLength(2);
  });
});
