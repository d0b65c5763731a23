/**
 * Every fault of the simulator, observed through the StarRocks client the collector uses: each
 * gives the right typed error within its timeout, or the quirky-but-valid answer a real FE
 * would give. Real loopback HTTP and MySQL, no mocks.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ScrapeError, type ScrapeErrorKind } from '../../src/starrocks/errors.js';
import { StarRocksClient, type StarRocksTarget } from '../../src/starrocks/starrocks-client.js';
import { startSimulatedFleet, type SimulatedFleet } from '../../src/simulator/fleet.js';
import { parseFaults } from '../../src/simulator/faults.js';

let fleet: SimulatedFleet;
/** When set, the simulated clusters' clock stands still at this instant. */
let frozenAt: number | null = null;
const clients: StarRocksClient[] = [];

beforeAll(async () => {
  fleet = await startSimulatedFleet({ clusters: 2, fes: 3, bes: 3, password: 'pw', clock: () => frozenAt ?? Date.now() });
});
afterAll(async () => {
  await Promise.all(clients.map((c) => c.close()));
  await fleet.close();
});
beforeEach(async () => {
  await fleet.clusters[0]?.setFaults([]);
});

const cluster = () => fleet.clusters[0]!;
const setFaults = (spec: string) => cluster().setFaults(parseFaults(spec));

function client(overrides: Partial<StarRocksTarget> = {}, fe = 0): StarRocksClient {
  const d = fleet.details()[0]!;
  const c = new StarRocksClient({
    fe_host: d.fe_host,
    fe_http_port: d.frontends[fe]!.http_port,
    fe_query_port: d.fe_query_port,
    username: 'root',
    password: 'pw',
    enable_ssl: false,
    connection_timeout: 1,
    engine: 'starrocks',
    node_list_source: 'http',
    ...overrides,
  });
  clients.push(c);
  return c;
}

/** The call fails with a ScrapeError of `kind`, within `withinMs`. */
async function expectScrapeError(call: Promise<unknown>, kind: ScrapeErrorKind, withinMs = 5_000): Promise<ScrapeError> {
  const started = performance.now();
  const error = await call.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error, `expected a ${kind} error`).toBeInstanceOf(ScrapeError);
  expect((error as ScrapeError).kind).toBe(kind);
  expect(performance.now() - started).toBeLessThan(withinMs);
  return error as ScrapeError;
}

const queryTotal = (text: string): number => Number(/^starrocks_fe_query_total (\d+)$/m.exec(text)?.[1]);

describe('faults seen through StarRocksClient', () => {
  it('fe_down: connection refused, over HTTP and MySQL', async () => {
    await setFaults('fe_down@0');
    await expectScrapeError(client().metricsText(), 'refused');
    await expectScrapeError(client({ node_list_source: 'mysql' }).backends(), 'refused');
  });

  it('hang: a timeout after connection_timeout (1 s), over HTTP and MySQL', async () => {
    await setFaults('hang@0');
    const e = await expectScrapeError(client().metricsText(), 'timeout', 3_000);
    expect(e.message).toMatch(/1 s/);
    await expectScrapeError(client({ node_list_source: 'mysql' }).backends(), 'timeout', 3_000);
  });

  it('slow: a timeout when slower than connection_timeout, an answer when not', async () => {
    await setFaults('slow@0=2500');
    await expectScrapeError(client().health(), 'timeout', 3_000);
    await setFaults('slow@0=300');
    expect((await client().health()).total_backend_num).toBe(3);
  });

  it('the caller’s deadline cuts a call short of its own timeout', async () => {
    await setFaults('hang@0');
    const e = await expectScrapeError(client({ connection_timeout: 30 }).metricsText(undefined, { signal: AbortSignal.timeout(200) }), 'timeout', 2_000);
    expect(e.message).toMatch(/deadline/);
  });

  it('http_500: an http_status error carrying the status', async () => {
    await setFaults('http_500@0');
    const e = await expectScrapeError(client().metricsText(), 'http_status');
    expect(e.status).toBe(500);
  });

  it('wrong_password: auth errors on show_proc and MySQL, while anonymous /metrics still answers', async () => {
    await setFaults('wrong_password');
    const e = await expectScrapeError(client().backends(), 'auth');
    // The status only: an HTTP error body is never repeated (a server may echo the credentials into it).
    expect(e.message).toMatch(/: HTTP 401 Unauthorized$/);
    expect(e.message).not.toContain('pw');
    await expectScrapeError(client({ node_list_source: 'mysql' }).frontends(), 'auth');
    expect(queryTotal((await client().metricsText()).text)).toBeGreaterThan(0);
  });

  it('truncated, garbage and empty bodies: malformed', async () => {
    await setFaults('truncated@0');
    await expectScrapeError(client().metricsText(), 'malformed');
    await expectScrapeError(client().backends(), 'malformed');
    await setFaults('garbage@0');
    await expectScrapeError(client().metricsText(), 'malformed');
    await setFaults('empty@0');
    const e = await expectScrapeError(client().metricsText(), 'malformed');
    expect(e.message).toMatch(/empty/);
  });

  it('crlf, duplicates and split families: valid text, passed through as the FE sent it', async () => {
    await setFaults('crlf@0,duplicates@0,split_families@0');
    const { text } = await client().metricsText();
    expect(text).toContain('\r\n');
    const lines = text.split('\r\n');
    const first = lines.find((l) => l.startsWith('starrocks_fe_query_total '));
    expect(lines.filter((l) => l === first)).toHaveLength(2);
  });

  it('fe_restart: the counters start again from zero', async () => {
    const before = queryTotal((await client().metricsText()).text);
    await setFaults('fe_restart@0');
    expect(queryTotal((await client().metricsText()).text)).toBeLessThan(before);
  });

  it('failover and be_dead: the node lists show the new leader and the dead BE', async () => {
    await setFaults('failover=2,be_dead@1');
    const frontends = await client().frontends();
    const role = frontends.columns?.indexOf('Role') ?? -1;
    expect(frontends.rows.map((r) => r[role])).toEqual(['FOLLOWER', 'FOLLOWER', 'LEADER']);
    const backends = await client({ node_list_source: 'mysql' }).backends();
    const alive = backends.columns?.indexOf('Alive') ?? -1;
    const err = backends.columns?.indexOf('ErrMsg') ?? -1;
    expect(backends.rows.map((r) => r[alive])).toEqual(['true', 'false', 'true']);
    expect(backends.rows[1]?.[err]).toMatch(/Connection refused/);
    await cluster().setFaults(parseFaults('failover=0'));
  });

  it('follower_stale: the client asks for the leader’s view even when it talks to a follower', async () => {
    await setFaults('follower_stale');
    // Both answers describe one instant, so CPU figures that move with time compare equal.
    frozenAt = Date.now();
    const [viaFollower, viaLeader] = await Promise.all([client({}, 1).backends(), client({}, 0).backends()]).finally(() => (frozenAt = null));
    const cpu = viaLeader.columns?.indexOf('CpuUsedPct') ?? -1;
    expect(viaFollower.rows.map((r) => r[cpu])).toEqual(viaLeader.rows.map((r) => r[cpu]));
  });

  it('a broken cluster does not disturb another one', async () => {
    await setFaults('hang@all');
    const d = fleet.details()[1]!;
    const healthy = client({ fe_http_port: d.fe_http_port, fe_query_port: d.fe_query_port });
    expect((await healthy.runtimeInfo()).max_mem).toBeGreaterThan(0);
    expect((await healthy.backends()).rows).toHaveLength(3);
  });
});
