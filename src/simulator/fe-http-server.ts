/**
 * One simulated FE's HTTP port: `/metrics`, `/api/show_proc`, `/api/show_runtime_info`,
 * `/api/health`, `/api/bootstrap`, the simulator's own `/_sim/*` routes, and the faults that
 * bend them. Plain `node:http`, because the point is to control every byte on the wire.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { gzipSync } from 'node:zlib';
import type { ClusterModel } from './cluster-model.js';
import type { ConnectionCounts } from './connection-counts.js';
import type { FeFaultView } from './faults.js';
import type { RequestLog } from './request-log.js';
import {
  type Answer, bootstrapBody, dorisFailure, dorisRedirect, healthBody, INTERNAL_ERROR, json, NOT_FOUND, procBody, runtimeInfoBody, unauthorized, UNKNOWN_PROC_PATH,
} from './fe-endpoints.js';
import { renderFeMetrics } from './render-fe-metrics.js';
import { renderFeMetricsCore, renderFeMetricsJson } from './render-fe-metrics-alt.js';
import { backendsTable, computeNodesTable, frontendsTable, type NodeTable, type ViewOptions } from './render-node-lists.js';

export interface FeServerContext {
  readonly model: ClusterModel;
  readonly fe: number;
  readonly clock: () => number;
  faults(): FeFaultView;
  followerStale(): boolean;
  /** Where accepted connections are counted (the fleet's, shared by every FE). */
  readonly connections: ConnectionCounts;
  /** Where the requests answered are counted (the cluster's). */
  readonly requests: RequestLog;
  /** `/_sim/*` routes, answered by the cluster; they ignore every fault but `fe_down`. */
  control(method: string, url: URL, body: string): Promise<Answer>;
}

export interface FeServer {
  readonly port: number;
  stopListening(): Promise<void>;
  listenAgain(): Promise<void>;
  close(): Promise<void>;
}

/** Users the simulated FE knows besides the configured admin: a non-admin gets the older 401. */
const NON_ADMIN_USER = 'viewer';
/** Where a `redirect_elsewhere` fault points a Doris follower: no FE of any simulated cluster listens there. */
export const FOREIGN_REDIRECT_HOST = '127.0.0.99';

export async function startFeServer(ctx: FeServerContext, host: string, port: number): Promise<FeServer> {
  const sockets = new Set<Socket>();
  const named = new WeakSet<Socket>();
  // Like a StarRocks FE (Netty, fe-core http/HttpServer.java: no idle handler), idle
  // keep-alive connections stay open and no Keep-Alive timeout is announced.
  const server = createServer({ keepAliveTimeout: 0 }, (req, res) => {
    if (!named.has(req.socket)) {
      named.add(req.socket);
      ctx.connections.firstRequest(req.headers['user-agent']);
    }
    handle(ctx, req, res).catch(() => {
      if (!res.headersSent) send(res, req, INTERNAL_ERROR, false);
    });
  });
  server.on('connection', (socket) => {
    ctx.connections.accept();
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  const listen = (p: number): Promise<number> =>
    new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(p, host, () => {
        server.off('error', reject);
        const address = server.address();
        resolve(typeof address === 'object' && address !== null ? address.port : p);
      });
    });
  const bound = await listen(port);
  const stop = (): Promise<void> =>
    new Promise((resolve) => {
      if (!server.listening) return resolve();
      server.close(() => resolve());
      for (const socket of sockets) socket.destroy();
    });
  return {
    port: bound,
    stopListening: stop,
    listenAgain: async () => {
      if (!server.listening) await listen(bound);
    },
    close: stop,
  };
}

async function handle(ctx: FeServerContext, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://fe');
  if (url.pathname.startsWith('/_sim/')) {
    send(res, req, await ctx.control(req.method ?? 'GET', url, await readBody(req)), false);
    return;
  }
  ctx.requests.record(`fe${ctx.fe}`, url);
  const faults = ctx.faults();
  if (faults.hang) return; // the socket stays open and silent until the server closes it
  if (faults.slowMs > 0) await new Promise((resolve) => setTimeout(resolve, faults.slowMs));
  if (faults.http500) return send(res, req, INTERNAL_ERROR, false);

  const now = ctx.clock();
  if (url.pathname === '/metrics') return sendMetrics(ctx, req, res, url, faults, now);
  const answer = routeApi(ctx, req, url, now, faults);
  if (faults.truncated) return sendTruncated(res, answer);
  send(res, req, answer, false);
}

function routeApi(ctx: FeServerContext, req: IncomingMessage, url: URL, now: number, faults: FeFaultView): Answer {
  const { model, fe } = ctx;
  switch (url.pathname) {
    case '/api/health':
      return json(healthBody(model, now));
    case '/api/show_runtime_info':
      return json(runtimeInfoBody(model, fe, now));
    case '/api/bootstrap':
      return json(bootstrapBody(model, fe, now, url.searchParams.get('token')));
    case '/api/show_proc':
      return showProc(ctx, req, url, now, faults);
    default:
      return NOT_FOUND;
  }
}

