/** Response schemas of the node lists, connection tests and exports (src/shared/overview-types.ts). */
import { z } from 'zod';
import type { BackendJson, ClusterNodesJson, ConnectionTestJson, DailyRowsJson, FrontendJson, SnapshotPageJson } from '../../shared/overview-types.js';
import { isoTime } from './http.js';

const n = () => z.number().nullable();
const s = () => z.string().nullable();

export const FrontendResponse = z
  .object({
    name: s(),
    host: s(),
    http_port: n(),
    query_port: n(),
    role: s().meta({ description: 'LEADER, FOLLOWER or OBSERVER' }),
    alive: z.boolean(),
    replayed_journal_id: n(),
    last_heartbeat: isoTime().nullable(),
    start_time: isoTime().nullable(),
    version: s(),
    err_msg: s(),
  })
  .meta({ id: 'Frontend' }) satisfies z.ZodType<FrontendJson>;

export const BackendResponse = z
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
  .meta({ id: 'Backend' }) satisfies z.ZodType<BackendJson>;

const nodeList = <T extends z.ZodType>(node: T, what: string) =>
  z.object({ collected_at: isoTime(), nodes: z.array(node) }).nullable().meta({ description: `The ${what} as last collected; null when never collected` });

export const ClusterNodesResponse = z
  .object({
    cluster_id: z.number(),
    frontends: nodeList(FrontendResponse, 'frontends'),
    backends: nodeList(BackendResponse, 'backends'),
    compute_nodes: nodeList(BackendResponse, 'compute nodes'),
  })
  .meta({ id: 'ClusterNodes' }) satisfies z.ZodType<ClusterNodesJson>;

export const ConnectionTestResponse = z
  .object({
    ok: z.boolean().meta({ description: 'Every source answered' }),
    version: s().meta({ description: 'Version of the leader FE, when the frontends list answered' }),
    checks: z.array(
      z.object({
        source: z.string().meta({ description: '`frontends`, `backends`, `compute_nodes`, `metrics HOST:PORT`, `runtime_info HOST:PORT`' }),
        ok: z.boolean(),
        duration_ms: z.number(),
        message: z.string().meta({ description: 'What came back (e.g. "3 frontends, leader fe1"), or the error' }),
        error_kind: s().meta({ description: 'refused, timeout, auth, http_status, malformed, network, query_failed or parse' }),
      }),
    ),
  })
  .meta({ id: 'ConnectionTest' }) satisfies z.ZodType<ConnectionTestJson>;

const exportRow = z.record(z.string(), z.union([z.number(), z.string(), z.null()]));

export const SnapshotPageResponse = z
  .object({
    cluster_id: z.number(),
    from: isoTime(),
    to: isoTime(),
    fields: z.array(z.string()).meta({ description: 'The columns of each row after collected_at' }),
    rows: z.array(exportRow).meta({ description: 'collected_at (ISO) and the fields asked for, oldest first' }),
    next_cursor: s().meta({ description: 'Pass as `cursor` for the next page; null on the last page' }),
  })
  .meta({ id: 'SnapshotPage' }) satisfies z.ZodType<SnapshotPageJson>;

export const DailyRowsResponse = z
  .object({
    cluster_id: z.number(),
    from: z.string().meta({ description: 'First day, YYYY-MM-DD' }),
    to: z.string().meta({ description: 'Last day, YYYY-MM-DD' }),
    rows: z.array(exportRow).meta({ description: 'snapshot_date, updated_at (ISO) and every daily column, oldest first' }),
  })
  .meta({ id: 'DailyRows' }) satisfies z.ZodType<DailyRowsJson>;

/** A CSV body, for routes that answer `format=csv`. */
export const CsvBody = z.string().meta({ description: 'RFC 4180 CSV with a header row' });
