/**
 * The console's only door to the API: JSON in and out, the stored bearer token on every
 * request, the server's ErrorJson turned into an ApiError, and a 401 sending the user to the
 * login page (the token expired or was revoked).
 */
import type { ErrorJson } from '@shared/api/common.js';
import { clearToken, readToken } from './session.js';
import { navigate } from './router.js';

export class ApiError extends Error {
  readonly status: number;
  /** A STELLAR_ERR_* code, or `NETWORK` when no answer came, or `HTTP_<status>` for a non-JSON answer. */
  readonly code: string;
  /** One entry per bad field for a 400 validation error; otherwise null. */
  readonly details: { field: string; message: string }[] | null;

  constructor(status: number, code: string, message: string, details: { field: string; message: string }[] | null = null) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.details = details;
  }
}

export function apiGet<T>(path: string, init?: { signal?: AbortSignal }): Promise<T> {
  return request<T>('GET', path, undefined, init?.signal);
}

export function apiSend<T>(method: 'POST' | 'PUT' | 'DELETE', path: string, body?: unknown): Promise<T> {
  return request<T>(method, path, body, undefined);
}

/** Paths that answer 401 as part of their job: a failed login must not bounce to the login page. */
const NO_LOGIN_REDIRECT = new Set(['/api/auth/login']);

async function request<T>(method: string, path: string, body: unknown, signal: AbortSignal | undefined): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  const token = readToken();
  if (token !== null) headers.authorization = `Bearer ${token}`;
  if (body !== undefined) headers['content-type'] = 'application/json';

  let response: Response;
  try {
    response = await fetch(path, { method, headers, body: body === undefined ? null : JSON.stringify(body), signal: signal ?? null });
  } catch (err) {
    if (err instanceof DOMException && err.name === 'AbortError') throw err;
    throw new ApiError(0, 'NETWORK', 'Stellar did not answer (is the service running?)');
  }

  if (response.status === 401 && !NO_LOGIN_REDIRECT.has(path)) {
    clearToken();
    const here = window.location.pathname + window.location.search;
    if (window.location.pathname !== '/login') navigate(`/login?next=${encodeURIComponent(here)}`, { replace: true });
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
