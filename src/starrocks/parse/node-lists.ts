/**
 * Backends, compute nodes and frontends read by column **title**, whatever the version: 3.x
 * objects, 4.x's leading `Id`, 3.2's lower-case `location`, Doris' `Host` for `IP`
 * (StarRocks/starrocks#24334 brought the objects; apache/doris#33885 shows Doris' columns).
 * Rows that came without titles (StarRocks ≤ 3.0 and every Doris over HTTP) get the titles of
 * the one known layout they fit (node-layouts.ts), or the table is refused. A row with an odd
 * cell keeps its other cells.
 */
import type { Engine } from '../../shared/cluster-kinds.js';
import type { FrontendRow, NodeRow } from '../../shared/node-rows.js';
import type { ProcTable } from '../proc-table.js';
import { type NodeListName, titlesOfRows } from './node-layouts.js';
import { parseBoolean, parseCapacity, parseFeTime, parseInteger, parsePercent, parseText } from './proc-values.js';

export type { FrontendRow, NodeRow } from '../../shared/node-rows.js';
export { NodeListError } from './node-layouts.js';

/**
 * The version a frontends list shows: the leader's, else any FE's. Loose rows too (as stored
 * in cluster_nodes, written by any collector version): a value that is not a string is none.
 */
export function frontendsVersion(frontends: readonly { readonly role?: unknown; readonly version?: unknown }[]): string | null {
  const leader = frontends.find((f) => f.role === 'LEADER' && typeof f.version === 'string');
  const version = (leader ?? frontends.find((f) => typeof f.version === 'string'))?.version;
  return typeof version === 'string' ? version : null;
}

export interface NodeListOptions {
  readonly engine: Engine;
  /** Minutes east of UTC of the FE's clock, for its `yyyy-MM-dd HH:mm:ss` times. */
  readonly feTimeOffsetMinutes?: number;
}

/**
 * Cell access by title, case-insensitively (3.2 writes `location`, others `Location`). A title's
 * column is found once per table, not once per row.
 */
function byTitle(table: ProcTable, engine: Engine, list: NodeListName): Array<(title: string) => string | null> {
  const titles = table.columns ?? (table.rows.length === 0 ? [] : titlesOfRows(engine, list, table.rows));
  const index = new Map<string, number>();
  for (const [i, t] of titles.entries()) index.set(t.toLowerCase(), i);
  const columns = new Map<string, number | undefined>();
  const columnOf = (title: string): number | undefined => {
    if (columns.has(title)) return columns.get(title);
    const i = index.get(title.toLowerCase());
    columns.set(title, i);
    return i;
  };
  return table.rows.map((row) => (title: string) => {
    const i = columnOf(title);
    return i === undefined ? null : (row[i] ?? null);
  });
}

export function parseNodeRows(table: ProcTable, kind: NodeRow['kind'], options: NodeListOptions): NodeRow[] {
  const offset = options.feTimeOffsetMinutes ?? 0;
  return byTitle(table, options.engine, kind === 'backend' ? 'backends' : 'compute_nodes').map((cell) => ({
    kind,
    id: parseText(cell(kind === 'backend' ? 'BackendId' : 'ComputeNodeId') ?? cell('BackendId')),
    host: parseText(cell('IP') ?? cell('Host')),
    heartbeatPort: parseInteger(cell('HeartbeatPort')),
    httpPort: parseInteger(cell('HttpPort')),
    alive: parseBoolean(cell('Alive')) === true,
    decommissioned: parseBoolean(cell('SystemDecommissioned')) === true || parseBoolean(cell('ClusterDecommissioned')) === true,
    lastStartMs: parseFeTime(cell('LastStartTime'), offset),
    lastHeartbeatMs: parseFeTime(cell('LastHeartbeat'), offset),
    errMsg: parseText(cell('ErrMsg')),
    version: parseText(cell('Version')),
    tablets: parseInteger(cell('TabletNum')),
    dataUsedBytes: parseCapacity(cell('DataUsedCapacity')),
    availBytes: parseCapacity(cell('AvailCapacity')),
    totalBytes: parseCapacity(cell('TotalCapacity')),
    maxDiskUsedPct: parsePercent(cell('MaxDiskUsedPct')),
    cpuCores: parseInteger(cell('CpuCores')),
    memLimitBytes: parseCapacity(cell('MemLimit') ?? cell('Memory')),
    runningQueries: parseInteger(cell('NumRunningQueries')),
    memUsedPct: parsePercent(cell('MemUsedPct')),
    cpuUsedPct: parsePercent(cell('CpuUsedPct')),
  }));
}

export function parseFrontendRows(table: ProcTable, options: NodeListOptions): FrontendRow[] {
  const offset = options.feTimeOffsetMinutes ?? 0;
  return byTitle(table, options.engine, 'frontends').map((cell) => {
    const role = parseText(cell('Role'));
    return {
      name: parseText(cell('Name')),
      host: parseText(cell('IP') ?? cell('Host')),
      httpPort: parseInteger(cell('HttpPort')),
      queryPort: parseInteger(cell('QueryPort')),
      // Doris marks the master in IsMaster and calls it FOLLOWER in Role.
      role: parseBoolean(cell('IsMaster')) === true ? 'LEADER' : role === 'MASTER' ? 'LEADER' : role,
      alive: parseBoolean(cell('Alive')) === true,
      replayedJournalId: parseInteger(cell('ReplayedJournalId')),
      lastHeartbeatMs: parseFeTime(cell('LastHeartbeat'), offset),
      startTimeMs: parseFeTime(cell('StartTime') ?? cell('LastStartTime'), offset),
      version: parseText(cell('Version')),
      errMsg: parseText(cell('ErrMsg')),
    };
  });
}
