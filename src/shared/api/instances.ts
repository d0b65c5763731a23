/** The Stellar instances on this database (GET /api/instances). */
import { z } from 'zod';
import { isoTime } from './common.js';

const InstanceResponse = z
  .object({
    id: z.string().meta({ description: 'Chosen at each start' }),
    host: z.string(),
    pid: z.number(),
    version: z.string(),
    role: z
      .enum(['leader', 'standby', 'shard'])
      .meta({ description: 'leader: collects every cluster; standby: serves the API and console and takes over if the leader stops; shard: collects its share of the clusters (coordination "shards")' }),
    clusters_collected: z.number().meta({ description: 'Clusters it collects: all registered ones for the leader, 0 for a standby, its share for a shard' }),
    started_at: isoTime(),
    last_heartbeat_at: isoTime(),
    heartbeat_age_ms: z.number().meta({ description: 'How long ago the last heartbeat was, by the database server’s clock' }),
    silent: z.boolean().meta({ description: 'No heartbeat for longer than the collection lease: stopped, paused or cut off (its role is the last it reported)' }),
    this_instance: z.boolean().meta({ description: 'The instance that answered this request' }),
  })
  .meta({ id: 'Instance' });

export const InstancesResponse = z
  .object({
    coordination: z.enum(['leader', 'shards']).meta({ description: '[cluster] coordination' }),
    instances: z.array(InstanceResponse),
  })
  .meta({ id: 'Instances' });

export type InstancesJson = z.output<typeof InstancesResponse>;
export type InstanceJson = InstancesJson['instances'][number];
