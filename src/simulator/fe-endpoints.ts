/**
 * The bodies of an FE's JSON endpoints, with each version's envelope (StarRocks' `http/rest/`
 * actions and `RestBaseResult`, Doris' `httpv2/rest/`): bare arrays and objects on StarRocks, `{"msg","code","data","count"}` on Doris.
 */
import type { ClusterModel } from './cluster-model.js';
import { feValues } from './fe-values.js';
import type { NodeTable } from './render-node-lists.js';

export interface Answer {
  readonly status: number;
  readonly contentType: string | null;
  readonly body: string;
  readonly headers?: Readonly<Record<string, string>>;
}

const JSON_TYPE = 'application/json';

function dorisEnvelope(data: unknown): string {
  return JSON.stringify({ msg: 'success', code: 0, data, count: 0 });
}

/** A node list as `/api/show_proc` sends it: objects by title (3.1+), row arrays (≤ 3.0, Doris). */
export function procBody(model: ClusterModel, list: NodeTable): string {
  if (model.engine === 'doris') return dorisEnvelope(list.rows);
  if (model.profile.procArrays) return JSON.stringify(list.rows);
  return JSON.stringify(list.rows.map((row) => Object.fromEntries(list.columns.map((c, i) => [c, row[i] ?? null]))));
}

/**
 * A Doris follower asked for `/api/show_proc` with forward=true: 307 to the master, the caller's
 * user and password in the Location and the query string appended as sent (httpv2
 * `RestBaseController.getRedirectUrL`, via `ShowAction.show_proc`).
 */
export function dorisRedirect(to: { readonly host: string; readonly port: number }, credentials: { readonly user: string; readonly password: string } | null, path: string, query: string): Answer {
  const userInfo = credentials === null ? '' : `${encodeURIComponent(credentials.user)}:${encodeURIComponent(credentials.password)}@`;
  return { status: 307, contentType: 'text/html;charset=utf-8', body: '', headers: { Location: `http://${userInfo}${to.host}:${to.port}${path}?${query}` } };
}

/** Bad proc path: `[]` with no content type set, which Netty sends as text/html. */
export const UNKNOWN_PROC_PATH: Answer = { status: 200, contentType: 'text/html', body: '[]' };

export function runtimeInfoBody(model: ClusterModel, fe: number, tMs: number): string {
  const v = feValues(model, fe, tMs);
  const info = {
    free_mem: String(v.heapCommitted - v.heapUsed),
    total_mem: String(v.heapCommitted),
    max_mem: String(v.fe.heapMaxBytes),
    thread_cnt: String(Math.max(1, v.threads - 7)),
  };
  return model.engine === 'doris' ? dorisEnvelope(info) : JSON.stringify(info);
}

export function healthBody(model: ClusterModel, tMs: number): string {
  // `/api/health` counts backends only, never compute nodes (StarRocks' `http/rest/HealthAction.java`).
  const backends = model.nodesAreComputeNodes ? [] : model.bes;
  const online = backends.filter((be) => model.events.beAlive(be.index, tMs)).length;
  const counts = { online_backend_num: online, total_backend_num: backends.length };
  return model.engine === 'doris' ? dorisEnvelope(counts) : JSON.stringify({ ...counts, status: 'OK' });
}

/** The token FEs use between themselves for `/api/bootstrap`. */
export function clusterToken(model: ClusterModel): string {
  return `sim-${model.clusterId.toString(16)}`;
}

export function bootstrapBody(model: ClusterModel, fe: number, tMs: number, token: string | null): string {
  const newer = model.profile.has33Families || model.profile.version === '3.2';
  if (token !== null && token !== clusterToken(model)) {
    return JSON.stringify({ replayedJournalId: 0, queryPort: 0, rpcPort: 0, feStartTime: 0, status: 'FAILED', msg: 'invalid parameter' });
  }
  const v = feValues(model, fe, tMs);
  const real = token !== null;
  // Gson order: subclass fields first, base `status`/`msg` after; `feVersion` only with the token.
  const body: Record<string, unknown> = {
    replayedJournalId: real ? v.maxJournalId : 0,
    queryPort: real ? model.queryPort : 0,
    rpcPort: real ? 9020 : 0,
    feStartTime: real ? v.startMs : 0,
  };
  if (real) body.feVersion = model.buildString;
  if (newer) body.heapUsedPercent = real ? Number(((v.heapUsed / v.fe.heapMaxBytes) * 100).toFixed(2)) : 0.0;
  body.status = 'OK';
  if (newer) body.code = '0';
  body.msg = 'Success';
  if (newer) body.message = 'OK';
  // Gson writes the float field as 0.0; JSON.stringify would write 0.
  return JSON.stringify(body).replace('"heapUsedPercent":0,', '"heapUsedPercent":0.0,');
}

/** 401 bodies of StarRocks' `http/rest/RestBaseAction.java`. */
/**
 * Doris answers a failed httpv2 call with HTTP 200 and its envelope's code (`ResponseEntityBuilder`
 * via `RestApiExceptionHandler`): 401 UNAUTHORIZED for a refused login, 403 BAD_REQUEST for a
 * request it cannot serve, such as a proc path it does not know.
 */
export function dorisFailure(code: 401 | 403, data: string): Answer {
  return { status: 200, contentType: JSON_TYPE, body: JSON.stringify({ msg: code === 401 ? 'Unauthorized' : 'Bad Request', code, data, count: 0 }) };
}

export function unauthorized(message: string | null): Answer {
  const body = message === null ? { status: 'FAILED', code: '1' } : { status: 'FAILED', code: '1', msg: message, message };
  return { status: 401, contentType: JSON_TYPE, body: JSON.stringify(body), headers: { 'WWW-Authenticate': 'Basic realm=""' } };
}

export const NOT_FOUND: Answer = {
  status: 404,
  contentType: 'text/html',
  body: '<html><head><title>404 Not Found</title></head><body><h1>404 Not Found</h1></body></html>',
};

export const INTERNAL_ERROR: Answer = {
  status: 500,
  contentType: 'text/html',
  body: 'failed to handle request, error: java.lang.IllegalStateException:simulated failure ',
};

export function json(body: string): Answer {
  return { status: 200, contentType: JSON_TYPE, body };
}
