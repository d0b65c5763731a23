/** /api/clusters/overview, /api/clusters/:id/overview and /api/fleet/overview. */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { StoredDataDeps } from '../../stored-data-deps.js';
import { FleetInputsCache } from '../../overview/fleet-inputs.js';
import { FleetBodyBuffers, fleetJson, fleetObject } from '../../overview/fleet-text.js';
import { readFleet } from '../../overview/read-fleet.js';
import { readClusterOverview } from '../../overview/read-overview.js';
import { errors, json } from '../../route-responses.js';
import { type FleetOverviewJson, FleetOverviewResponse } from '../../../shared/api/fleet.js';
import { ClusterOverviewResponse } from '../../../shared/api/overview.js';
import { ClusterIdParams } from '../clusters/schema.js';
import { ClusterOverviewQuery, FleetQuery, OverviewQuery } from './schema.js';

const OVERVIEW_DESCRIPTION =
  'The latest snapshot, trends down-sampled to at most max_points buckets (bucket averages; a bucket without data is absent, ' +
  'one whose samples lack the figure is null), statistics over the window, health and collection status. Windows that start ' +
  'before the raw retention (metrics.retention_days) are answered from the daily roll-ups (window.resolution = daily). ' +
  'A cluster without any snapshot yet answers 200 with latest_snapshot null, empty trends and collect_status pending.';

const overviewResponses = { 200: json('The cluster overview', ClusterOverviewResponse), ...errors(400, 401, 404) };

export const overviewRoutes: FastifyPluginAsyncZod<{ deps: StoredDataDeps; validateAnswers?: boolean | undefined }> = async (app, { deps, validateAnswers }) => {
  const fleetInputs = new FleetInputsCache(deps);
  const fleetBuffers = new FleetBodyBuffers();
  app.get(
    '/clusters/overview',
    { schema: { summary: 'Overview of one cluster (cluster_id in the query)', description: OVERVIEW_DESCRIPTION, tags: ['overview'], querystring: OverviewQuery, response: overviewResponses } },
    async (request) => {
      const { cluster_id, time_range, from, to, max_points } = request.query;
      return readClusterOverview(deps, cluster_id, { timeRange: time_range, from, to, maxPoints: max_points });
    },
  );

  app.get(
    '/clusters/:id/overview',
    {
      schema: {
        summary: 'Overview of one cluster',
        description: OVERVIEW_DESCRIPTION,
        tags: ['overview'],
        params: ClusterIdParams,
        querystring: ClusterOverviewQuery,
        response: overviewResponses,
      },
    },
    async (request) => {
      const { time_range, from, to, max_points } = request.query;
      return readClusterOverview(deps, request.params.id, { timeRange: time_range, from, to, maxPoints: max_points });
    },
  );

  app.get(
    '/fleet/overview',
    {
      schema: {
        summary: 'Every cluster with its health, key figures and a QPS sparkline',
        description:
          'Health: score 100 minus a penalty per reason; status healthy, warning, critical, unreachable (latest collection failed) or pending (no snapshot). ' +
          'Filtered by tag, name and status and ordered here; `counts` counts the clusters the tag and name filters keep, per status, whatever the status filter. ' +
          'The stored figures are read for the whole fleet and kept between requests: at most 10 s behind the database. See docs/api.md for the rules.',
        tags: ['overview'],
        querystring: FleetQuery,
        response: { 200: json('The fleet', FleetOverviewResponse), ...errors(400, 401) },
      },
    },
    async (request, reply) => {
      const { sort, order, tag, status, name, limit, offset } = request.query;
      const answer = await readFleet(deps, fleetInputs, { sort, order, tags: tag, statuses: status, name, limit, offset });
      // Sent as JSON bytes made in slices (fleetJson), which Fastify's serializer never sees: where
      // answers are validated (every test app), this one is validated here.
      if (validateAnswers === true) FleetOverviewResponse.parse(fleetObject(answer));
      const body = await fleetJson(answer, fleetBuffers);
      reply.raw.once('finish', () => fleetBuffers.give(body));
      // The type provider types a reply by the schema's object; this is that object's JSON, in UTF-8.
      return reply.type('application/json; charset=utf-8').send(body as unknown as FleetOverviewJson);
    },
  );
};
