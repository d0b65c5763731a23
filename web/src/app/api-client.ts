/**
 * The console's only door to the API: JSON in and out, the session in an HttpOnly cookie the
 * browser sends by itself (no token is ever kept where a script could read it), the CSRF header
 * on every change, the server's ErrorJson turned into an ApiError. Pages do not call it directly but
 * through TanStack Query (query-client.ts): `apiQuery(path)` for a GET, `apiSend` inside a
 * mutation. What a 401 does (back to the login page) is the query client's business.
 */
import { queryOptions } from '@tanstack/react-query';
import type { ErrorJson } from '@shared/api/common.js';
import { ApiError } from './api-error.js';

export { ApiError } from './api-error.js';

/** `signal`: the query's own, so a query that is no longer wanted (a new range) aborts its request. */
export function apiGet<T>(path: string, init?: { signal?: AbortSignal }): Promise<T> {
  return request<T>('GET', path, undefined, init?.signal);
}

export function apiSend<T>(method: 'POST' | 'PUT' | 'DELETE', path: string, body?: unknown): Promise<T> {
  return request<T>(method, path, body, undefined);
}

/** Every query of API data has a key starting with this, so a change to the registry can refresh them all. */
export const API_DATA_KEY = 'api';

/** The query of a GET: keyed by its path (query string included), aborted through the query's signal. */
export function apiQuery<T>(path: string) {
  return queryOptions({ queryKey: [API_DATA_KEY, path], queryFn: ({ signal }) => apiGet<T>(path, { signal }) });
}

async function request<T>(method: string, path: string, body: unknown, signal: AbortSignal | undefined): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  // The server refuses a change made with the session cookie unless this header repeats the CSRF cookie.
  if (method !== 'GET') {
    const csrf = readCookie(CSRF_COOKIE);
    if (csrf !== null) headers['x-csrf-token'] = csrf;
  }
  if (body !== undefined) headers['content-type'] = 'application/json';

  let response: Response;
  try {
    response = await fetch(path, { method, headers, credentials: 'same-origin', body: body === undefined ? null : JSON.stringify(body), signal: signal ?? null });
  } catch (err) {
    if (err instanceof DOMException && err.name === 'AbortError') throw err;
    throw new ApiError(0, 'NETWORK', 'Stellar did not answer (is the service running?)');
  }
  if (response.status === 204) return undefined as T;

  const text = await response.text();
  const json = parseJson(text);
  if (!response.ok) {
    const error = isErrorJson(json) ? json : null;
    throw new ApiError(
      response.status,
      error?.code ?? `HTTP_${response.status}`,
      error?.message ?? `${method} ${path} answered HTTP ${response.status}`,
      error?.details ?? null,
    );
  }
  return json as T;
}

/** The readable cookie set at login (src/api/session-cookies.ts); the session cookie itself is HttpOnly. */
const CSRF_COOKIE = 'stellar_csrf';

function readCookie(name: string): string | null {
  for (const part of document.cookie.split(';')) {
    const eq = part.indexOf('=');
    if (eq !== -1 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return null;
}

function parseJson(text: string): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function isErrorJson(value: unknown): value is ErrorJson {
  return typeof value === 'object' && value !== null && typeof (value as ErrorJson).code === 'string' && typeof (value as ErrorJson).message === 'string';
}
