/** Response schemas of the cluster, auth and ops routes (shapes of src/shared/api-types.ts). */
import { z } from 'zod';
import { DEPLOYMENT_MODES, ENGINES, NODE_LIST_SOURCES, type ClusterJson, type CollectionStateJson, type LoginJson, type MeJson, type ReadyJson } from '../../shared/api-types.js';
import { isoTime } from './http.js';

export const CollectionStateResponse = z
  .object({
    status: z.enum(['pending', 'ok', 'partial', 'failed']).meta({ description: '`pending` until the first collection; then the status of the last one' }),
    consecutive_failures: z.number(),
    last_attempt_at: isoTime().nullable(),
    next_attempt_at: isoTime(),
    running: z.boolean(),
    lag_ms: z.number().meta({ description: 'How far behind its slot the collection is, ms: while a due collection waits for a free slot, how long it has waited; otherwise how late the last one started. 0 when on time' }),
  })
  .meta({ id: 'CollectionState', description: 'Where the cluster’s collection stands in this process; null when this process does not collect' }) satisfies z.ZodType<CollectionStateJson>;

export const ClusterResponse = z
  .object({
    id: z.number(),
    name: z.string(),
    description: z.string(),
    fe_host: z.string(),
    fe_http_port: z.number(),
    fe_query_port: z.number(),
    username: z.string(),
    password_set: z.boolean().meta({ description: 'Whether a password is stored; the password itself is never sent' }),
    enable_ssl: z.boolean(),
    connection_timeout: z.number().meta({ description: 'Seconds' }),
    collect_interval: z.number().nullable().meta({ description: 'Seconds between collections of this cluster; null: the global interval' }),
    tags: z.array(z.string()),
    deployment_mode: z.enum(DEPLOYMENT_MODES),
    engine: z.enum(ENGINES),
    node_list_source: z.enum(NODE_LIST_SOURCES),
    collection: CollectionStateResponse.nullable(),
    created_at: isoTime(),
    updated_at: isoTime(),
  })
  .meta({ id: 'Cluster' }) satisfies z.ZodType<ClusterJson>;

const User = z.object({ id: z.number(), username: z.string() });

export const LoginResponse = z
  .object({ token: z.string(), token_type: z.literal('Bearer'), expires_at: isoTime(), user: User })
  .meta({ id: 'Login' }) satisfies z.ZodType<LoginJson>;

export const MeResponse = z
  .object({ user: User.nullable(), auth_method: z.enum(['token', 'basic', 'none']), auth_enabled: z.boolean() })
  .meta({ id: 'Me' }) satisfies z.ZodType<MeJson>;

export const ReadyResponse = z
  .object({
    status: z.enum(['ready', 'not_ready']),
    checks: z.object({
      database: z.object({ status: z.enum(['ok', 'failed']), message: z.string().optional() }),
      migrations: z.object({ status: z.enum(['ok', 'pending', 'unknown', 'failed']), applied: z.number(), pending: z.array(z.string()), message: z.string().optional() }),
    }),
  })
  .meta({ id: 'Ready' }) satisfies z.ZodType<ReadyJson>;

export const HealthzResponse = z.object({ status: z.literal('ok') });
