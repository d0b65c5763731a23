/**
 * The node lists that come without column titles, and the only ones Stellar reads by position:
 * `/api/show_proc` of StarRocks 2.4 to 3.0 (row arrays, before StarRocks/starrocks#24334) and of
 * every Doris release (its `ShowAction.show_proc` sends `result.getRows()` only). Each layout
 * is known by engine, list and cell count — no two layouts of one engine and list share a count
 * — and named after the FE source it was read from. The cells must also look like what the
 * layout says they are (an id an integer, `Alive` a boolean, a capacity a capacity), so a
 * release that moved its columns without changing their number is refused, never misread.
 */
import type { Engine } from '../../shared/cluster-kinds.js';
import { parseBoolean, parseCapacity, parseFeTime, parseInteger, parsePercent } from './proc-values.js';

export type NodeListName = 'backends' | 'compute_nodes' | 'frontends';

export class NodeListError extends Error {}

export interface RowLayout {
  readonly engine: Engine;
  readonly list: NodeListName;
  /** The releases that send it, as the compatibility table names them. */
  readonly releases: string;
  readonly titles: readonly string[];
}

// StarRocks BackendsProcDir.java, branch-2.4 and branch-2.5: 23 columns ending at CpuCores (the
// 2.4 example of docs/en/sql-reference/sql-statements/cluster-management/nodes_processes/SHOW_BACKENDS.md too).
const SR_BACKENDS_24 = [
  'BackendId', 'IP', 'HeartbeatPort', 'BePort', 'HttpPort', 'BrpcPort', 'LastStartTime', 'LastHeartbeat', 'Alive',
  'SystemDecommissioned', 'ClusterDecommissioned', 'TabletNum', 'DataUsedCapacity', 'AvailCapacity', 'TotalCapacity',
  'UsedPct', 'MaxDiskUsedPct', 'ErrMsg', 'Version', 'Status', 'DataTotalCapacity', 'DataUsedPct', 'CpuCores',
];
// StarRocks BackendsProcDir.java, branch-3.0: NumRunningQueries, MemUsedPct, CpuUsedPct appended
// (backported to 3.0, StarRocks/docs.zh-cn#5126).
const SR_BACKENDS_30 = [...SR_BACKENDS_24, 'NumRunningQueries', 'MemUsedPct', 'CpuUsedPct'];
// StarRocks ComputeNodeProcDir.java of the 2.4/2.5 era (GlobalStateMgr, before the 3.0 figures;
// read from a fork's copy, not a release tag): 14 columns, the node's resource groups third, no figures.
const SR_COMPUTE_NODES_24 = [
  'ComputeNodeId', 'IP', 'ResourceGroup', 'HeartbeatPort', 'BePort', 'HttpPort', 'BrpcPort', 'LastStartTime',
  'LastHeartbeat', 'Alive', 'SystemDecommissioned', 'ClusterDecommissioned', 'ErrMsg', 'Version',
];
// StarRocks ComputeNodeProcDir.java, branch-3.0: 18 columns ending at HasStoragePath.
const SR_COMPUTE_NODES_30 = [
  'ComputeNodeId', 'IP', 'HeartbeatPort', 'BePort', 'HttpPort', 'BrpcPort', 'LastStartTime', 'LastHeartbeat', 'Alive',
  'SystemDecommissioned', 'ClusterDecommissioned', 'ErrMsg', 'Version', 'CpuCores', 'NumRunningQueries', 'MemUsedPct',
  'CpuUsedPct', 'HasStoragePath',
];
// Both 3.0 procs append these when `RunMode.allowCreateLakeTable()` (a shared-data cluster).
const SR_SHARED_DATA_30 = ['StarletPort', 'WorkerId'];
// StarRocks FrontendsProcNode.java, branch-2.4 to branch-3.0.
const SR_FRONTENDS_24 = [
  'Name', 'IP', 'EditLogPort', 'HttpPort', 'QueryPort', 'RpcPort', 'Role', 'ClusterId', 'Join', 'Alive',
  'ReplayedJournalId', 'LastHeartbeat', 'IsHelper', 'ErrMsg', 'StartTime', 'Version',
];

