/**
 * The responses of a route's schema, in the form Fastify and the OpenAPI transform both read.
 * Every body schema comes from src/shared/api/ (the one definition the console reads too);
 * app.ts validates each answer against it before it is sent.
 */
import { z } from 'zod';
import { ErrorResponse } from '../shared/api/common.js';

/** A JSON response with its description. */
export function json<S extends z.ZodType>(description: string, schema: S) {
  return { description, content: { 'application/json': { schema } } };
}

const ERROR_DESCRIPTIONS = {
  400: 'Bad input: `details` names each offending field or parameter and what it accepts',
  401: 'No credentials, or wrong ones',
  403: 'Not allowed',
  404: 'Not found: no such cluster, user or token (the code says which)',
  409: 'Conflict',
  413: 'Body larger than 1 MiB',
  415: 'Body not application/json',
  503: 'Not ready',
} as const;

/** The error responses a route can give, each the ErrorJson shape. */
export function errors<const C extends keyof typeof ERROR_DESCRIPTIONS>(...codes: C[]) {
  return Object.fromEntries(codes.map((code) => [code, json(ERROR_DESCRIPTIONS[code], ErrorResponse)])) as { [K in C]: ReturnType<typeof json<typeof ErrorResponse>> };
}

/** A response without a body (the spec shows no content for a null schema). */
export const NoContent = z.null().meta({ description: 'Done; no body' });
