/**
 * POST /api/clusters/test-connection (a cluster not registered yet, password included) and
 * POST /api/clusters/:id/test (a registered one). A cluster that cannot be reached is a 200 with
 * ok false: the test ran and its checks say what failed; only bad input is a 400.
 */
import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { OptionalSource } from '../../../config/schema.js';
import type { ClusterRegistry } from '../../../registry/cluster-registry.js';
import type { ConnectionTestJson } from '../../../shared/api/connection-test.js';
import { testConnection } from '../../connection-test/test-connection.js';
import { errors, json } from '../../route-responses.js';
import { ConnectionTestResponse } from '../../../shared/api/connection-test.js';
import { ClusterCreateBody } from '../../../shared/api/clusters.js';
import { ClusterIdParams } from '../clusters/schema.js';

const CHECKS =
  'Asks every source the collector reads, each within the cluster’s connection_timeout: the frontends, backends and ' +
  'compute-node lists (none for Doris) and the configured FE’s /metrics at once, then the optional sources of [metrics] sources ' +
  '(every other alive FE’s /metrics, each FE’s /api/show_runtime_info, every alive BE/CN’s /metrics).';

export const connectionTestRoutes: FastifyPluginAsyncZod<{ registry: ClusterRegistry; sources: ReadonlySet<OptionalSource> }> = async (app, { registry, sources }) => {
  const log = (request: FastifyRequest, target: string, result: ConnectionTestJson) =>
    request.log.info({ target, ok: result.ok, failed: result.checks.filter((c) => !c.ok).map((c) => `${c.source}: ${c.error_kind}`) }, 'connection test');

  // A static path: find-my-way matches it before POST /clusters/:id would (there is none today).
  app.post(
    '/clusters/test-connection',
    {
      schema: {
        summary: 'Test a cluster’s connection settings before registering it',
        description: `${CHECKS} The body is that of POST /api/clusters, password included; nothing is stored.`,
        tags: ['clusters'],
        body: ClusterCreateBody,
        response: { 200: json('The checks, ok or not', ConnectionTestResponse), ...errors(400, 401, 413, 415) },
      },
    },
    async (request) => {
      const result = await testConnection(request.body, sources);
      log(request, `${request.body.fe_host}:${request.body.fe_http_port}`, result);
      return result;
    },
  );

  app.post(
    '/clusters/:id/test',
    {
      schema: {
        summary: 'Test the connection of a registered cluster',
        description: `${CHECKS} Uses the stored settings and password.`,
        tags: ['clusters'],
        params: ClusterIdParams,
        response: { 200: json('The checks, ok or not', ConnectionTestResponse), ...errors(400, 401, 404) },
      },
    },
    async (request) => {
      const result = await testConnection(await registry.connection(request.params.id), sources);
      log(request, `cluster ${request.params.id}`, result);
      return result;
    },
  );
};
