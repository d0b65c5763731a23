/**
 * Custom metrics: every one in force with its origin (GET /api/custom-metrics[/:name]); those
 * made through the API are created, replaced and deleted here (admin), those of the config file
 * are read-only (409 naming the file). A body is validated by CustomMetricInput, the one
 * definition; a bad one is a 400 naming each key. The collector picks a change up at its next
 * collection (at once on this instance, within CUSTOM_METRICS_REFRESH_MS on the others).
 *
 * POST /api/clusters/:id/custom-metrics/preview (admin, as a connection test: it reaches out to
 * the cluster) scrapes the cluster now and says what the definition would give: the value, the
 * series it matched on each node, the warnings (collector/custom-metric-preview.ts).
 */
import { clusterSources } from '../../shared/optional-sources.js';
import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { setTimeout as sleep } from 'node:timers/promises';
import type { BookedCustomMetric, CustomMetricBook } from '../../collector/custom-metric-book.js';
import { previewCustomMetric, previewSources } from '../../collector/custom-metric-preview.js';
import { scrapeCluster, scrapeDeadlineMs } from '../../collector/scrape-cluster.js';
import type { OptionalSource, ScrapeLimits } from '../../config/schema.js';
import { StellarError, validationError } from '../../errors.js';
import type { ClusterRegistry } from '../../registry/cluster-registry.js';
import type { TargetPolicy } from '../../security/allowed-targets.js';
import {
  CustomMetricBody,
  type CustomMetricJson,
  CustomMetricNameParams,
  CustomMetricPreviewResponse,
  CustomMetricReplaceBody,
  CustomMetricResponse,
  CustomMetricsResponse,
} from '../../shared/api/custom-metrics.js';
import type { Database } from '../../storage/database.js';
import { deleteCustomMetric, insertCustomMetric, replaceCustomMetric } from '../../storage/repos/custom-metrics.repo.js';
import { StarRocksClient } from '../../starrocks/starrocks-client.js';
import type { Kysely } from 'kysely';
import { errors, json, NoContent } from '../route-responses.js';
import { ClusterIdParams } from './clusters/schema.js';

export interface CustomMetricRoutesDeps {
  readonly db: Kysely<Database>;
  readonly book: CustomMetricBook;
  readonly registry: ClusterRegistry;
  /** Read at each preview, as the connection tests read them. */
  readonly settings: { readonly sources: ReadonlySet<OptionalSource> };
  readonly targets: TargetPolicy;
  readonly limits?: ScrapeLimits;
  readonly now: () => number;
  /** How the preview waits between a rate's two readings; a real timer when absent. */
  readonly sleep?: (ms: number) => Promise<void>;
}

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

export function presentCustomMetric(b: BookedCustomMetric): CustomMetricJson {
  return { ...b.metric, labels: { ...b.metric.labels }, origin: b.origin, created_at: iso(b.createdAt), updated_at: iso(b.updatedAt), updated_by: b.updatedBy };
}

const notFound = (name: string) => new StellarError('STELLAR_ERR_CUSTOM_METRIC_NOT_FOUND', `no custom metric made through the API is named "${name}"`);
const fromFile = (name: string) =>
  new StellarError('STELLAR_ERR_CUSTOM_METRIC_NAME_TAKEN', `the custom metric "${name}" is declared in the config file ([[custom_metrics]]): edit it there and reload the configuration`, [
    { field: 'name', message: 'is declared in the config file' },
  ]);
/** JSON has no NaN or ±Inf, which a node may print: shown as null. */
const finite = (value: number | null) => (value !== null && Number.isFinite(value) ? value : null);
const who = (request: FastifyRequest) => request.principal?.username ?? null;

