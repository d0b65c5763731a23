/** /api/clusters/:id/nodes: the frontends, backends and compute nodes as last collected. */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { clusterNodesRow } from '../../../storage/repos/nodes.repo.js';
import type { StoredDataDeps } from '../../stored-data-deps.js';
import { presentClusterNodes } from '../../presenters/nodes.js';
import { errors, json } from '../../route-responses.js';
import { ClusterNodesResponse } from '../../../shared/api/nodes.js';
import { ClusterIdParams } from '../clusters/schema.js';

export const nodeRoutes: FastifyPluginAsyncZod<{ deps: StoredDataDeps }> = async (app, { deps }) => {
  app.get(
    '/clusters/:id/nodes',
    {
      schema: {
        summary: 'The node lists of a cluster as last collected',
        description: 'Each list keeps its last good answer and the time of it: a list that failed in the latest collection still shows what the one before saw. null: never collected.',
        tags: ['clusters'],
        params: ClusterIdParams,
        response: { 200: json('The node lists', ClusterNodesResponse), ...errors(400, 401, 404) },
      },
    },
    async (request) => {
      const cluster = await deps.registry.get(request.params.id);
      return presentClusterNodes(cluster.id, await clusterNodesRow(deps.db, cluster.id));
    },
  );
};
