/** GET /api/instances: the Stellar instances on this database, which one collects, and their heartbeats. */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { InstanceRecord } from '../../storage/collection-lease-store.js';
import { type InstanceJson, InstancesResponse } from '../../shared/api/instances.js';
import { errors, json } from '../route-responses.js';

export interface InstancesSource {
  /** `[cluster] coordination` */
  readonly coordination: 'leader' | 'shards';
  /** Every instance on the database as it last reported itself; this one alone on SQLite. */
  readonly instances: () => Promise<InstanceRecord[]>;
  /** This instance's id, to mark it in the list. */
  readonly selfId: () => string | null;
  /** A heartbeat older than this says the instance is silent. */
  readonly silentAfterMs: number;
}

export function presentInstance(record: InstanceRecord, source: Pick<InstancesSource, 'silentAfterMs'>, selfId: string | null): InstanceJson {
  return {
    id: record.id,
    host: record.host,
    pid: record.pid,
    version: record.version,
    role: record.role,
    clusters_collected: record.clustersCollected,
    started_at: new Date(record.startedAt).toISOString(),
    last_heartbeat_at: new Date(record.lastHeartbeatAt).toISOString(),
    heartbeat_age_ms: record.heartbeatAgeMs,
    silent: record.heartbeatAgeMs > source.silentAfterMs,
    this_instance: record.id === selfId,
  };
}

export const instanceRoutes: FastifyPluginAsyncZod<{ source: InstancesSource | undefined }> = async (app, { source }) => {
  app.get(
    '/instances',
    {
      schema: {
        summary: 'The Stellar instances on this database',
        description:
          'Each instance sharing the database, as its last heartbeat reported it: leader (collects) or standby, or shard (collects its share), version, clusters collected. On PostgreSQL every instance lists them all; on an SQLite file, the answering process alone. Empty when this process does not collect ([metrics] enabled = false).',
        tags: ['instances'],
        response: { 200: json('The instances', InstancesResponse), ...errors(401) },
      },
    },
    async () => {
      if (!source) return { coordination: 'leader' as const, instances: [] };
      const selfId = source.selfId();
      return { coordination: source.coordination, instances: (await source.instances()).map((r) => presentInstance(r, source, selfId)) };
    },
  );
};
