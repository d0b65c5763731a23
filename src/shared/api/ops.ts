/** /healthz and /readyz, for load balancers and orchestrators. */
import { z } from 'zod';

export const HealthzResponse = z.object({ status: z.literal('ok') }).meta({ id: 'Healthz' });

/**
 * Whether this process collects (`leader`): `standby` while another process holds collection
 * on the same database (`holder_pid` when known; `holder_host` on PostgreSQL, where it may run on
 * another machine); a standby serves reads and takes over when that one stops.
 */
const CollectionRoleJson = z
  .discriminatedUnion('role', [
    z.object({ role: z.literal('leader') }),
    z.object({ role: z.literal('standby'), holder_pid: z.number().nullable(), holder_host: z.string().nullable().optional() }),
    z.object({
      role: z.literal('shard'),
      clusters: z.number().meta({ description: 'Clusters this instance collects now: its share' }),
      maintenance: z.boolean().meta({ description: 'Whether it also runs the maintenance (roll-ups, retention): one instance does' }),
    }),
    z.object({ role: z.literal('off') }),
  ])
  .meta({ id: 'CollectionRole' });

export const ReadyResponse = z
  .object({
    status: z.enum(['ready', 'not_ready']),
    checks: z.object({
      database: z.object({ status: z.enum(['ok', 'failed']), message: z.string().optional() }),
      writes: z
        .object({ status: z.enum(['ok', 'failed']), message: z.string().optional(), since: z.number().optional() })
        .meta({ description: 'The last write to the database (a snapshot or a change through the API): failed while the disk is full, until a write succeeds. `since`: when writes began to fail, ms since the epoch.' }),
      migrations: z.object({ status: z.enum(['ok', 'pending', 'unknown', 'failed']), applied: z.number(), pending: z.array(z.string()), message: z.string().optional() }),
    }),
    /** Absent when the app runs without a collector (tests of the API alone). */
    collection: CollectionRoleJson.optional(),
  })
  .meta({ id: 'Ready' });

export type ReadyJson = z.output<typeof ReadyResponse>;
