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

/** One entry of a 400's `details`: the field of the body the server names, and what is wrong with it. */
export interface FieldDetail {
  field: string;
  message: string;
}

/** A form's reading of a 400's `details`: messages by the form field they name, and those naming none of its fields. */
export type DetailsReader<Field extends string> = (details: readonly FieldDetail[]) => { fields: Partial<Record<Field, string>>; other: string[] };

/**
 * What a form shows of a failed save: a 400's `details` next to the fields they name, and above
 * the buttons those naming no field of the form (or, when every one found its field, the error's
 * own message); any other failure is its message alone.
 */
export function saveFailure<Field extends string>(error: unknown, readDetails: DetailsReader<Field>): { fields: Partial<Record<Field, string>>; message: string } {
  if (error instanceof ApiError && error.details !== null) {
    const mapped = readDetails(error.details);
    return { fields: mapped.fields, message: mapped.other.length > 0 ? mapped.other.join('; ') : error.message };
  }
  return { fields: {}, message: error instanceof Error ? error.message : String(error) };
}