function showProc(ctx: FeServerContext, req: IncomingMessage, url: URL, now: number, faults: FeFaultView): Answer {
  const doris = ctx.model.engine === 'doris';
  const denied = adminDenial(ctx.model, req);
  if (denied) return doris ? dorisFailure(401, denied.message ?? 'Unauthorized') : unauthorized(denied.message);
  const leader = ctx.model.fes[ctx.model.leaderAt(now)];
  if (ctx.model.engine === 'doris' && url.searchParams.get('forward') === 'true' && leader !== undefined && leader.index !== ctx.fe) {
    const to = faults.redirectElsewhere === null
      ? { host: leader.host, port: leader.httpPort }
      : { host: FOREIGN_REDIRECT_HOST, port: faults.redirectElsewhere || leader.httpPort };
    return dorisRedirect(to, basicCredentials(req), url.pathname, url.search.slice(1));
  }
  const view: ViewOptions = {
    answeringFe: ctx.fe,
    staleFollowerView: ctx.followerStale() && url.searchParams.get('forward') !== 'true',
  };
  const path = (url.searchParams.get('path') ?? '/').replace(/\/+$/, '');
  const lists: Record<string, (() => NodeTable) | undefined> = {
    '/backends': () => backendsTable(ctx.model, now, view),
    '/frontends': () => frontendsTable(ctx.model, now, view),
    '/compute_nodes': ctx.model.engine === 'doris' ? undefined : () => computeNodesTable(ctx.model, now, view),
  };
  const list = lists[path];
  if (!list) return doris ? dorisFailure(403, `Invalid proc path: ${path}`) : UNKNOWN_PROC_PATH;
  const table = list();
  const shown = faults.unknownLayout ? { columns: [...table.columns, 'Extra'], rows: table.rows.map((row) => [...row, 'x']) } : table;
  return json(procBody(ctx.model, shown));
}

/** Basic auth as `BaseAction` parses it: user before the first colon, `user@host` suffix dropped. */
function basicCredentials(req: IncomingMessage): { user: string; password: string } | null {
  const header = req.headers.authorization;
  if (header === undefined) return null;
  const [scheme, encoded = ''] = header.split(' ');
  if (scheme?.toLowerCase() !== 'basic') return null;
  const decoded = Buffer.from(encoded, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  const user = (colon < 0 ? decoded : decoded.slice(0, colon)).split('@')[0] ?? '';
  return { user, password: colon < 0 ? '' : decoded.slice(colon + 1) };
}

/** Why the caller may not read node lists (the FE's words; null: the older answer without any), or null when it may. */
function adminDenial(model: ClusterModel, req: IncomingMessage): { readonly message: string | null } | null {
  const credentials = basicCredentials(req);
  if (credentials === null) return { message: 'Need auth information.' };
  const { user, password } = credentials;
  const ip = (req.socket.remoteAddress ?? '').replace(/^::ffff:/, '');
  const known = user === model.username || user === NON_ADMIN_USER;
  if (!known || password !== model.password) return { message: `Access denied for ${user}@${ip}` };
  if (user === NON_ADMIN_USER) return { message: null };
  return null;
}

/**
 * The per-table families `/metrics` prints, as `MetricsAction` decides: only when asked
 * `with_table_metrics=minified|all`, and only to the admin user with its password; anyone else
 * gets the page without them, status 200 and no word of why.
 */
function tableMetricsShown(model: ClusterModel, req: IncomingMessage, url: URL): 'minified' | 'all' | undefined {
  const asked = url.searchParams.get('with_table_metrics');
  if (asked !== 'minified' && asked !== 'all') return undefined;
  return adminDenial(model, req) === null ? asked : undefined;
}

function sendMetrics(ctx: FeServerContext, req: IncomingMessage, res: ServerResponse, url: URL, faults: FeFaultView, now: number): void {
  let body: string | Buffer;
  const type = url.searchParams.get('type');
  if (faults.empty) body = '';
  else if (faults.garbage) body = randomBytes(2048);
  else if (type === 'json') body = renderFeMetricsJson(ctx.model, ctx.fe, now);
  else if (type === 'core') body = renderFeMetricsCore(ctx.model, ctx.fe, now);
  else {
    const tableMetrics = faults.noTableMetrics ? undefined : tableMetricsShown(ctx.model, req, url);
    const text = renderFeMetrics(ctx.model, ctx.fe, now, { duplicates: faults.duplicates, splitFamilies: faults.splitFamilies, ...(tableMetrics ? { tableMetrics } : {}) });
    body = faults.crlf ? text.replace(/\n/g, '\r\n') : text;
  }
  const answer: Answer = { status: 200, contentType: 'text/plain', body: typeof body === 'string' ? body : '' };
  if (faults.truncated) return sendTruncated(res, answer);
  if (typeof body !== 'string') {
    res.writeHead(200, { 'Content-Type': 'text/plain', 'Content-Length': body.length });
    res.end(body);
    return;
  }
  send(res, req, answer, true);
}

/** Gzip only `/metrics`, and only when asked, as the FE's Netty compressor does. */
function send(res: ServerResponse, req: IncomingMessage, answer: Answer, compressible: boolean): void {
  let payload = Buffer.from(answer.body, 'utf8');
  const headers: Record<string, string | number> = { ...answer.headers };
  if (answer.contentType !== null) headers['Content-Type'] = answer.contentType;
  if (compressible && /\bgzip\b/.test(req.headers['accept-encoding'] ?? '') && payload.length > 0) {
    payload = gzipSync(payload);
    headers['Content-Encoding'] = 'gzip';
  }
  headers['Content-Length'] = payload.length;
  res.writeHead(answer.status, headers);
  res.end(payload);
}

/** Promise the whole body, send half, then drop the connection. */
function sendTruncated(res: ServerResponse, answer: Answer): void {
  const payload = Buffer.from(answer.body, 'utf8');
  res.writeHead(answer.status, { 'Content-Type': answer.contentType ?? 'text/plain', 'Content-Length': payload.length });
  res.write(payload.subarray(0, Math.floor(payload.length / 2)), () => res.socket?.destroy());
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > 65_536) req.destroy();
      else chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
