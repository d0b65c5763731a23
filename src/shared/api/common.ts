/**
 * Building blocks of the response schemas, and the error every route answers with. The schemas
 * of src/shared/api/ are the one definition of the API's JSON: the server validates its answers
 * with them and documents them (the OpenAPI spec at /api/openapi.json), and the web console reads
 * the types inferred from them. Field names are snake_case; times are ISO 8601 strings in UTC; a
 * number that could not be measured is null, never 0.
 */
import { z } from 'zod';

export const isoTime = () => z.string().meta({ description: 'ISO 8601, UTC', format: 'date-time' });

export const nullableNumber = (description?: string) => (description ? z.number().nullable().meta({ description }) : z.number().nullable());

export const nullableString = (description?: string) => (description ? z.string().nullable().meta({ description }) : z.string().nullable());

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
  .meta({ id: 'Error' });

export type ErrorJson = z.output<typeof ErrorResponse>;
