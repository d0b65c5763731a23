/** /api/clusters: register, list, view, update and delete clusters. */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { ClusterRegistry } from '../../../registry/cluster-registry.js';
import { type CollectionStateOf, presentCluster } from '../../presenters/cluster.js';
import { ClusterCreateBody, ClusterIdParams, ClusterUpdateBody } from './schema.js';

export const clusterRoutes: FastifyPluginAsyncZod<{ registry: ClusterRegistry; collectionState: CollectionStateOf }> = async (app, { registry, collectionState }) => {
  const present = (cluster: Parameters<typeof presentCluster>[0]) => presentCluster(cluster, collectionState);
  app.get('/clusters', async () => (await registry.list()).map(present));

  app.post('/clusters', { schema: { body: ClusterCreateBody } }, async (request, reply) => {
    const cluster = await registry.create(request.body);
    return reply.code(201).header('location', `/api/clusters/${cluster.id}`).send(present(cluster));
  });

  app.get('/clusters/:id', { schema: { params: ClusterIdParams } }, async (request) =>
    present(await registry.get(request.params.id)),
  );

  app.put('/clusters/:id', { schema: { params: ClusterIdParams, body: ClusterUpdateBody } }, async (request) =>
    present(await registry.update(request.params.id, request.body)),
  );

  app.delete('/clusters/:id', { schema: { params: ClusterIdParams } }, async (request, reply) => {
    await registry.delete(request.params.id);
    return reply.code(204).send();
  });
};
