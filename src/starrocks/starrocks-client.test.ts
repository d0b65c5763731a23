/**
 * What the client makes of an FE's answers, against FE-like HTTP servers on loopback: the
 * headers it sends, connection reuse, gzip, every node-list body shape, the small JSON
 * endpoints, and the answers it must refuse. Transport failures: http-failures.test.ts.
 */
import type { IncomingHttpHeaders, OutgoingHttpHeaders } from 'node:http';
import { gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { StarRocksClient, type StarRocksClientOptions, type StarRocksTarget } from './starrocks-client.js';
import { SYNC_GUNZIP_MAX_BYTES } from './http-transport.js';
import { type LoopbackServer, loopbackTarget, scrapeFailure, startHttpFe } from './testing.js';

const PROM = '# HELP starrocks_fe_query_total total queries\n# TYPE starrocks_fe_query_total counter\nstarrocks_fe_query_total 42\r\n'.repeat(200);

interface Answer {
  readonly status?: number;
  readonly body: string | Buffer;
  readonly headers?: OutgoingHttpHeaders;
}
interface Seen {
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
}

const servers: LoopbackServer[] = [];
const clients: StarRocksClient[] = [];
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

/** An FE answering each request with `respond(path, headers)`, the requests it saw, and clients of it. */
async function fe(respond: (path: string, headers: IncomingHttpHeaders) => Answer) {
  const seen: Seen[] = [];
  const server = await startHttpFe((request, response) => {
    const path = request.url ?? '/';
    seen.push({ path, headers: request.headers });
    const answer = respond(path, request.headers);
    response.writeHead(answer.status ?? 200, answer.headers ?? {});
    response.end(answer.body);
  });
  servers.push(server);
  const client = (overrides: Partial<StarRocksTarget> = {}, options: StarRocksClientOptions = {}): StarRocksClient => {
    const c = new StarRocksClient(loopbackTarget({ fe_http_port: server.port, ...overrides }), options);
    clients.push(c);
    return c;
  };
  return { server, seen, client };
}

const json = (body: unknown, status = 200): Answer => ({ status, body: JSON.stringify(body), headers: { 'content-type': 'application/json' } });

describe('metricsText', () => {
  it('asks gzipped, returns the text as sent, counts wire and body bytes, and reuses one connection', async () => {
    const { server, seen, client } = await fe((_path, headers) =>
      headers['accept-encoding']?.includes('gzip') ? { body: gzipSync(PROM), headers: { 'content-encoding': 'gzip', 'content-type': 'text/plain' } } : { body: PROM },
    );
    // One connection allowed: undici may open a second for back-to-back calls before the first is free again.
    const c = client({}, { connectionsPerOrigin: 1 });
    const first = await c.metricsText();
    const second = await c.metricsText();
    expect(seen.map((s) => [s.path, s.headers['accept-encoding']])).toEqual([['/metrics', 'gzip'], ['/metrics', 'gzip']]);
    expect(first).toMatchObject({ text: PROM, gzipped: true, bodyBytes: Buffer.byteLength(PROM) });
    expect(first.wireBytes).toBe(gzipSync(PROM).length);
    expect(first.wireBytes).toBeLessThan(first.bodyBytes);
    expect(second.text).toBe(PROM);
    expect(server.connections()).toBe(1);
    // Anonymous on a real FE and also sent to BEs: no credentials go out with it.
    expect(seen[0]?.headers.authorization).toBeUndefined();
  });

  it('asks with_table_metrics=minified with the cluster’s credentials only when told, the FE checking the user there', async () => {
    const { seen, client } = await fe(() => ({ body: PROM }));
    const c = client({ username: 'root', password: 'pw' });
    await c.metricsText(c.configuredFe, {}, { tableMetrics: true });
    await c.metricsText(c.configuredFe, {}, { tableMetrics: false });
    expect(seen.map((s) => s.path)).toEqual(['/metrics?with_table_metrics=minified', '/metrics']);
    expect(seen[0]?.headers.authorization).toBe(`Basic ${Buffer.from('root:pw').toString('base64')}`);
    expect(seen[1]?.headers.authorization).toBeUndefined();
  });

  it('keeps an idle connection for the next cycle as long as it is told, unless the FE says it closes them sooner', async () => {
    const gapMs = 2_500;
    const twoCallsApart = async (keepAliveMs: number, serverSays?: number) => {
      const server = await startHttpFe((_req, res) => res.end(PROM), serverSays === undefined ? {} : { keepAliveTimeoutMs: serverSays });
      servers.push(server);
      const c = new StarRocksClient(loopbackTarget({ fe_http_port: server.port }), { connectionsPerOrigin: 1, keepAliveMs });
      clients.push(c);
      await c.metricsText();
      await new Promise((resolve) => setTimeout(resolve, gapMs));
      await c.metricsText();
      return server.connections();
    };
    // The three run side by side: one gap of waiting for all.
    const [kept, dropped, fesWord] = await Promise.all([twoCallsApart(gapMs * 4), twoCallsApart(gapMs / 5), twoCallsApart(gapMs * 4, 1_000)]);
    expect({ kept, dropped, fesWord }).toEqual({ kept: 1, dropped: 2, fesWord: 2 });
  });

  it('takes a plain body as is, asks the FE it is given, and times the call with the injected clock', async () => {
    const { seen, client } = await fe(() => ({ body: PROM }));
    const ticks = [1000, 1250];
    const c = client({}, { now: () => ticks.shift() ?? Number.NaN });
    const answer = await c.metricsText({ host: '127.0.0.1', httpPort: c.configuredFe.httpPort });
    expect(answer).toEqual({ text: PROM, wireBytes: Buffer.byteLength(PROM), bodyBytes: Buffer.byteLength(PROM), gzipped: false, answeredAt: 1250, durationMs: 250 });
    expect(seen).toHaveLength(1);
  });

  it('times the answer on the caller’s clock when the call brings one, read once when the body is complete', async () => {
    const { client } = await fe(() => ({ body: gzipSync(PROM), headers: { 'content-encoding': 'gzip' } }));
    const ticks = [5000, 5100];
    const c = client({}, { now: () => Number.NaN });
    const answer = await c.metricsText(c.configuredFe, { now: () => ticks.shift() ?? Number.NaN });
    // Decompressing and checking the text read no clock: the answer's time is when its last byte came.
    expect([answer.answeredAt, answer.durationMs, answer.text]).toEqual([5100, 100, PROM]);
  });

  it.each([
    ['an empty 200 (an FE still starting)', '', /body is empty/],
    ['binary with NUL bytes', Buffer.from([0x1f, 0x8b, 0x08, 0x00, 0x00, 0x61, 0x20, 0x31]), /binary/],
    ['invalid UTF-8', Buffer.from([0x61, 0x20, 0x31, 0x0a, 0xc3, 0x28, 0xff]), /binary.*UTF-8/],
    ['an HTML page', '<!DOCTYPE html>\n<html><body>starrocks_fe_query_total 1</body></html>', /HTML/],
    ['JSON', '{"status":"OK"}', /no line in its first MiB looks like a sample/],
    ['a prose error page', 'Service Unavailable\nplease retry later\n', /no line in its first MiB looks like a sample/],
  ])('refuses %s as malformed', async (_what, body, message) => {
    const { client } = await fe(() => ({ body }));
    const { error } = await scrapeFailure(client().metricsText());
    expect(error.kind).toBe('malformed');
    expect(error.message).toMatch(message);
  });

  it('decodes a body of several MiB in slices, a character split across two slices included', async () => {
    // 3-byte characters on odd offsets: some straddle every MiB boundary.
    const big = Array.from({ length: 60_000 }, (_, i) => `starrocks_fe_big{n="${i}",s="x€€"} ${i}`).join('\n') + '\n';
    expect(Buffer.byteLength(big)).toBeGreaterThan(2 * 1024 * 1024);
    const { client } = await fe(() => ({ body: big }));
    expect((await client().metricsText()).text).toBe(big);
  });

  it('unpacks a gzip body larger than the at-once limit too, and a corrupt one of that size is malformed', async () => {
    // Sample lines with random values compress poorly: well over the limit once gzipped.
    const big = Array.from({ length: 6000 }, (_, i) => `starrocks_fe_big{n="${i}"} ${Math.random()}`).join('\n') + '\n';
    expect(gzipSync(big).length).toBeGreaterThan(SYNC_GUNZIP_MAX_BYTES);
    const { client } = await fe(() => ({ body: gzipSync(big), headers: { 'content-encoding': 'gzip' } }));
    expect((await client().metricsText()).text).toBe(big);
    const { client: broken } = await fe(() => ({ body: gzipSync(big).subarray(0, SYNC_GUNZIP_MAX_BYTES + 100), headers: { 'content-encoding': 'gzip' } }));
    expect((await scrapeFailure(broken().metricsText())).error.kind).toBe('malformed');
  });

  it('refuses a corrupt gzip stream as malformed', async () => {
    const corrupt = gzipSync(PROM).subarray(0, 40);
    const { client } = await fe(() => ({ body: corrupt, headers: { 'content-encoding': 'gzip' } }));
    const { error } = await scrapeFailure(client().metricsText());
    expect([error.kind, error.message]).toEqual(['malformed', expect.stringMatching(/gzip body cannot be decompressed/)]);
  });
});

describe('node lists over HTTP', () => {
  it('sends Basic credentials to show_proc (password as is after the first colon) and asks for the leader’s view', async () => {
    const { seen, client } = await fe(() => json([{ BackendId: '1', Alive: 'true' }]));
    expect(await client().backends()).toEqual({ columns: ['BackendId', 'Alive'], rows: [['1', 'true']] });
    expect(seen[0]?.path).toBe('/api/show_proc?path=/backends&forward=true');
    expect(seen[0]?.headers.authorization).toBe(`Basic ${Buffer.from('root:p:w').toString('base64')}`);
  });

  it.each([
    ['3.1+ objects keyed by title', [{ Name: 'fe1', Alive: 'true', ErrMsg: null }], { columns: ['Name', 'Alive', 'ErrMsg'], rows: [['fe1', 'true', null]] }],
    ['pre-3.1 arrays of strings', [['fe1', 'true'], ['fe2', 'false']], { columns: null, rows: [['fe1', 'true'], ['fe2', 'false']] }],
    ['Doris’ envelope', { msg: 'success', code: 0, data: [['fe1', 'true']], count: 0 }, { columns: null, rows: [['fe1', 'true']] }],
    ['an empty list', [], { columns: null, rows: [] }],
  ])('reads %s', async (_what, body, table) => {
    const { seen, client } = await fe(() => json(body));
    expect(await client().frontends()).toEqual(table);
    expect(seen[0]?.path).toBe('/api/show_proc?path=/frontends&forward=true');
  });

  it.each([
    ['not JSON (a failed forward)', { body: 'Failed to forward stmt: timeout' }, 'malformed', /the body is not JSON \(31 bytes of text\)$/],
    ['an object', json({ rows: [] }), 'malformed', /got an object/],
    ['a number cell', json([{ BackendId: 10003 }]), 'malformed', /column BackendId: expected a string, got number/],
    ['a FAILED body with status 200', json({ status: 'FAILED', code: '1', msg: 'Unknown proc node' }), 'query_failed', /Unknown proc node/],
    ['a Doris code 401', json({ msg: 'Unauthorized', code: 401, data: null, count: 0 }), 'auth', /code 401 \(Unauthorized\)/],
  ] as const)('calls %s %s', async (_what, answer, kind, message) => {
    const { client } = await fe(() => answer);
    const { error } = await scrapeFailure(client().computeNodes());
    expect([error.kind, error.message]).toEqual([kind, expect.stringMatching(message)]);
    expect(error.source).toMatch(/^GET http:\/\/127\.0\.0\.1:\d+\/api\/show_proc\?path=\/compute_nodes/);
  });

  it('never asks Doris for compute nodes: it has no such list', async () => {
    const { seen, client } = await fe(() => json([]));
    expect(await client({ engine: 'doris' }).computeNodes()).toEqual({ columns: null, rows: [] });
    expect(seen).toHaveLength(0);
  });
});

describe('runtimeInfo and health', () => {
  it('read StarRocks’ bare bodies: integer strings and a flat health map', async () => {
    const { seen, client } = await fe((path) =>
      path === '/api/health'
        ? json({ online_backend_num: 1, total_backend_num: 3, status: 'OK' })
        : json({ free_mem: '123', total_mem: '456', max_mem: '8589934592', thread_cnt: '97' }),
    );
    const c = client();
    expect(await c.runtimeInfo()).toEqual({ free_mem: 123, total_mem: 456, max_mem: 8589934592, thread_cnt: 97 });
    expect(await c.health()).toEqual({ online_backend_num: 1, total_backend_num: 3, status: 'OK' });
    expect(seen.map((s) => [s.path, s.headers.authorization])).toEqual([['/api/show_runtime_info', undefined], ['/api/health', undefined]]);
  });

  it('unwrap Doris’ envelopes', async () => {
    const { client } = await fe((path) =>
      json({ msg: 'success', code: 0, count: 0, data: path === '/api/health' ? { online_backend_num: 2, total_backend_num: 3 } : { free_mem: '10', total_mem: '20', max_mem: '30', thread_cnt: '40' } }),
    );
    const c = client({ engine: 'doris' });
    expect(await c.runtimeInfo()).toEqual({ free_mem: 10, total_mem: 20, max_mem: 30, thread_cnt: 40 });
    expect(await c.health()).toEqual({ online_backend_num: 2, total_backend_num: 3, status: 'OK' });
  });

  // Doris' RestApiStatusCode: 401 UNAUTHORIZED is the only code about the credentials; 403 is BAD_REQUEST.
  it.each([
    [401, { msg: 'Unauthorized', code: 401, data: 'Access denied for root@127.0.0.1', count: 0 }, 'auth', 'code 401 (Unauthorized): Access denied for root@127.0.0.1'],
    [403, { msg: 'Bad Request', code: 403, data: 'Invalid proc path: /x', count: 0 }, 'query_failed', 'code 403 (Bad Request): Invalid proc path: /x'],
    [1, { msg: 'Error', code: 1, data: 'database db1 not found.', count: 0 }, 'query_failed', 'code 1 (Error): database db1 not found.'],
    [500, { msg: 'Internal Error', code: 500, data: null, count: 0 }, 'query_failed', 'code 500 (Internal Error)'],
  ] as const)('read a Doris envelope with code %s as %s', async (_code, body, kind, message) => {
    const { client } = await fe(() => json(body));
    const { error } = await scrapeFailure(client({ engine: 'doris' }).runtimeInfo());
    expect([error.kind, error.message]).toEqual([kind, expect.stringContaining(`the FE reported ${message}`)]);
  });

  it.each([
    ['a missing key', { free_mem: '1', total_mem: '2', max_mem: '3' }, /"thread_cnt" is missing or not an integer/],
    ['a non-numeric value', { free_mem: '1', total_mem: '2 GB', max_mem: '3', thread_cnt: '4' }, /"total_mem" is missing or not an integer \(got a string\)/],
    ['an empty string', { free_mem: '', total_mem: '2', max_mem: '3', thread_cnt: '4' }, /"free_mem"/],
    ['null', null, /expected a JSON object, got null/],
    ['an array', [], /expected a JSON object, got an array/],
  ])('refuse runtime info with %s as malformed', async (_what, body, message) => {
    const { client } = await fe(() => json(body));
    const { error } = await scrapeFailure(client().runtimeInfo());
    expect([error.kind, error.message]).toEqual(['malformed', expect.stringMatching(message)]);
  });

  it.each([
    ['without counts', { status: 'OK' }, /"online_backend_num" is missing or not an integer/],
    ['without a status', { online_backend_num: 1, total_backend_num: 1 }, /"status" is missing/],
  ])('refuse a StarRocks health body %s as malformed', async (_what, body, message) => {
    const { client } = await fe(() => json(body));
    const { error } = await scrapeFailure(client().health());
    expect([error.kind, error.message]).toEqual(['malformed', expect.stringMatching(message)]);
  });
});

describe('HTTP statuses', () => {
  it('calls 401 auth by its status alone, never repeating the body: a server that echoes the Authorization header does not leak it', async () => {
    const { client } = await fe((_path, headers) => ({ status: 401, body: `echo: ${String(headers.authorization)}`, headers: { 'www-authenticate': 'Basic realm=""' } }));
    const { error } = await scrapeFailure(client().backends());
    expect([error.kind, error.status, error.message]).toEqual(['auth', 401, expect.stringMatching(/: HTTP 401 Unauthorized$/)]);
    expect(error.message).not.toContain('echo');
    expect(error.message).not.toContain(Buffer.from('root:p:w').toString('base64'));
  });

  it.each([
    [403, json({ msg: 'no privilege' }, 403), 'auth', 'HTTP 403 Forbidden'],
    [404, { status: 404, body: '<html><body><h1>404 Not Found</h1></body></html>' }, 'http_status', 'HTTP 404 Not Found'],
    [500, json({ status: 'FAILED', msg: 'NullPointerException' }, 500), 'http_status', 'HTTP 500 Internal Server Error'],
    [500, { status: 500, body: '' }, 'http_status', 'HTTP 500 Internal Server Error'],
  ])('calls %i %s by its status alone', async (status, answer, kind, message) => {
    const { client } = await fe(() => answer);
    const { error } = await scrapeFailure(client().health());
    expect([error.kind, error.status, error.message]).toEqual([kind, status, expect.stringMatching(new RegExp(`: ${message}$`))]);
  });
});

describe('a redirect from /api/show_proc (a Doris follower, forward=true)', () => {
  const stellarAuth = `Basic ${Buffer.from('root:p:w').toString('base64')}`;
  const redirect = (location: string | null): Answer => ({ status: 307, body: '', headers: location === null ? {} : { location } });

  it('is followed once to the registered host, with Stellar’s own Authorization and not the Location’s user info', async () => {
    const master = await fe(() => json([{ BackendId: '10001', IP: '10.0.0.1' }]));
    const follower = await fe(() => redirect(`http://intruder:secret@127.0.0.1:${master.server.port}/api/show_proc?path=/backends&forward=true`));
    const table = await follower.client().backends();
    expect(table).toEqual({ columns: ['BackendId', 'IP'], rows: [['10001', '10.0.0.1']] });
    expect(master.seen.map((s) => [s.path, s.headers.authorization])).toEqual([['/api/show_proc?path=/backends&forward=true', stellarAuth]]);
    // The registered host needs no frontends list to be trusted.
    expect(follower.seen.map((s) => s.path)).toEqual(['/api/show_proc?path=/backends&forward=true']);
  });

  it.each([
    ['a second redirect', (port: number) => `http://127.0.0.1:${port}/again`, /HTTP 307 Temporary Redirect: a redirect, not followed \(only one hop to the leader is\)/],
    ['no Location', () => null, /HTTP 307 without a usable Location: not followed/],
    ['https to http', (port: number) => `https://127.0.0.1:${port}/api/show_proc`, /HTTP 307 to https:\/\/127\.0\.0\.1:\d+: not followed, it changes the scheme/],
  ] as const)('is refused for %s', async (_what, location, message) => {
    const again = await fe(() => redirect('http://127.0.0.1:1/loop'));
    const follower = await fe(() => redirect(location(again.server.port)));
    const { error } = await scrapeFailure(follower.client().frontends());
    expect([error.kind, error.status, error.message]).toEqual(['http_status', 307, expect.stringMatching(message)]);
  });

  it('is refused to a host outside the frontends list, which is read from the registered FE without forward', async () => {
    const follower = await fe((path) =>
      path === '/api/show_proc?path=/frontends'
        ? json([{ Name: 'fe1', IP: '127.0.0.1', HttpPort: '8030', Role: 'FOLLOWER', Alive: 'true' }])
        : redirect('http://root:p%3Aw@127.0.0.5:8030/api/show_proc?path=/backends&forward=true'),
    );
    const { error } = await scrapeFailure(follower.client().backends());
    expect([error.kind, error.status]).toEqual(['http_status', 307]);
    expect(error.message).toMatch(/HTTP 307 to http:\/\/127\.0\.0\.5:8030, a host that is neither the registered FE's nor in the cluster's frontends list: not followed, the credentials are not sent there$/);
    expect(error.message).not.toContain('p%3Aw');
    expect(follower.seen.map((s) => s.path)).toEqual(['/api/show_proc?path=/backends&forward=true', '/api/show_proc?path=/frontends']);
  });
});