// Doris BackendsProcDir.java, branch-2.1 (a doris-2.1.0 `SHOW BACKENDS` shows the same 25, with
// the `TrashUsedCapcacity` misspelling).
const DORIS_BACKENDS_21_HEAD = [
  'BackendId', 'Host', 'HeartbeatPort', 'BePort', 'HttpPort', 'BrpcPort', 'ArrowFlightSqlPort', 'LastStartTime',
  'LastHeartbeat', 'Alive', 'SystemDecommissioned', 'TabletNum', 'DataUsedCapacity',
];
const DORIS_BACKENDS_21_TAIL = [
  'AvailCapacity', 'TotalCapacity', 'UsedPct', 'MaxDiskUsedPct', 'RemoteUsedCapacity', 'Tag', 'ErrMsg', 'Version',
  'Status', 'HeartbeatFailureCounter',
];
const DORIS_BACKENDS_21 = [...DORIS_BACKENDS_21_HEAD, 'TrashUsedCapcacity', ...DORIS_BACKENDS_21_TAIL, 'NodeRole'];
// Doris BackendsProcDir.java, branch-3.0: CpuCores and Memory after NodeRole (apache/doris#33885;
// a doris-3.0.2 `SHOW BACKENDS` shows these 27).
const DORIS_BACKENDS_30 = [...DORIS_BACKENDS_21_HEAD, 'TrashUsedCapacity', ...DORIS_BACKENDS_21_TAIL, 'NodeRole', 'CpuCores', 'Memory'];
// Doris BackendsProcDir.java, master: RunningTasks added and NodeRole moved last (28 columns).
const DORIS_BACKENDS_MAIN = [...DORIS_BACKENDS_21_HEAD, 'TrashUsedCapacity', ...DORIS_BACKENDS_21_TAIL, 'CpuCores', 'Memory', 'RunningTasks', 'NodeRole'];
// Doris FrontendsProcNode.java, branch-2.1 to master.
const DORIS_FRONTENDS_21 = [
  'Name', 'Host', 'EditLogPort', 'HttpPort', 'QueryPort', 'RpcPort', 'ArrowFlightSqlPort', 'Role', 'IsMaster', 'ClusterId',
  'Join', 'Alive', 'ReplayedJournalId', 'LastStartTime', 'LastHeartbeat', 'IsHelper', 'ErrMsg', 'Version', 'CurrentConnected',
];

export const ROW_LAYOUTS: readonly RowLayout[] = [
  { engine: 'starrocks', list: 'backends', releases: '2.4/2.5', titles: SR_BACKENDS_24 },
  { engine: 'starrocks', list: 'backends', releases: '3.0 shared-nothing', titles: SR_BACKENDS_30 },
  { engine: 'starrocks', list: 'backends', releases: '3.0 shared-data', titles: [...SR_BACKENDS_30, ...SR_SHARED_DATA_30] },
  { engine: 'starrocks', list: 'compute_nodes', releases: '2.4/2.5', titles: SR_COMPUTE_NODES_24 },
  { engine: 'starrocks', list: 'compute_nodes', releases: '3.0 shared-nothing', titles: SR_COMPUTE_NODES_30 },
  { engine: 'starrocks', list: 'compute_nodes', releases: '3.0 shared-data', titles: [...SR_COMPUTE_NODES_30, ...SR_SHARED_DATA_30] },
  { engine: 'starrocks', list: 'frontends', releases: '2.4 to 3.0', titles: SR_FRONTENDS_24 },
  { engine: 'doris', list: 'backends', releases: '2.1', titles: DORIS_BACKENDS_21 },
  { engine: 'doris', list: 'backends', releases: '3.0', titles: DORIS_BACKENDS_30 },
  { engine: 'doris', list: 'backends', releases: 'master (after 3.0)', titles: DORIS_BACKENDS_MAIN },
  { engine: 'doris', list: 'frontends', releases: '2.1 and later', titles: DORIS_FRONTENDS_21 },
];

