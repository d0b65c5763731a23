/**
 * GET /metrics (Stellar's own metrics) and GET /federate (every cluster's latest snapshot), in
 * the Prometheus text format, for a Prometheus that scrapes Stellar (docs/prometheus.md). With
 * `[server] metrics_auth = "token"` both ask for credentials as the API does (a bearer token or
 * Basic; optional when `[auth] enabled = false`); with "none" they are open. Never cached;
 * gzipped for a scraper that accepts it.
 */
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { AuthService } from '../../auth/auth-service.js';
import { createAuthenticateHook } from '../authenticate.js';
import { errors } from '../route-responses.js';
import { EXPOSITION_CONTENT_TYPE } from '../telemetry/exposition.js';
import { type FederationDeps, readLatestForFederation, renderFederation } from '../telemetry/federation.js';
import type { ServiceTelemetry } from '../telemetry/service-telemetry.js';

export type MetricsAuth = 'token' | 'none';

const ExpositionBody = z.string().meta({ description: 'Prometheus text format 0.0.4' });
const exposition = (description: string) => ({ description, content: { 'text/plain': { schema: ExpositionBody } } });

const gzipped = promisify(gzip);

/** Smaller bodies go as they are: compressing them saves less than it costs. */
const GZIP_FROM_BYTES = 8 * 1024;

/** Whether `Accept-Encoding` takes gzip (Prometheus sends `gzip`), not refused with `q=0`. */
export function acceptsGzip(header: string | undefined): boolean {
  return (header ?? '').split(',').some((entry) => {
    const [coding = '', ...params] = entry.split(';').map((part) => part.trim().toLowerCase());
    return (coding === 'gzip' || coding === '*') && !params.some((p) => /^q=0(\.0*)?$/.test(p));
  });
}

/**
 * The body, gzipped when the scraper accepts it and it is large: /federate of a thousand
 * clusters is 7 MiB of text and an eighth of that gzipped. Compressed on libuv's thread
 * pool at level 1, so the event loop does not wait for it.
 */
async function send(request: FastifyRequest, reply: FastifyReply, body: string | Buffer): Promise<FastifyReply> {
  reply.header('content-type', EXPOSITION_CONTENT_TYPE).header('cache-control', 'no-store').header('vary', 'accept-encoding');
  if (Buffer.byteLength(body) < GZIP_FROM_BYTES || !acceptsGzip(request.headers['accept-encoding'])) return reply.send(body);
  return reply.header('content-encoding', 'gzip').send(await gzipped(body, { level: 1 }));
}

export const prometheusRoutes: FastifyPluginAsync<{
  telemetry: ServiceTelemetry;
  federation: FederationDeps;
  auth: AuthService;
  authEnabled: boolean;
  metricsAuth: MetricsAuth;
}> = async (app, options) => {
  const open = options.metricsAuth === 'none';
  if (!open) app.addHook('onRequest', createAuthenticateHook(options.auth, { required: options.authEnabled }));
  const security = open ? { security: [] } : {};
  const failures = open ? {} : errors(401);

  app.get(
    '/metrics',
    {
      schema: {
        summary: 'Stellar’s own metrics for Prometheus',
        description: 'Per cluster: up, the last collection’s status, duration, bytes and series scraped, consecutive failures and lag; the collector’s figures; database write latency and size; HTTP latency by route; Node process metrics (docs/prometheus.md). Credentials as the API asks, unless [server] metrics_auth = "none".',
        tags: ['ops'],
        ...security,
        response: { 200: exposition('The metrics'), ...failures },
      },
    },
    async (request, reply) => send(request, reply, await options.telemetry.render()),
  );

  app.get(
    '/federate',
    {
      schema: {
        summary: 'Every cluster’s latest snapshot as Prometheus gauges',
        description: 'One family stellar_<field> per numeric snapshot field (docs/metrics.md), labelled cluster and cluster_id, stamped with the snapshot’s collection time in ms; null fields left out. Scrape with honor_labels: true (docs/prometheus.md).',
        tags: ['ops'],
        ...security,
        response: { 200: exposition('The latest snapshots'), ...failures },
      },
    },
    async (request, reply) => send(request, reply, await renderFederation(await readLatestForFederation(options.federation), options.federation.fields, options.federation.customMetrics?.current())),
  );
};
