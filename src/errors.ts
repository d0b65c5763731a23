/**
 * Every error Stellar reports on purpose, in one place.
 *
 * Codes follow `STELLAR_ERR_<AREA>_<WHAT>`. An API error carries an HTTP status and is sent
 * as `{"code", "message", "details"}`; a start-up error carries a process exit code.
 * `docs/errors.md` lists every code; `errors.test.ts` keeps the two in step.
 */

export interface ErrorKind {
  /** HTTP status when the error reaches an API client. */
  readonly status?: number;
  /** Process exit code when the error stops a CLI command. */
  readonly exitCode?: number;
  /** What it means, for docs/errors.md. */
  readonly meaning: string;
}

export const ERROR_KINDS = {
  // Requests
  STELLAR_ERR_VALIDATION: { status: 400, meaning: 'A field, parameter or query value is missing or not accepted; `details` names each one.' },
  STELLAR_ERR_BAD_REQUEST: { status: 400, meaning: 'The request body is not valid JSON, or is empty where a body is required; or the path is not valid percent-encoding, or has a part that is too long.' },
  STELLAR_ERR_PAYLOAD_TOO_LARGE: { status: 413, meaning: 'The request body is larger than the server accepts (1 MiB).' },
  STELLAR_ERR_UNSUPPORTED_MEDIA_TYPE: { status: 415, meaning: 'The request body is not `application/json`.' },
  STELLAR_ERR_ROUTE_NOT_FOUND: { status: 404, meaning: 'No route answers this method and path.' },

  // Authentication
  STELLAR_ERR_AUTH_REQUIRED: { status: 401, meaning: 'The route needs a bearer token, HTTP Basic credentials or the console’s session cookie and none (in a known scheme) were sent.' },
  STELLAR_ERR_AUTH_INVALID_CREDENTIALS: { status: 401, meaning: 'The user name or password is wrong (which of the two is never said).' },
  STELLAR_ERR_AUTH_TOKEN_INVALID: { status: 401, meaning: 'The bearer token (or the session cookie’s token) is unknown or has been revoked.' },
  STELLAR_ERR_AUTH_TOKEN_EXPIRED: { status: 401, meaning: 'The bearer token (or the session cookie’s token) has expired; log in again.' },
  STELLAR_ERR_AUTH_WRONG_PASSWORD: { status: 403, meaning: 'The current password given to change a password is wrong.' },
  STELLAR_ERR_AUTH_RATE_LIMITED: { status: 429, meaning: 'Too many failed logins for this account or from this address: it is locked for a while (`auth.lockout`); `Retry-After` says how long.' },
  STELLAR_ERR_AUTH_CSRF: { status: 403, meaning: 'A change (POST, PUT, PATCH, DELETE) authenticated by the console’s session cookie did not carry the `X-CSRF-Token` header equal to the `stellar_csrf` cookie. Bearer and Basic credentials need no such header.' },
  STELLAR_ERR_AUTH_FORBIDDEN: { status: 403, meaning: 'The caller may not do this: a viewer (or a viewer token) may only read; only an administrator changes clusters, users and settings, or keeps a cluster’s stored password while its host or port changes; a token cannot get a role above its maker’s.' },
  STELLAR_ERR_AUTH_TOKEN_NOT_FOUND: { status: 404, meaning: 'The caller has no personal API token with this id (already revoked, or someone else’s).' },

  // Users
  STELLAR_ERR_USER_NOT_FOUND: { status: 404, meaning: 'No user has this id.' },
  STELLAR_ERR_USER_NAME_TAKEN: { status: 409, meaning: 'Another user already has this name.' },
  STELLAR_ERR_USER_LAST_ADMIN: { status: 409, meaning: 'The change would leave no administrator (deleting the last admin, or making them a viewer).' },

  // Clusters
  STELLAR_ERR_CLUSTER_NOT_FOUND: { status: 404, meaning: 'No cluster has this id.' },
  STELLAR_ERR_CLUSTER_NAME_TAKEN: { status: 409, meaning: 'Another cluster already has this name (names are compared without regard to case).' },

  // Configuration reload
  STELLAR_ERR_CONFIG_INVALID: {
    status: 400,
    meaning: 'A reload (POST /api/admin/reload) read a configuration that is not accepted: a bad value (`details` names each key, its value, its source and the accepted forms), or a config file that cannot be read or parsed. Nothing was applied; the running configuration is kept.',
  },

  // Server
  STELLAR_ERR_ALERT_RULE_NOT_FOUND: { status: 404, meaning: 'No alert rule made through the API has this name.' },
  STELLAR_ERR_ALERT_RULE_NAME_TAKEN: { status: 409, meaning: 'An alert rule already has this name: another API rule, or a default or alerts-file rule (which the API may not replace or delete; change the alerts file).' },
  STELLAR_ERR_CUSTOM_METRIC_NOT_FOUND: { status: 404, meaning: 'No custom metric made through the API has this name.' },
  STELLAR_ERR_CUSTOM_METRIC_NAME_TAKEN: { status: 409, meaning: 'A custom metric already has this name: another one made through the API, or one of the config file (`[[custom_metrics]]`, which the API may not replace or delete; edit the file and reload).' },
  STELLAR_ERR_ALERT_SILENCE_NOT_FOUND: { status: 404, meaning: 'No alert silence has this id.' },
  STELLAR_ERR_ALERT_NOT_FIRING: { status: 404, meaning: 'The rule is not firing on this cluster (inactive, pending, unknown rule or cluster): only a firing alert is acknowledged; or, to withdraw an acknowledgement, nobody acknowledged it.' },
  STELLAR_ERR_STORAGE_UNAVAILABLE: { status: 503, meaning: 'The database cannot take writes now: its disk is full, or cannot be written. Nothing was changed; `/readyz` reports it too. Retry once space is freed.' },
  STELLAR_ERR_INTERNAL: { status: 500, meaning: 'An unexpected failure; the server log has the details under the request id.' },

  // Start-up and command line
  STELLAR_ERR_CONFIG: { exitCode: 2, meaning: 'A configuration value (file, environment or flag) is not accepted, or the config file cannot be read.' },
  STELLAR_ERR_USAGE: { exitCode: 2, meaning: 'The command line is not understood: unknown command, flag or argument.' },
  STELLAR_ERR_SECRET_KEY: { exitCode: 2, meaning: 'The secret key is malformed, or differs from the key the database was set up with.' },
  STELLAR_ERR_STORAGE: { exitCode: 1, meaning: 'The database cannot be opened or migrated (for example it was written by a newer Stellar).' },
  STELLAR_ERR_LISTEN: { exitCode: 1, meaning: 'The HTTP server cannot listen on server.host:server.port (address in use, or not allowed).' },
} as const satisfies Record<string, ErrorKind>;

