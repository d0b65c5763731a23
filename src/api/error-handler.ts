/**
 * Turns every failure into `{"code", "message", "details"}` with the right status. Known
 * errors keep their code; bad input found by Fastify or the schemas becomes a 4xx; a write the
 * database cannot make (full disk) a 503; anything else is logged in full and answered with a
 * bare 500 and the request id.
 */
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { RateLimitedError } from '../auth/login-limiter.js';
import { StellarError, storageUnavailable, validationError, type ErrorCode, type ErrorDetail } from '../errors.js';
import type { Storage } from '../storage/dialect/dialect.js';
import type { ErrorJson } from '../shared/api/common.js';
import { setSecurityHeaders } from './security-headers.js';

export function sendError(reply: FastifyReply, error: StellarError, requestId?: string): FastifyReply {
  const body: ErrorJson = { code: error.code, message: error.message, details: error.details ? [...error.details] : null };
  if (requestId !== undefined) body.request_id = requestId;
  return reply.code(error.statusCode).send(body);
}

/**
 * The handler for an app over `storage`: a write the database could not make (disk full, I/O
 * error) is a 503 naming the cause, and marks the write path failing for /readyz; the log line
 * saying so comes once per change of state (app.ts), not per request.
 */
export function errorHandlerFor(storage: Pick<Storage, 'dialect' | 'writeHealth'>) {
  return (error: FastifyError, request: FastifyRequest, reply: FastifyReply): FastifyReply => {
    const fault = storage.dialect.writeFault(error);
    if (fault === null) return errorHandler(error, request, reply);
    storage.writeHealth.failed(fault, error);
    const unavailable = storageUnavailable(fault);
    request.log.debug({ code: unavailable.code, status: unavailable.statusCode }, unavailable.message);
    return sendError(reply, unavailable);
  };
}

function errorHandler(error: FastifyError, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const known = toStellarError(error);
  if (known) {
    if (known instanceof RateLimitedError) void reply.header('retry-after', String(known.retryAfterSeconds));
    request.log.debug({ code: known.code, status: known.statusCode }, known.message);
    return sendError(reply, known);
  }
  request.log.error({ err: error }, 'request failed');
  return sendError(reply, new StellarError('STELLAR_ERR_INTERNAL', 'internal error; see the server log'), String(request.id));
}

export function notFoundHandler(request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const path = request.url.split('?')[0] ?? request.url;
  return sendError(reply, new StellarError('STELLAR_ERR_ROUTE_NOT_FOUND', `no route ${request.method} ${path}`));
}

/**
 * Fastify's errors before routing: a path that is not valid percent-encoding (`%ff`) or has a
 * part longer than the router allows. Answered without the path, which may be anything.
 */
export function frameworkErrorHandler(error: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  setSecurityHeaders(reply, '/');
  const message = error.code === 'FST_ERR_MAX_PARAM_LENGTH' ? 'a part of the path is too long' : 'the path is not valid percent-encoded UTF-8';
  request.log.debug({ code: error.code }, message);
  void sendError(reply, new StellarError('STELLAR_ERR_BAD_REQUEST', message));
}

/** Fastify's own request errors, by code, and what they become. */
const FASTIFY_ERRORS: Record<string, ErrorCode> = {
  FST_ERR_CTP_BODY_TOO_LARGE: 'STELLAR_ERR_PAYLOAD_TOO_LARGE',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'STELLAR_ERR_UNSUPPORTED_MEDIA_TYPE',
};

function toStellarError(error: FastifyError): StellarError | undefined {
  if (error instanceof StellarError) return error;
  if (hasZodFastifySchemaValidationErrors(error)) return validationError(validationDetails(error));
  const mapped = error.code ? FASTIFY_ERRORS[error.code] : undefined;
  if (mapped) return new StellarError(mapped, error.message);
  // Malformed JSON, an empty JSON body, a bad Content-Length and the like.
  const status = error.statusCode ?? 500;
  if (status >= 400 && status < 500) return new StellarError('STELLAR_ERR_BAD_REQUEST', error.message);
  return undefined;
}

interface ValidationIssue {
  keyword: string;
  instancePath: string;
  message: string;
  params: { keys?: string[] };
}

function validationDetails(error: FastifyError): ErrorDetail[] {
  const context = (error as { validationContext?: string }).validationContext ?? 'body';
  const details: ErrorDetail[] = [];
  for (const issue of error.validation as unknown as ValidationIssue[]) {
    const path = issue.instancePath.split('/').filter(Boolean);
    if (issue.keyword === 'unrecognized_keys') {
      // A query schema (queryObject) words its own message, listing the parameters it accepts.
      const message = issue.message.startsWith('is not a known') ? issue.message : 'is not a known field';
      for (const key of issue.params.keys ?? []) details.push({ field: fieldName([...path, key]), message });
      continue;
    }
    details.push({ field: path.length > 0 ? fieldName(path) : context, message: issue.message });
  }
  return details;
}

/** `['tags', '0']` → `tags[0]` */
function fieldName(path: readonly string[]): string {
  return path.reduce((name, part) => (/^\d+$/.test(part) ? `${name}[${part}]` : name ? `${name}.${part}` : part), '');
}
