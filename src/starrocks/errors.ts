/**
 * Why a call to a cluster failed, as one of a few kinds the collector can record and count:
 * the raw undici or mysql2 error stays available as `cause`, never as the message a user sees.
 */

export const SCRAPE_ERROR_KINDS = {
  refused: 'nothing listens at the address, or the host cannot be reached or resolved',
  timeout: 'no complete answer within the per-request timeout or the caller’s deadline',
  auth: 'the cluster rejected the user name or password (HTTP 401/403, Doris envelope code 401, MySQL 1045)',
  http_status: 'the FE answered with an HTTP status other than 2xx',
  malformed: 'the answer was cut short, empty, or not in the expected format',
  network: 'the connection broke before an answer began',
  query_failed: 'the FE ran the statement, or read the request, and reported an error (a Doris envelope code other than 0 and 401)',
  not_allowed: 'the host is outside `[security] allowed_targets`, so it was not asked',
  over_limit: 'the answer passed one of Stellar\'s limits on what a cluster may send ([limits]: bytes, series, line length, frontends); the request was cut there',
} as const;

export type ScrapeErrorKind = keyof typeof SCRAPE_ERROR_KINDS;

export class ScrapeError extends Error {
  override readonly name = 'ScrapeError';

  constructor(
    readonly kind: ScrapeErrorKind,
    /** What was asked, e.g. `GET http://10.0.0.1:8030/metrics` or `mysql 10.0.0.1:9030 SHOW BACKENDS`. */
    readonly source: string,
    message: string,
    options: { readonly status?: number; readonly cause?: unknown } = {},
  ) {
    super(`${source}: ${message}`, { cause: options.cause });
    this.status = options.status;
  }

  /** The HTTP status, for `http_status` and HTTP `auth` errors. */
  readonly status: number | undefined;
}

const REFUSED_CODES = new Set(['ECONNREFUSED', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'EADDRNOTAVAIL']);

/** The kind of a transport error (connection level), by its Node or library code. */
export function transportErrorKind(error: unknown): ScrapeErrorKind {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && REFUSED_CODES.has(code)) return 'refused';
  if (code === 'UND_ERR_CONNECT_TIMEOUT' || code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT' || code === 'ETIMEDOUT') {
    return 'timeout';
  }
  return 'network';
}

/**
 * How a body looks, said without repeating any of it: a reason is stored and shown, and a
 * server may echo the request into its body, the Authorization header included.
 */
export function bodyShape(start: string, bytes: number): string {
  const head = start.trimStart();
  const kind = head.startsWith('<') ? 'HTML or XML' : head.startsWith('{') || head.startsWith('[') ? 'JSON-like text' : 'text';
  return `${bytes} bytes of ${kind}`;
}

/** A short description of a library error for messages: its code and first line. */
export function describeCause(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const code = (error as { code?: unknown }).code;
  const line = error.message.split('\n')[0] ?? '';
  return typeof code === 'string' && !line.includes(code) ? `${code}: ${line}` : line;
}
