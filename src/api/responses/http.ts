/**
 * Building blocks of the response schemas. The schemas document the API (the OpenAPI spec at
 * /api/openapi.json) and type each handler's answer at compile time; `responses.test.ts` holds
 * them equal to the shared types the web console reads. At run time responses are serialized
 * with plain JSON.stringify (see app.ts), not re-validated.
 */
import { z } from 'zod';
import type { ErrorJson } from '../../shared/api-types.js';

export const ErrorResponse = z
  .object({
    code: z.string().meta({ description: 'A STELLAR_ERR_* code (docs/errors.md).' }),
    message: z.string(),
    details: z
      .array(z.object({ field: z.string(), message: z.string() }))
      .nullable()
      .meta({ description: 'One entry per offending field or parameter, for validation errors; otherwise null.' }),
    request_id: z.string().optional().meta({ description: 'Present on 500 responses: the id to look for in the server log.' }),
  })
  .meta({ id: 'Error' }) satisfies z.ZodType<ErrorJson>;

/** A JSON response with its description, in the form Fastify and the OpenAPI transform both read. */
export function json<S extends z.ZodType>(description: string, schema: S) {
  return { description, content: { 'application/json': { schema } } };
}

const ERROR_DESCRIPTIONS = {
  400: 'Bad input: `details` names each offending field or parameter and what it accepts',
  401: 'No credentials, or wrong ones',
  403: 'Not allowed',
  404: 'No such cluster (STELLAR_ERR_CLUSTER_NOT_FOUND)',
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

export const isoTime = () => z.string().meta({ description: 'ISO 8601, UTC', format: 'date-time' });
