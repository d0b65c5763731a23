/**
 * POST /api/clusters/test-connection (a cluster not registered yet, password included) and
 * POST /api/clusters/:id/test (a registered one). A test is one collection — the collector's
 * own scrape, with the sources in effect — presented source by source. A cluster that cannot
 * be reached is a 200 with ok false: the test ran and its checks say what failed; only bad
 * input is a 400.
 */
import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { scrapeCluster, scrapeDeadlineMs, scrapeSourcesFrom } from '../../../collector/scrape-cluster.js';
import type { ScrapeLimits } from '../../../config/schema.js';
import { clusterSources, type OptionalSource } from '../../../shared/optional-sources.js';
import type { ClusterRegistry } from '../../../registry/cluster-registry.js';
import type { TargetPolicy } from '../../../security/allowed-targets.js';
import type { ConnectionTestJson } from '../../../shared/api/connection-test.js';
import { ConnectionTestResponse } from '../../../shared/api/connection-test.js';
import { ClusterCreateBody } from '../../../shared/api/clusters.js';
import { StarRocksClient, type StarRocksTarget } from '../../../starrocks/starrocks-client.js';
import { presentConnectionTest } from '../../presenters/connection-test.js';
import { errors, json } from '../../route-responses.js';
import { ClusterIdParams } from '../clusters/schema.js';

const CHECKS =
  'Asks every source the collector reads, each within the cluster’s connection_timeout: the frontends, backends and ' +
  'compute-node lists (none for Doris) and the configured FE’s /metrics at once, then the cluster’s optional sources (its own `sources`, or [metrics] sources when null) ' +
  '(every other alive FE’s /metrics, each FE’s /api/show_runtime_info, every alive BE/CN’s /metrics).';

/**
 * One collection of the cluster with a client made for it and closed after, so a test never
 * shares a pool with the collector or with another test (jlon/starrocks-admin gave every test
 * pool key 0, so a second test ran with the first one's host and credentials).
 */
async function testConnection(target: StarRocksTarget, sources: readonly OptionalSource[], targets: TargetPolicy, limits: ScrapeLimits | undefined): Promise<ConnectionTestJson> {
  const client = new StarRocksClient(target, { connectionsPerOrigin: 1, limits });
  try {
    const raw = await scrapeCluster(client, target, { ...scrapeSourcesFrom(new Set(sources)), limits, deadlineMs: scrapeDeadlineMs(target.connection_timeout), now: Date.now, targets });
    return presentConnectionTest(raw);
  } finally {
    await client.close();
  }
}

export const connectionTestRoutes: FastifyPluginAsyncZod<{
  registry: ClusterRegistry;
  /** Read at each test, so a configuration reload's sources apply to the next one. */
  settings: { readonly sources: ReadonlySet<OptionalSource> };
  targets: TargetPolicy;
  limits?: ScrapeLimits;
}> = async (app, { registry, settings, targets, limits }) => {
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
      const result = await testConnection(request.body, clusterSources(request.body.sources, settings.sources), targets, limits);
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
      const cluster = await registry.connection(request.params.id);
      const result = await testConnection(cluster, clusterSources(cluster.sources, settings.sources), targets, limits);
      log(request, `cluster ${request.params.id}`, result);
      return result;
    },
  );
};