export type ErrorCode = keyof typeof ERROR_KINDS;

/** One problem with one named input, e.g. `{ field: "fe_http_port", message: "must be at most 65535" }`. */
export interface ErrorDetail {
  readonly field: string;
  readonly message: string;
}

export class StellarError extends Error {
  readonly code: ErrorCode;
  readonly details: readonly ErrorDetail[] | null;

  constructor(code: ErrorCode, message: string, details: readonly ErrorDetail[] | null = null) {
    super(message);
    this.name = 'StellarError';
    this.code = code;
    this.details = details;
  }

  get statusCode(): number {
    const kind: ErrorKind = ERROR_KINDS[this.code];
    return kind.status ?? 500;
  }

  get exitCode(): number {
    const kind: ErrorKind = ERROR_KINDS[this.code];
    return kind.exitCode ?? 1;
  }
}

/** A validation error whose message names every offending field, so a one-line log says it all. */
export function validationError(details: readonly ErrorDetail[]): StellarError {
  const message = details.map((d) => (d.field ? `${d.field}: ${d.message}` : d.message)).join('; ');
  return new StellarError('STELLAR_ERR_VALIDATION', message || 'invalid request', details);
}

export function clusterNotFound(id: number): StellarError {
  return new StellarError('STELLAR_ERR_CLUSTER_NOT_FOUND', `no cluster with id ${id}`);
}

/** A write the database could not make (`reason` from the dialect's writeFault): 503, not 500, for it is no bug and passes. */
export function storageUnavailable(reason: string): StellarError {
  return new StellarError('STELLAR_ERR_STORAGE_UNAVAILABLE', `the database cannot take writes: ${reason}; nothing was changed, retry once space is freed`);
}

export function clusterNameTaken(name: string): StellarError {
  return new StellarError('STELLAR_ERR_CLUSTER_NAME_TAKEN', `a cluster named "${name}" already exists`, [
    { field: 'name', message: 'is already used by another cluster' },
  ]);
}
