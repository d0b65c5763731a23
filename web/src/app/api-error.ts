/**
 * A failed API call as the console sees it. Pure (no browser objects), so the query client's
 * policy that reads it (retry or not, sign out or not) is unit-tested in Node.
 */
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

/** No answer at all (status 0), or the server (or a proxy before it) failing: worth one more try. */
export function isTransientFailure(error: unknown): boolean {
  return error instanceof ApiError && (error.status === 0 || error.status >= 500);
}

/** The token is missing, expired or revoked. */
export function isUnauthorized(error: unknown): boolean {
  return error instanceof ApiError && error.status === 401;
}
