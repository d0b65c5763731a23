/** /api/clusters: register, list, view, update and delete clusters. */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { ClusterRegistry } from '../../../registry/cluster-registry.js';
import { presentCluster } from '../../presenters/cluster.js';
import { ClusterCreateBody, ClusterIdParams, ClusterUpdateBody } from './schema.js';

export const clusterRoutes: FastifyPluginAsyncZod<{ registry: ClusterRegistry }> = async (app, { registry }) => {
  app.get('/clusters', async () => (await registry.list()).map(presentCluster));

  app.post('/clusters', { schema: { body: ClusterCreateBody } }, async (request, reply) => {
    const cluster = await registry.create(request.body);
    return reply.code(201).header('location', `/api/clusters/${cluster.id}`).send(presentCluster(cluster));
  });

  app.get('/clusters/:id', { schema: { params: ClusterIdParams } }, async (request) =>
    presentCluster(await registry.get(request.params.id)),
  );

  app.put('/clusters/:id', { schema: { params: ClusterIdParams, body: ClusterUpdateBody } }, async (request) =>
    presentCluster(await registry.update(request.params.id, request.body)),
  );

  app.delete('/clusters/:id', { schema: { params: ClusterIdParams } }, async (request, reply) => {
    await registry.delete(request.params.id);
    return reply.code(204).send();
  });
};