const isBlank = (cell: string | null): boolean => cell === null || cell.trim() === '' || ['NULL', 'N/A'].includes(cell.trim().toUpperCase());
const integer = (cell: string | null): boolean => parseInteger(cell) !== null;
const oneOf = (...values: string[]) => (cell: string | null): boolean => values.includes((cell ?? '').trim().toUpperCase());

/** What a cell under a title must look like; a blank or `NULL` cell fits any title. */
const SHAPES: Record<string, (cell: string | null) => boolean> = {
  Alive: (c) => parseBoolean(c) !== null,
  NodeRole: oneOf('MIX', 'COMPUTATION'),
  Role: oneOf('LEADER', 'MASTER', 'FOLLOWER', 'OBSERVER', 'UNKNOWN'),
};
for (const t of ['SystemDecommissioned', 'ClusterDecommissioned', 'Join', 'IsHelper', 'IsMaster', 'HasStoragePath']) SHAPES[t] = (c) => parseBoolean(c) !== null;
for (const t of ['BackendId', 'ComputeNodeId', 'HeartbeatPort', 'BePort', 'HttpPort', 'BrpcPort', 'ArrowFlightSqlPort', 'TabletNum', 'CpuCores', 'NumRunningQueries', 'RunningTasks', 'HeartbeatFailureCounter', 'EditLogPort', 'QueryPort', 'RpcPort', 'ClusterId', 'ReplayedJournalId', 'StarletPort', 'WorkerId']) SHAPES[t] = integer;
for (const t of ['DataUsedCapacity', 'TrashUsedCapcacity', 'TrashUsedCapacity', 'AvailCapacity', 'TotalCapacity', 'DataTotalCapacity', 'RemoteUsedCapacity', 'Memory']) SHAPES[t] = (c) => parseCapacity(c) !== null;
for (const t of ['UsedPct', 'MaxDiskUsedPct', 'DataUsedPct', 'MemUsedPct', 'CpuUsedPct']) SHAPES[t] = (c) => parsePercent(c) !== null && (c ?? '').includes('%');
for (const t of ['LastStartTime', 'LastHeartbeat', 'StartTime']) SHAPES[t] = (c) => parseFeTime(c) !== null;

const ENGINE_NAMES: Record<Engine, string> = { starrocks: 'StarRocks', doris: 'Doris' };

/**
 * The titles of rows that came without them: the layout of this engine and list with their cell
 * count, once every row fits it. Otherwise a NodeListError that says what came and what is known.
 */
export function titlesOfRows(engine: Engine, list: NodeListName, rows: readonly (readonly (string | null)[])[]): readonly string[] {
  const what = list.replace('_', ' ');
  const cells = rows[0]?.length ?? 0;
  const layouts = ROW_LAYOUTS.filter((l) => l.engine === engine && l.list === list);
  const layout = layouts.find((l) => l.titles.length === cells);
  const known = layouts.map((l) => `${l.titles.length} (${ENGINE_NAMES[engine]} ${l.releases})`).join(', ') || 'none';
  const advice = 'SHOW statements over MySQL (node_list_source mysql) name their columns';
  if (layout === undefined) {
    throw new NodeListError(`${what}: rows without titles of ${cells} cells match no known ${ENGINE_NAMES[engine]} layout (known: ${known}); ${advice}`);
  }
  for (const [i, row] of rows.entries()) {
    if (row.length !== cells) throw new NodeListError(`${what}: row ${i + 1} has ${row.length} cells where row 1 has ${cells}`);
    for (const [j, title] of layout.titles.entries()) {
      const cell = row[j] ?? null;
      const fits = SHAPES[title];
      if (fits !== undefined && !isBlank(cell) && !fits(cell)) {
        throw new NodeListError(
          `${what}: rows of ${cells} cells do not fit the ${ENGINE_NAMES[engine]} ${layout.releases} layout (row ${i + 1}, cell ${j + 1} is not a ${title}); ${advice}`,
        );
      }
    }
  }
  return layout.titles;
}
