/**
 * The node lists kept in cluster_nodes (JSON of the collector's NodeRow and FrontendRow:
 * camelCase, epoch ms) → BackendJson and FrontendJson (snake_case, ISO times). The stored JSON
 * is read field by field, so a row written by an older collector (a field missing or of
 * another type) shows nulls there instead of failing the request.
 */
import type { BackendJson, ClusterNodesJson, FrontendJson } from '../../shared/api/nodes.js';
import { type FrontendRow, frontendsVersion, type NodeRow } from '../../starrocks/parse/node-lists.js';
import type { ClusterNodesRow } from '../../storage/repos/nodes.repo.js';

/** A row as stored: the keys of T (so a rename in node-lists.ts breaks this file), any values. */
type Stored<T> = { readonly [K in keyof T]?: unknown };
type Loose = Readonly<Record<string, unknown>>;

function num<T>(o: Stored<T>, key: keyof T): number | null {
  const value = o[key];
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}
function str<T>(o: Stored<T>, key: keyof T): string | null {
  const value = o[key];
  return typeof value === 'string' ? value : null;
}
const bool = <T>(o: Stored<T>, key: keyof T): boolean => o[key] === true;
function time<T>(o: Stored<T>, key: keyof T): string | null {
  const ms = num(o, key);
  return ms === null || Math.abs(ms) > 8.64e15 ? null : new Date(ms).toISOString();
}

export function presentFrontend(row: Stored<FrontendRow>): FrontendJson {
  return {
    name: str(row, 'name'),
    host: str(row, 'host'),
    http_port: num(row, 'httpPort'),
    query_port: num(row, 'queryPort'),
    role: str(row, 'role'),
    alive: bool(row, 'alive'),
    replayed_journal_id: num(row, 'replayedJournalId'),
    last_heartbeat: time(row, 'lastHeartbeatMs'),
    start_time: time(row, 'startTimeMs'),
    version: str(row, 'version'),
    err_msg: str(row, 'errMsg'),
  };
}

export function presentBackend(row: Stored<NodeRow>, kind: BackendJson['kind']): BackendJson {
  return {
    kind,
    id: str(row, 'id'),
    host: str(row, 'host'),
    heartbeat_port: num(row, 'heartbeatPort'),
    http_port: num(row, 'httpPort'),
    alive: bool(row, 'alive'),
    decommissioned: bool(row, 'decommissioned'),
    last_start_time: time(row, 'lastStartMs'),
    last_heartbeat: time(row, 'lastHeartbeatMs'),
    err_msg: str(row, 'errMsg'),
    version: str(row, 'version'),
    tablets: num(row, 'tablets'),
    data_used_bytes: num(row, 'dataUsedBytes'),
    avail_bytes: num(row, 'availBytes'),
    total_bytes: num(row, 'totalBytes'),
    max_disk_used_pct: num(row, 'maxDiskUsedPct'),
    cpu_cores: num(row, 'cpuCores'),
    mem_limit_bytes: num(row, 'memLimitBytes'),
    running_queries: num(row, 'runningQueries'),
    mem_used_pct: num(row, 'memUsedPct'),
    cpu_used_pct: num(row, 'cpuUsedPct'),
  };
}

/** The stored list as objects; null when absent or not a JSON array. */
function rowsOf(json: string | null): Loose[] | null {
  if (json === null) return null;
  try {
    const parsed: unknown = JSON.parse(json);
    return Array.isArray(parsed) ? parsed.filter((r): r is Loose => typeof r === 'object' && r !== null) : null;
  } catch {
    return null;
  }
}

function list<T>(json: string | null, at: number | null, present: (row: Loose) => T): { collected_at: string; nodes: T[] } | null {
  const rows = rowsOf(json);
  if (rows === null || at === null) return null;
  return { collected_at: new Date(at).toISOString(), nodes: rows.map(present) };
}

export function presentClusterNodes(clusterId: number, row: ClusterNodesRow | undefined): ClusterNodesJson {
  return {
    cluster_id: clusterId,
    frontends: list(row?.frontends ?? null, row?.frontends_at ?? null, presentFrontend),
    backends: list(row?.backends ?? null, row?.backends_at ?? null, (r) => presentBackend(r, 'backend')),
    compute_nodes: list(row?.compute_nodes ?? null, row?.compute_nodes_at ?? null, (r) => presentBackend(r, 'compute_node')),
  };
}

/** The cluster's version as its frontends list last showed it. */
export function clusterVersion(row: Pick<ClusterNodesRow, 'frontends'> | undefined): string | null {
  return frontendsVersion(rowsOf(row?.frontends ?? null) ?? []);
}
