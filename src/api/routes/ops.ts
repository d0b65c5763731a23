/**
 * /healthz (the process answers) and /readyz (the database answers, takes writes and its
 * schema is current), for load balancers and orchestrators. Both are public and never cached.
 * `select 1` answers on a full disk: whether writes go through is the storage's memory of the
 * last write (storage/write-health.ts).
 */
import type { FastifyPluginAsync } from 'fastify';
import { sql } from 'kysely';
import type { CollectionRole } from '../../collector/collection-standby.js';
import type { ReadyJson } from '../../shared/api/ops.js';
import { HealthzResponse, ReadyResponse } from '../../shared/api/ops.js';
import { json } from '../route-responses.js';
import type { Storage } from '../../storage/dialect/dialect.js';
import { migrationStatus } from '../../storage/migrate.js';

export const opsRoutes: FastifyPluginAsync<{ storage: Storage; collectionRole?: (() => CollectionRole) | undefined }> = async (app, { storage, collectionRole }) => {
  const healthz = { summary: 'The process answers', tags: ['ops'], security: [], response: { 200: json('Alive', HealthzResponse) } };
  app.get('/healthz', { schema: healthz }, async (_request, reply) => {
    reply.header('cache-control', 'no-store');
    return { status: 'ok' };
  });

  const readyz = {
    summary: 'The database answers, its last write succeeded, and every migration is applied',
    tags: ['ops'],
    security: [],
    response: { 200: json('Ready', ReadyResponse), 503: json('Not ready: the body says which check failed', ReadyResponse) },
  };
  // Probes come every few seconds: the log says when readiness changes, not at each probe.
  let last: ReadyJson['status'] = 'ready';
  app.get('/readyz', { schema: readyz }, async (request, reply) => {
    reply.header('cache-control', 'no-store');
    // A standby is ready: it serves the API and console; `collection` says it does not collect.
    const body = { ...(await readiness(storage)), ...(collectionRole ? { collection: collectionRole() } : {}) };
    if (body.status !== last) {
      if (body.status === 'ready') request.log.info('ready again');
      else request.log.warn({ checks: body.checks }, 'not ready');
      last = body.status;
    }
    return reply.code(body.status === 'ready' ? 200 : 503).send(body);
  });
};

async function readiness(storage: Storage): Promise<ReadyJson> {
  const checks: ReadyJson['checks'] = {
    database: { status: 'ok' },
    writes: { status: 'ok' },
    migrations: { status: 'ok', applied: 0, pending: [] },
  };
  const failure = storage.writeHealth.failure;
  if (failure) checks.writes = { status: 'failed', message: `the last write failed: ${failure.reason}`, since: failure.since };
  try {
    await sql`select 1`.execute(storage.db);
  } catch (err) {
    checks.database = { status: 'failed', message: (err as Error).message };
    checks.migrations = { status: 'failed', applied: 0, pending: [], message: 'database unreachable' };
    return { status: 'not_ready', checks };
  }
  try {
    const status = await migrationStatus(storage);
    checks.migrations = {
      status: status.unknown.length > 0 ? 'unknown' : status.pending.length > 0 ? 'pending' : 'ok',
      applied: status.applied.length,
      pending: [...status.pending],
    };
    if (status.unknown.length > 0) checks.migrations.message = `database has migrations unknown to this version: ${status.unknown.join(', ')}`;
  } catch (err) {
    checks.migrations = { status: 'failed', applied: 0, pending: [], message: (err as Error).message };
  }
  const ready = checks.database.status === 'ok' && checks.writes.status === 'ok' && checks.migrations.status === 'ok';
  return { status: ready ? 'ready' : 'not_ready', checks };
}
