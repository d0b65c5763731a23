/** /api/clusters: register, list, view, update and delete clusters. */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Kysely } from 'kysely';
import { isAdmin } from '../../../auth/auth-service.js';
import { StellarError } from '../../../errors.js';
import type { ClusterRegistry } from '../../../registry/cluster-registry.js';
import type { Cluster } from '../../../registry/cluster.js';
import type { Database } from '../../../storage/database.js';
import { collectionStateOf, collectionStates } from '../../../storage/repos/collection-state.repo.js';
import { presentCluster } from '../../presenters/cluster.js';
import { ClusterCreateBody, ClusterListResponse, ClusterResponse, ClusterUpdateBody, SourcesResponse } from '../../../shared/api/clusters.js';
import { OPTIONAL_SOURCES, type OptionalSource, sortedSources } from '../../../shared/optional-sources.js';
import { errors, json, NoContent } from '../../route-responses.js';
import { ClusterIdParams } from './schema.js';

const tags = ['clusters'];

/**
 * `db` reads the stored collection state (collection_state), whichever instance collects;
 * `settings.sources` is `[metrics] sources` in effect (read at each request, so a reload shows).
 */
export const clusterRoutes: FastifyPluginAsyncZod<{
  registry: ClusterRegistry;
  db: Kysely<Database>;
  now: () => number;
  settings: { readonly sources: ReadonlySet<OptionalSource> };
}> = async (app, { registry, db, now, settings }) => {
  const present = async (cluster: Cluster) => presentCluster(cluster, await collectionStateOf(db, cluster.id), now(), settings.sources);
  app.get(
    '/clusters',
    { schema: { summary: 'Every cluster, in the order registered', tags, response: { 200: json('The clusters', ClusterListResponse), ...errors(401) } } },
    async () => {
      const [clusters, states] = await Promise.all([registry.list(), collectionStates(db)]);
      const at = now();
      const global = settings.sources;
      return clusters.map((cluster) => presentCluster(cluster, states.get(cluster.id), at, global));
    },
  );

  // A static path: find-my-way matches it before GET /clusters/:id.
  app.get(
    '/clusters/sources',
    {
      schema: {
        summary: 'The optional sources a cluster may ask, and the global set',
        description: 'What a cluster’s `sources` may list, and `[metrics] sources` in effect: what a cluster with `sources: null` follows.',
        tags,
        response: { 200: json('The sources', SourcesResponse), ...errors(401) },
      },
    },
    async () => ({ available: [...OPTIONAL_SOURCES], global: sortedSources(settings.sources) }),
  );

  app.post(
    '/clusters',
    {
      schema: {
        summary: 'Register a cluster',
        description: 'The password is stored sealed (AES-256-GCM) and never returned. Unknown fields are refused.',
        tags,
        body: ClusterCreateBody,
        response: { 201: json('Registered; Location: /api/clusters/<id>', ClusterResponse), ...errors(400, 401, 409, 413, 415) },
      },
    },
    async (request, reply) => {
      // Just registered: no collector has scheduled it yet.
      const cluster = await registry.create(request.body);
      return reply.code(201).header('location', `/api/clusters/${cluster.id}`).send(presentCluster(cluster, undefined, now(), settings.sources));
    },
  );

  app.get(
    '/clusters/:id',
    { schema: { summary: 'One cluster', tags, params: ClusterIdParams, response: { 200: json('The cluster', ClusterResponse), ...errors(400, 401, 404) } } },
    async (request) => await present(await registry.get(request.params.id)),
  );

  app.put(
    '/clusters/:id',
    {
      schema: {
        summary: 'Change a cluster',
        description:
          'Changes only the fields sent; `{}` changes nothing. Changing `fe_host`, `fe_http_port` or `fe_query_port` of a cluster with a stored password needs the ' +
          '`password` again (else 400 naming `password`), or `keep_password: true`, which only an administrator may send (else 403).',
        tags,
        params: ClusterIdParams,
        body: ClusterUpdateBody,
        response: { 200: json('The cluster as changed', ClusterResponse), ...errors(400, 401, 403, 404, 409, 413, 415) },
      },
    },
    async (request) => {
      const { keep_password: keepPassword = false, ...fields } = request.body;
      if (keepPassword && !isAdmin(request.principal)) {
        throw new StellarError('STELLAR_ERR_AUTH_FORBIDDEN', 'only an administrator may keep a stored password while the address changes', [
          { field: 'keep_password', message: 'may be sent only by an administrator; send the password instead' },
        ]);
      }
      return await present(await registry.update(request.params.id, fields, { keepPassword }));
    },
  );

  app.delete(
    '/clusters/:id',
    {
      schema: {
        summary: 'Delete a cluster with its snapshots and daily rows',
        tags,
        params: ClusterIdParams,
        response: { 204: NoContent, ...errors(400, 401, 404) },
      },
    },
    async (request, reply) => {
      await registry.delete(request.params.id);
      return reply.code(204).send(null);
    },
  );
};
