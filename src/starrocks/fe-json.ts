/**
 * The FE's small JSON answers (`/api/show_runtime_info`, `/api/health`, error bodies), read
 * strictly: a body of the wrong shape is a `malformed` ScrapeError naming what is wrong, never
 * a TypeError or a NaN further down.
 */
import type { Engine } from '../shared/cluster-kinds.js';
import { bodyShape, ScrapeError } from './errors.js';

export interface RuntimeInfo {
  /** Bytes free in the committed JVM heap. */
  readonly free_mem: number;
  /** Bytes of committed JVM heap. */
  readonly total_mem: number;
  /** The JVM's heap limit (-Xmx) in bytes. */
  readonly max_mem: number;
  readonly thread_cnt: number;
}

export interface Health {
  readonly online_backend_num: number;
  readonly total_backend_num: number;
  readonly status: string;
}

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

export function parseJsonBody(body: Buffer, source: string): unknown {
  try {
    return JSON.parse(body.toString('utf8')) as unknown;
  } catch (error) {
    throw new ScrapeError('malformed', source, `the body is not JSON (${bodyShape(body.subarray(0, 60).toString('utf8'), body.length)})`, { cause: error });
  }
}

/**
 * Doris wraps its JSON answers in `{"msg","code","data","count"}` with a numeric code;
 * StarRocks never does (its `RestBaseResult` has no `data`), so only a Doris body is unwrapped.
 */
export function unwrapDorisEnvelope(body: unknown, engine: Engine, source: string): unknown {
  if (engine !== 'doris' || !isPlainObject(body) || !('data' in body)) return body;
  if (body.code === 0) return body.data;
  const failure = dorisEnvelopeFailure(body);
  throw new ScrapeError(failure.kind, source, failure.message);
}

/**
 * Doris' envelope codes are its httpv2 `RestApiStatusCode`: 0 OK, 1 an error, 401 UNAUTHORIZED,
 * 403 BAD_REQUEST, 404, 500, 503 (with HTTP 200: `ResponseEntityBuilder`). Only 401 is a refused
 * login or privilege (`RestApiExceptionHandler` answers an `UnauthorizedException` with it); a
 * 403 is a request the FE could not serve, such as `Invalid proc path`, and says nothing of the
 * credentials. The FE puts its details in `data` and a fixed phrase in `msg`.
 */
export function dorisEnvelopeFailure(body: Readonly<Record<string, unknown>>): { readonly kind: 'auth' | 'query_failed'; readonly message: string } {
  const msg = typeof body.msg === 'string' ? body.msg : '';
  const detail = typeof body.data === 'string' && body.data !== '' ? `: ${body.data}` : '';
  return { kind: body.code === DORIS_UNAUTHORIZED ? 'auth' : 'query_failed', message: `the FE reported code ${String(body.code)} (${msg || 'no message'})${detail}` };
}

const DORIS_UNAUTHORIZED = 401;

/** `/api/show_runtime_info`: four integers, which a StarRocks FE sends as strings (a Java HashMap<String,String>). */
export function runtimeInfoFrom(body: unknown, source: string): RuntimeInfo {
  const object = objectBody(body, source);
  const integer = (key: keyof RuntimeInfo): number => integerField(object, key, source);
  return { free_mem: integer('free_mem'), total_mem: integer('total_mem'), max_mem: integer('max_mem'), thread_cnt: integer('thread_cnt') };
}

/** `/api/health`: alive and total backends (the FE does not count compute nodes). */
export function healthFrom(body: unknown, engine: Engine, source: string): Health {
  const object = objectBody(body, source);
  const online = integerField(object, 'online_backend_num', source);
  const total = integerField(object, 'total_backend_num', source);
  if (typeof object.status === 'string') return { online_backend_num: online, total_backend_num: total, status: object.status };
  // Doris' data carries no status of its own: its envelope's code 0, already checked, is the OK.
  if (engine === 'doris') return { online_backend_num: online, total_backend_num: total, status: 'OK' };
  throw new ScrapeError('malformed', source, '"status" is missing or not a string');
}

function objectBody(body: unknown, source: string): Record<string, unknown> {
  if (isPlainObject(body)) return body;
  throw new ScrapeError('malformed', source, `expected a JSON object, got ${Array.isArray(body) ? 'an array' : body === null ? 'null' : typeof body}`);
}

const INTEGER_TEXT = /^-?\d+$/;

function integerField(object: Record<string, unknown>, key: string, source: string): number {
  const value = object[key];
  if (typeof value === 'number' && Number.isSafeInteger(value)) return value;
  if (typeof value === 'string' && INTEGER_TEXT.test(value)) {
    const parsed = Number(value);
    if (Number.isSafeInteger(parsed)) return parsed;
  }
  throw new ScrapeError('malformed', source, `"${key}" is missing or not an integer (got ${value === undefined ? 'nothing' : value === null ? 'null' : `a ${typeof value}`})`);
}