export const customMetricRoutes: FastifyPluginAsyncZod<{ deps: CustomMetricRoutesDeps }> = async (app, { deps }) => {
  const { db, book } = deps;
  const tags = ['custom metrics'];
  const find = async (name: string) => (await book.all()).find((b) => b.metric.name === name);

  app.get(
    '/custom-metrics',
    { schema: { summary: 'Every custom metric', description: 'Those of the config file’s [[custom_metrics]] and those made through the API, each with its origin.', tags, response: { 200: json('The custom metrics', CustomMetricsResponse), ...errors(401) } } },
    async () => ({ metrics: (await book.all()).map(presentCustomMetric) }),
  );

  app.get(
    '/custom-metrics/:name',
    { schema: { summary: 'One custom metric', tags, params: CustomMetricNameParams, response: { 200: json('The custom metric', CustomMetricResponse), ...errors(401, 404) } } },
    async (request) => {
      const found = await find(request.params.name);
      if (found === undefined) throw new StellarError('STELLAR_ERR_CUSTOM_METRIC_NOT_FOUND', `no custom metric is named "${request.params.name}"`);
      return presentCustomMetric(found);
    },
  );

  app.post(
    '/custom-metrics',
    {
      schema: {
        summary: 'Make a custom metric',
        description: 'Collected from the next collection of every cluster on; its values are stored beside the built-in fields.',
        tags,
        body: CustomMetricBody,
        response: { 201: json('The custom metric', CustomMetricResponse), ...errors(400, 401, 409) },
      },
    },
    async (request, reply) => {
      const metric = request.body;
      if (book.isFromFile(metric.name)) throw fromFile(metric.name);
      const at = deps.now();
      if (!(await insertCustomMetric(db, metric.name, metric, at, who(request)))) {
        throw new StellarError('STELLAR_ERR_CUSTOM_METRIC_NAME_TAKEN', `a custom metric named "${metric.name}" already exists: PUT /api/custom-metrics/${metric.name} replaces it`, [{ field: 'name', message: 'is already used by another custom metric' }]);
      }
      await book.refresh();
      return reply.code(201).send(presentCustomMetric({ metric, origin: 'api', createdAt: at, updatedAt: at, updatedBy: who(request) }));
    },
  );

  app.put(
    '/custom-metrics/:name',
    {
      schema: {
        summary: 'Replace a custom metric made through the API',
        description: 'The whole definition; a metric is not renamed (delete it and make another). Its stored values stay under its name.',
        tags,
        params: CustomMetricNameParams,
        body: CustomMetricReplaceBody,
        response: { 200: json('The custom metric', CustomMetricResponse), ...errors(400, 401, 404, 409) },
      },
    },
    async (request) => {
      const { name } = request.params;
      if (request.body.name !== undefined && request.body.name !== name) throw validationError([{ field: 'name', message: `differs from the custom metric in the path ("${name}"); a custom metric is not renamed` }]);
      if (book.isFromFile(name)) throw fromFile(name);
      const metric = { ...request.body, name };
      const at = deps.now();
      if (!(await replaceCustomMetric(db, name, metric, at, who(request)))) throw notFound(name);
      await book.refresh();
      const saved = await find(name);
      return presentCustomMetric(saved ?? { metric, origin: 'api', createdAt: null, updatedAt: at, updatedBy: who(request) });
    },
  );

  app.delete(
    '/custom-metrics/:name',
    {
      schema: {
        summary: 'Delete a custom metric made through the API',
        description: 'No longer collected from the next collection on; the values already stored stay with their snapshots.',
        tags,
        params: CustomMetricNameParams,
        response: { 204: NoContent, ...errors(401, 404, 409) },
      },
    },
    async (request, reply) => {
      const { name } = request.params;
      if (book.isFromFile(name)) throw fromFile(name);
      if (!(await deleteCustomMetric(db, name))) throw notFound(name);
      await book.refresh();
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/clusters/:id/custom-metrics/preview',
    {
      schema: {
        summary: 'What a custom metric gives on a cluster now',
        description:
          'Scrapes the cluster’s FEs (and its BEs/CNs for a `be` metric) as a collection does, then computes the definition in the body (nothing is saved): the value, the series matched on each node, the warnings. ' +
          'A `rate` or `delta` takes two readings about 2 seconds apart and gives its value over that gap.',
        tags,
        params: ClusterIdParams,
        body: CustomMetricBody,
        response: { 200: json('The preview', CustomMetricPreviewResponse), ...errors(400, 401, 404) },
      },
    },
    async (request) => {
      const metric = request.body;
      const target = await deps.registry.connection(request.params.id);
      // What the collector asks of this cluster: its own sources when it has them, else the global ones.
      const sourcesInEffect = new Set(clusterSources((await deps.registry.get(request.params.id)).sources, deps.settings.sources));
      const client = new StarRocksClient(target, { connectionsPerOrigin: 1, limits: deps.limits });
      try {
        const preview = await previewCustomMetric(
          metric,
          () => scrapeCluster(client, target, { ...previewSources(metric), limits: deps.limits, deadlineMs: scrapeDeadlineMs(target.connection_timeout), now: Date.now, targets: deps.targets }),
          { sourcesInEffect, sleep: deps.sleep ?? ((ms) => sleep(ms)) },
        );
        return {
          value: finite(preview.value),
          readings: preview.readings,
          gap_seconds: preview.gapSeconds,
          nodes: preview.nodes.map((n) => ({ node: n.node, role: n.role, leader: n.leader, has_family: n.hasFamily, series: n.series.map((s) => ({ labels: { ...s.labels }, value: finite(s.value) })) })),
          warnings: [...preview.warnings],
          failures: [...preview.failures],
        };
      } finally {
        await client.close();
      }
    },
  );
};
