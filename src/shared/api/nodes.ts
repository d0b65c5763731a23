/** A cluster's node lists as last collected (GET /api/clusters/:id/nodes). */
import { z } from 'zod';
import { isoTime, nullableNumber as n, nullableString as s } from './common.js';

const FrontendResponse = z
  .object({
    name: s(),
    host: s(),
    http_port: n(),
    query_port: n(),
    role: s('LEADER, FOLLOWER or OBSERVER'),
    alive: z.boolean(),
    replayed_journal_id: n(),
    last_heartbeat: isoTime().nullable(),
    start_time: isoTime().nullable(),
    version: s(),
    err_msg: s(),
  })
  .meta({ id: 'Frontend' });

const BackendResponse = z
  .object({
    kind: z.enum(['backend', 'compute_node']),
    id: s(),
    host: s(),
    heartbeat_port: n(),
    http_port: n(),
    alive: z.boolean(),
    decommissioned: z.boolean(),
    last_start_time: isoTime().nullable(),
    last_heartbeat: isoTime().nullable(),
    err_msg: s(),
    version: s(),
    tablets: n(),
    data_used_bytes: n(),
    avail_bytes: n(),
    total_bytes: n(),
    max_disk_used_pct: n(),
    cpu_cores: n(),
    mem_limit_bytes: n(),
    running_queries: n(),
    mem_used_pct: n(),
    cpu_used_pct: n(),
  })
  .meta({ id: 'Backend' });

const nodeList = <T extends z.ZodType>(node: T, what: string) =>
  z.object({ collected_at: isoTime(), nodes: z.array(node) }).nullable().meta({ description: `The ${what} as last collected; null when never collected` });

export const ClusterNodesResponse = z
  .object({
    cluster_id: z.number(),
    frontends: nodeList(FrontendResponse, 'frontends'),
    backends: nodeList(BackendResponse, 'backends'),
    compute_nodes: nodeList(BackendResponse, 'compute nodes'),
  })
  .meta({ id: 'ClusterNodes' });

export type FrontendJson = z.output<typeof FrontendResponse>;
export type BackendJson = z.output<typeof BackendResponse>;
export type ClusterNodesJson = z.output<typeof ClusterNodesResponse>;
