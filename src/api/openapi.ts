/**
 * The OpenAPI description of every route, generated from the routes' zod schemas: the spec at
 * /api/openapi.json and Swagger UI at /api/docs. Both are public, with or without [auth]
 * (the spec says nothing a client of the API may not know; "Authorize" in the UI takes a token
 * or a user and password for trying the protected routes).
 */
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';
import { createJsonSchemaTransform, jsonSchemaTransformObject } from 'fastify-type-provider-zod';
import { VERSION } from '../version.js';

export const OPENAPI_PATH = '/api/openapi.json';
/** The API, the probes and the Prometheus endpoints; the web console's routes (/, /assets/*) are not part of the API. */
const SPEC_PATH = /^\/(api\/|healthz$|readyz$|metrics$|federate$)/;
const zodTransform = createJsonSchemaTransform({ skipList: [] });
export const DOCS_PATH = '/api/docs';

type SpecObject = ReturnType<typeof jsonSchemaTransformObject>;

/**
 * The transform writes every named zod schema twice, as request input and response output;
 * ours are responses, so the input copies (`ClusterInput`, …) nobody refers to are dropped.
 */
function withoutUnusedSchemas(spec: SpecObject): SpecObject {
  const components = (spec as { components?: { schemas?: Record<string, unknown> } }).components;
  const schemas = components?.schemas;
  if (!components || !schemas) return spec;
  const isInput = (name: string) => name.endsWith('Input');
  const rest = JSON.stringify({ ...spec, components: { ...components, schemas: Object.fromEntries(Object.entries(schemas).filter(([name]) => !isInput(name))) } });
  components.schemas = Object.fromEntries(Object.entries(schemas).filter(([name]) => !isInput(name) || rest.includes(`"#/components/schemas/${name}"`)));
  return spec;
}

/** Registered before any route: the spec is built from the routes registered after it. */
export async function registerOpenApi(app: FastifyInstance): Promise<void> {
  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Stellar API',
        version: VERSION,
        description: 'Collects StarRocks and Apache Doris cluster metrics and serves them. Field names are snake_case, times ISO 8601 in UTC; every error is {code, message, details} (docs/api.md, docs/errors.md).',
      },
      components: {
        securitySchemes: {
          bearer: { type: 'http', scheme: 'bearer', description: 'A token from POST /api/auth/login' },
          basic: { type: 'http', scheme: 'basic', description: 'User name and password, for scripts' },
          session: {
            type: 'apiKey',
            in: 'cookie',
            name: 'stellar_session',
            description: 'The web console’s session, set by POST /api/auth/login; used only without an Authorization header. Every change (POST, PUT, PATCH, DELETE) must also send the header X-CSRF-Token equal to the stellar_csrf cookie, or is refused 403 STELLAR_ERR_AUTH_CSRF.',
          },
        },
      },
      security: [{ bearer: [] }, { basic: [] }, { session: [] }],
      tags: [
        { name: 'clusters', description: 'Registered clusters, their node lists and connection tests' },
        { name: 'overview', description: 'One cluster’s overview and the fleet' },
        { name: 'export', description: 'Stored snapshots and daily roll-ups as JSON or CSV' },
        { name: 'auth', description: 'Log in, log out, who am I, change password' },
        { name: 'ops', description: 'Liveness and readiness, without credentials; Stellar’s own metrics and the fleet’s latest snapshots for Prometheus' },
        { name: 'instances', description: 'The Stellar instances sharing the database, and which one collects' },
        { name: 'admin', description: 'Running the service: reload its configuration' },
        { name: 'alerts', description: 'Alerts pending and firing, their history, and the alert rules (docs/alerts.md)' },
        { name: 'custom metrics', description: 'Custom metrics: families of the FEs’ and BEs’ /metrics collected beside the built-in fields, from the config file and this API, and their preview on a cluster' },
      ],
    },
    transform: (route) => (SPEC_PATH.test(route.url) ? zodTransform(route) : { schema: { hide: true }, url: route.url }),
    transformObject: (document) => withoutUnusedSchemas(jsonSchemaTransformObject(document)),
  });
  await app.register(fastifySwaggerUi, { routePrefix: DOCS_PATH, uiConfig: { docExpansion: 'list', deepLinking: true } });
  app.get(OPENAPI_PATH, { schema: { hide: true } }, async () => app.swagger());
}
