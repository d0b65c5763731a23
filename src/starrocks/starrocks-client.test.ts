/**
 * The client against small FE-like servers on loopback, for what the simulator cannot show:
 * the headers sent, connection reuse, gzip accounting, Doris envelopes and body checks.
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { ScrapeError } from './errors.js';
import { StarRocksClient, type StarRocksTarget } from './starrocks-client.js';

const PROM = '# TYPE starrocks_fe_query_total counter\nstarrocks_fe_query_total 42\n'.repeat(200);

/** The ScrapeError a call fails with (the test fails if it succeeds). */
async function failure(call: Promise<unknown>): Promise<ScrapeError> {
  const error = await call.then(() => null, (e: unknown) => e);
  expect(error).toBeInstanceOf(ScrapeError);
  return error as ScrapeError;
}

interface Seen {
  readonly headers: IncomingHttpHeaders[];
  connections: number;
}

let server: Server | null = null;
const clients: StarRocksClient[] = [];
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = null;
});

async function fe(respond: (path: string, headers: IncomingHttpHeaders) => { status?: number; body: string | Buffer; headers?: Record<string, string> }): Promise<{ client: (o?: Partial<StarRocksTarget>) => StarRocksClient; seen: Seen }> {
  const seen: Seen = { headers: [], connections: 0 };
  server = createServer((req, res) => {
    seen.headers.push(req.headers);
    const answer = respond(req.url ?? '/', req.headers);
    res.writeHead(answer.status ?? 200, answer.headers ?? {});
    res.end(answer.body);
  });
  server.on('connection', () => (seen.connections += 1));
  const port = await new Promise<number>((resolve) => server?.listen(0, '127.0.0.1', () => resolve((server?.address() as { port: number }).port)));
  const client = (overrides: Partial<StarRocksTarget> = {}): StarRocksClient => {
    const c = new StarRocksClient({
      fe_host: '127.0.0.1', fe_http_port: port, fe_query_port: 9030, username: 'root', password: 'p:w', enable_ssl: false,
      connection_timeout: 2, engine: 'starrocks', node_list_source: 'http', ...overrides,
    });
    clients.push(c);
    return c;
  };
  return { client, seen };
}

describe('StarRocksClient over HTTP', () => {
  it('asks /metrics gzipped, counts the wire bytes, and reuses one connection', async () => {
    const { client, seen } = await fe((_path, headers) =>
      headers['accept-encoding']?.includes('gzip')
        ? { body: gzipSync(PROM), headers: { 'content-encoding': 'gzip', 'content-type': 'text/plain' } }
        : { body: PROM },
    );
    const c = client();
    const first = await c.metricsText();
    const second = await c.metricsText();
    expect(first.text).toBe(PROM);
    expect(first.gzipped).toBe(true);
    expect(first.bodyBytes).toBe(Buffer.byteLength(PROM));
    expect(first.wireBytes).toBeLessThan(first.bodyBytes / 10);
    expect(second.text).toBe(PROM);
    expect(seen.connections).toBe(1);
    // /metrics is anonymous on a real FE: no credentials go out with it.
    expect(seen.headers[0]?.authorization).toBeUndefined();
  });

  it('sends Basic credentials to show_proc, with the password as is after the first colon', async () => {
    const { client, seen } = await fe(() => ({ body: '[{"BackendId":"1","Alive":"true"}]', headers: { 'content-type': 'application/json' } }));
    const table = await client().backends();
    expect(table).toEqual({ columns: ['BackendId', 'Alive'], rows: [['1', 'true']] });
    expect(seen.headers[0]?.authorization).toBe(`Basic ${Buffer.from('root:p:w').toString('base64')}`);
  });

  it('unwraps Doris envelopes for runtime info and health, and never asks Doris for compute nodes', async () => {
    const { client, seen } = await fe((path) => ({
      body: path.startsWith('/api/health')
        ? JSON.stringify({ msg: 'success', code: 0, data: { online_backend_num: 2, total_backend_num: 3 }, count: 0 })
        : JSON.stringify({ msg: 'success', code: 0, data: { free_mem: '10', total_mem: '20', max_mem: '30', thread_cnt: '40' }, count: 0 }),
    }));
    const c = client({ engine: 'doris' });
    expect(await c.runtimeInfo()).toEqual({ free_mem: 10, total_mem: 20, max_mem: 30, thread_cnt: 40 });
    expect(await c.health()).toEqual({ online_backend_num: 2, total_backend_num: 3, status: 'OK' });
    expect(await c.computeNodes()).toEqual({ columns: null, rows: [] });
    expect(seen.headers).toHaveLength(2);
  });

  it.each([
    ['an HTML page', '<html><body>Welcome</body></html>', /not Prometheus text/],
    ['a JSON body', '{"status":"OK"}', /not Prometheus text/],
    ['invalid UTF-8', Buffer.from([0xc3, 0x28, 0xff]), /not UTF-8/],
  ])('calls %s from /metrics malformed', async (_what, body, message) => {
    const { client } = await fe(() => ({ body }));
    const error = await failure(client().metricsText());
    expect(error.kind).toBe('malformed');
    expect(error.message).toMatch(message);
  });

  it('reports 403 as auth and 404 as http_status with the FE’s own words', async () => {
    const { client } = await fe((path) =>
      path.startsWith('/api/health') ? { status: 404, body: '<html><body><h1>404 Not Found</h1></body></html>' } : { status: 403, body: '{"msg":"no privilege"}' },
    );
    const health = await failure(client().health());
    expect([health.kind, health.status, health.message]).toEqual(['http_status', 404, expect.stringContaining('HTTP 404: 404 Not Found')]);
    const runtime = await failure(client().runtimeInfo());
    expect([runtime.kind, runtime.message]).toEqual(['auth', expect.stringContaining('HTTP 403: no privilege')]);
  });

  it('calls an unreachable port refused, fast', async () => {
    const { client } = await fe(() => ({ body: '' }));
    const port = (server?.address() as { port: number }).port;
    await new Promise<void>((resolve) => server?.close(() => resolve()));
    server = null;
    const error = await failure(client({ fe_http_port: port }).health());
    expect(error.kind).toBe('refused');
    expect(error.message).toContain(`GET http://127.0.0.1:${port}/api/health`);
  });
});
