/**
 * The simulated fleet over real loopback HTTP and MySQL: auth as the FE does it, gzip only on
 * /metrics, faults switched at run time, the same node list over both protocols, and a
 * thousand clusters in one process.
 */
import { connect } from 'node:net';
import mysql from 'mysql2/promise';
import { Agent, request } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { startSimulatedFleet, type SimulatedFleet } from '../../src/simulator/fleet.js';

let fleet: SimulatedFleet | null = null;
afterEach(async () => {
  await fleet?.close();
  fleet = null;
});

/** A JSON body whose shape the test then asserts. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const json = (res: Response): Promise<any> => res.json();

const basic = (user: string, password: string): Record<string, string> => ({
  authorization: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`,
});

async function start(options: Parameters<typeof startSimulatedFleet>[0]): Promise<SimulatedFleet> {
  fleet = await startSimulatedFleet(options);
  return fleet;
}

function feUrl(f: SimulatedFleet, cluster: number, fe: number, path: string): string {
  const d = f.details()[cluster];
  return `http://127.0.0.1:${d?.frontends[fe]?.http_port}${path}`;
}

describe('simulated FE over HTTP', () => {
  it('asks for Basic auth on show_proc with the FE’s own 401 bodies', async () => {
    const f = await start({ clusters: 1, bes: 3, password: 's3cret' });
    const url = feUrl(f, 0, 0, '/api/show_proc?path=/backends');
    const none = await fetch(url);
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toBe('Basic realm=""');
    expect(await json(none)).toEqual({ status: 'FAILED', code: '1', msg: 'Need auth information.', message: 'Need auth information.' });
    const wrong = await fetch(url, { headers: basic('root', 'nope') });
    expect(wrong.status).toBe(401);
    expect((await json(wrong)).msg).toBe('Access denied for root@127.0.0.1');
    const viewer = await fetch(url, { headers: basic('viewer', 's3cret') });
    expect(viewer.status).toBe(401);
    expect(await json(viewer)).toEqual({ status: 'FAILED', code: '1' });
    // The user name ends at the first colon, and a user@host suffix is dropped.
    const ok = await fetch(url, { headers: basic('root@10.0.0.1', 's3cret') });
    expect(ok.status).toBe(200);
    expect(ok.headers.get('content-type')).toBe('application/json');
    expect(await json(ok)).toHaveLength(3);
    const unknown = await fetch(feUrl(f, 0, 0, '/api/show_proc?path=/nothing'), { headers: basic('root', 's3cret') });
    expect([unknown.status, unknown.headers.get('content-type'), await unknown.text()]).toEqual([200, 'text/html', '[]']);
  });

  it('prints per-table families only when asked with_table_metrics by the admin user, and answers 200 to anyone else without them', async () => {
    const f = await start({ clusters: 1, password: 's3cret' });
    const tables = async (path: string, headers: Record<string, string> = {}) => {
      const answer = await fetch(feUrl(f, 0, 0, path), { headers });
      expect(answer.status).toBe(200);
      const text = await answer.text();
      expect(text).toContain('# TYPE starrocks_fe_query_total counter');
      return text.split('\n').filter((l) => l.startsWith('starrocks_fe_table_load_rows{')).length;
    };
    expect(await tables('/metrics')).toBe(0);
    expect(await tables('/metrics', basic('root', 's3cret'))).toBe(0);
    expect(await tables('/metrics?with_table_metrics=minified')).toBe(0);
    expect(await tables('/metrics?with_table_metrics=minified', basic('viewer', 's3cret'))).toBe(0);
    expect(await tables('/metrics?with_table_metrics=minified', basic('root', 'nope'))).toBe(0);
    expect(await tables('/metrics?with_table_metrics=yes', basic('root', 's3cret'))).toBe(0);
    // Two tables in each of the first three user databases.
    expect(await tables('/metrics?with_table_metrics=all', basic('root', 's3cret'))).toBe(6);
    expect(await tables('/metrics?with_table_metrics=minified', basic('root@10.0.0.1', 's3cret'))).toBeGreaterThan(0);
    expect(f.clusters[0]!.requests()).toMatchObject({ 'fe0 /metrics': 2, 'fe0 /metrics?with_table_metrics=minified': 4, 'fe0 /metrics?with_table_metrics=all': 1 });
  });

  it('gzips /metrics only, and only when asked', async () => {
    const f = await start({ clusters: 1 });
    const gz = await fetch(feUrl(f, 0, 0, '/metrics'), { headers: { 'accept-encoding': 'gzip' } });
    expect(gz.headers.get('content-encoding')).toBe('gzip');
    expect(gz.headers.get('content-type')).toBe('text/plain');
    expect(await gz.text()).toContain('# TYPE starrocks_fe_query_total counter');
    const health = await fetch(feUrl(f, 0, 0, '/api/health'), { headers: { 'accept-encoding': 'gzip' } });
    expect(health.headers.get('content-encoding')).toBeNull();
  });

  it('serves ?type=json and ?type=core in the shapes of JsonMetricVisitor and SimpleCoreMetricVisitor', async () => {
    const f = await start({ clusters: 1 });
    const jsonBody = await (await fetch(feUrl(f, 0, 0, '/metrics?type=json'))).text();
    expect(jsonBody.startsWith('[\n') && jsonBody.endsWith('\n]')).toBe(true);
    const items = JSON.parse(jsonBody) as { tags: { metric: string }; unit: string; value: number }[];
    expect(items.find((i) => i.tags.metric === 'query_total')).toMatchObject({ unit: 'requests' });
    expect(items.every((i) => !i.tags.metric.startsWith('starrocks_fe_'))).toBe(true);
    const core = (await (await fetch(feUrl(f, 0, 0, '/metrics?type=core'))).text()).trimEnd().split('\n');
    expect(core[0]).toMatch(/^jvm_young_used_percent DOUBLE \d+\.\d$/);
    expect(core).toContainEqual(expect.stringMatching(/^starrocks_fe_qps DOUBLE \d+\.\d\d$/));
    expect(core.at(-1)).toBe('starrocks_fe_broker_dead_num 0');
  });

  it('serves the 2.4 row arrays and the Doris envelope', async () => {
    const f = await start({ clusters: 2, bes: 2, specs: [{ version: '2.4' }, { engine: 'doris' }] });
    const legacy = await json(await fetch(feUrl(f, 0, 0, '/api/show_proc?path=/backends'), { headers: basic('root', '') }));
    expect(Array.isArray(legacy[0])).toBe(true);
    expect(legacy[0]).toHaveLength(23);
    const doris = await json(await fetch(feUrl(f, 1, 0, '/api/show_proc?path=/backends'), { headers: basic('root', '') }));
    expect(doris).toMatchObject({ msg: 'success', code: 0, count: 0 });
    expect(doris.data).toHaveLength(2);
    expect(await (await fetch(feUrl(f, 1, 0, '/metrics'))).text()).toContain('doris_fe_query_total ');
  });

  it('switches faults at run time through /_sim/faults and rejects bad ones with a message', async () => {
    // The simulated instant moves only when the test says so: a restart is seen in StartTime
    // (one-second resolution) without waiting a second.
    let now = Date.UTC(2026, 10, 24, 12);
    const f = await start({ clusters: 1, fes: 3, clock: () => now });
    const bad = await fetch(feUrl(f, 0, 1, '/_sim/faults'), { method: 'POST', body: JSON.stringify({ faults: ['melt'] }) });
    expect(bad.status).toBe(400);
    expect((await json(bad)).error).toMatch(/fault "melt" is not accepted; write kind\[@target\]\[=value\] with kind one of fe_down, hang/);
    const startTime = async (): Promise<string> => {
      const rows = await json(await fetch(feUrl(f, 0, 1, '/api/show_proc?path=/frontends'), { headers: basic('root', '') }));
      return rows[0].StartTime;
    };
    const before = await startTime();
    now += 60_000;
    const set = await fetch(feUrl(f, 0, 1, '/_sim/faults'), { method: 'POST', body: JSON.stringify({ faults: 'fe_down@0' }) });
    expect(await json(set)).toEqual({ faults: ['fe_down@0'] });
    await expect(fetch(feUrl(f, 0, 0, '/metrics'))).rejects.toThrow();
    const rows = await json(await fetch(feUrl(f, 0, 1, '/api/show_proc?path=/frontends'), { headers: basic('root', '') }));
    expect(rows[0]).toMatchObject({ Alive: 'false', StartTime: 'NULL', ErrMsg: 'got exception' });
    expect(rows.find((r: { Role: string }) => r.Role === 'LEADER').Name).not.toBe(rows[0].Name);
    now += 60_000;
    await fetch(feUrl(f, 0, 1, '/_sim/faults'), { method: 'POST', body: JSON.stringify({ faults: [] }) });
    expect((await fetch(feUrl(f, 0, 0, '/api/health'))).status).toBe(200);
    const after = await startTime();
    expect(after).not.toBe(before);
    expect(after).not.toBe('NULL');
  });

  it('gives a follower’s stale view unless forward=true', async () => {
    const f = await start({ clusters: 1, bes: 2, faults: 'follower_stale' });
    const cpu = async (fe: number, forward: string): Promise<string[]> =>
      ((await json(await fetch(feUrl(f, 0, fe, `/api/show_proc?path=/backends${forward}`), { headers: basic('root', '') }))) as { CpuUsedPct: string }[]).map((r) => r.CpuUsedPct);
    expect(await cpu(1, '')).toEqual(['0.0 %', '0.0 %']);
    expect(await cpu(1, '&forward=true')).toEqual(await cpu(0, ''));
    expect((await cpu(0, '')).some((v) => v !== '0.0 %')).toBe(true);
  });

  it('answers the ground truth over HTTP, equal to the in-process one', async () => {
    let now = Date.UTC(2026, 10, 24, 12);
    const f = await start({ clusters: 1, clock: () => now });
    now += 60_000;
    const from = now - 30_000;
    const truth = await json(await fetch(feUrl(f, 0, 0, `/_sim/truth?from=${from}&to=${now}`)));
    expect(truth).toEqual(JSON.parse(JSON.stringify(f.clusters[0]?.truth(from, now))));
    expect(truth.qps).toBeGreaterThan(0);
    expect((await fetch(feUrl(f, 0, 0, '/_sim/truth?from=5&to=1'))).status).toBe(400);
  });
  it('counts the connections every FE of the fleet accepted, by the User-Agent of their first request', async () => {
    const f = await start({ clusters: 2 });
    const agent = new Agent({ connections: 1 });
    const get = async (url: string, userAgent: string): Promise<void> => {
      const res = await request(url, { dispatcher: agent, headers: { 'user-agent': userAgent } });
      await res.body.text();
    };
    // Two requests over one kept-alive connection are one connection.
    await get(feUrl(f, 0, 0, '/metrics'), 'collector-a');
    await get(feUrl(f, 0, 0, '/api/health'), 'collector-a');
    await get(feUrl(f, 1, 2, '/metrics'), 'collector-b');
    await agent.close();
    // A connection that closes before any request counts only in the total.
    const port = f.details()[1]?.frontends[1]?.http_port;
    await new Promise<void>((resolve) => connect(port ?? 0, '127.0.0.1', function (this: ReturnType<typeof connect>) {
      this.end(resolve);
    }));
    // Asked of any FE, the answer covers the whole fleet (its own connection included).
    const counts = await json(await fetch(`http://127.0.0.1:${port}/_sim/connections`, { headers: { 'user-agent': 'probe' } }));
    expect(counts).toEqual({ accepted: 4, by_client: { 'collector-a': 1, 'collector-b': 1, probe: 1 } });
  });
});

describe('simulated FE over MySQL', () => {
  it('answers SHOW BACKENDS and SHOW FRONTENDS with the columns and values of show_proc', async () => {
    const f = await start({ clusters: 1, bes: 3, password: 'pw' });
    const d = f.details()[0];
    const conn = await mysql.createConnection({ host: '127.0.0.1', port: d?.fe_query_port, user: 'root', password: 'pw' });
    try {
      const [rows, fields] = await conn.query({ sql: 'SHOW BACKENDS', rowsAsArray: true });
      const http = await json(await fetch(feUrl(f, 0, 0, '/api/show_proc?path=/backends'), { headers: basic('root', 'pw') }));
      expect(fields.map((x) => x.name)).toEqual(Object.keys(http[0]));
      expect((rows as string[][]).map((r) => r[0])).toEqual(http.map((r: { BackendId: string }) => r.BackendId));
      const [frontends] = await conn.query('SHOW FRONTENDS');
      expect(frontends).toHaveLength(3);
      const [compute] = await conn.query('SHOW COMPUTE NODES');
      expect(compute).toEqual([]);
    } finally {
      await conn.end();
    }
    await expect(mysql.createConnection({ host: '127.0.0.1', port: d?.fe_query_port, user: 'root', password: 'wrong' })).rejects.toMatchObject({ errno: 1045 });
  });
});

describe('a thousand clusters', () => {
  it('start in one process, three FEs each, and all answer', async () => {
    const f = await start({ clusters: 1000, fes: 3, bes: 10 });
    const details = f.details();
    expect(details).toHaveLength(1000);
    const ports = new Set(details.flatMap((d) => [...d.frontends.map((x) => x.http_port), d.fe_query_port]));
    expect(ports.size).toBe(4000);
    const sample = [0, 1, 499, 998, 999, ...Array.from({ length: 15 }, (_, i) => 37 + i * 61)];
    for (const c of sample) {
      for (const fe of [0, 1, 2]) {
        const res = await fetch(feUrl(f, c, fe, '/api/health'));
        expect(await json(res)).toEqual({ online_backend_num: 10, total_backend_num: 10, status: 'OK' });
      }
    }
    const conn = await mysql.createConnection({ host: '127.0.0.1', port: details[999]?.fe_query_port, user: 'root', password: '' });
    const [rows] = await conn.query('SHOW BACKENDS');
    await conn.end();
    expect(rows).toHaveLength(10);
  });
});
