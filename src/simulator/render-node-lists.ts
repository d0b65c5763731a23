/**
 * The node lists (`/api/show_proc?path=/backends|/frontends|/compute_nodes`, `SHOW BACKENDS`, …)
 * as column titles and string cells, in each version's columns and value formats
 * (StarRocks' `BackendsProcDir`, `FrontendsProcNode`, `ComputeNodeProcDir`; Doris' `BackendsProcDir`).
 * HTTP and MySQL render the same table.
 */
import { type BeValues, beValues } from './be-values.js';
import type { ClusterModel } from './cluster-model.js';
import { feValues } from './fe-values.js';
import { capacityString, cpuPercentString, dorisBytesString, feTimeString, percentString, prettyBytesString } from './java-format.js';
import { DORIS_BACKEND_COLUMNS, DORIS_FRONTEND_COLUMNS, SHARED_DATA_BACKEND_EXTRA } from './versions.js';

export interface NodeTable {
  readonly columns: readonly string[];
  readonly rows: readonly (readonly (string | null)[])[];
}

export interface ViewOptions {
  /** A follower's own view lags the leader's (StarRocks/starrocks#29638, #44563). */
  readonly staleFollowerView: boolean;
  /** Which FE answers: the answering FE always reports itself alive. */
  readonly answeringFe: number;
}

const STALE_SEC = 45;

function table(columns: readonly string[], cells: readonly Record<string, string | null>[]): NodeTable {
  return { columns, rows: cells.map((row) => columns.map((c) => row[c] ?? '')) };
}

/** Is this a follower's stale view, and if so, the instant it reflects. */
function viewInstant(model: ClusterModel, tMs: number, view: ViewOptions): { stale: boolean; atMs: number } {
  const stale = view.staleFollowerView && model.leaderAt(tMs) !== view.answeringFe;
  return { stale, atMs: stale ? tMs - STALE_SEC * 1000 : tMs };
}

function commonNodeCells(model: ClusterModel, b: BeValues, stale: boolean): Record<string, string> {
  // Doris' `DebugUtil.getByteUint` leaves the unit empty below 1 KB in every release.
  const emptyUnit = model.engine === 'doris' || model.profile.emptyUnitBelowKb;
  return {
    IP: b.be.ip,
    Host: b.be.ip,
    HeartbeatPort: '9050',
    BePort: '9060',
    HttpPort: String(b.be.httpPort),
    BrpcPort: '8060',
    ArrowFlightSqlPort: '-1',
    LastStartTime: feTimeString(b.lastStartMs),
    LastHeartbeat: feTimeString(b.lastHeartbeatMs),
    Alive: String(b.alive),
    SystemDecommissioned: 'false',
    ClusterDecommissioned: 'false',
    TabletNum: String(b.tablets),
    DataUsedCapacity: capacityString(b.dataUsedBytes, emptyUnit),
    AvailCapacity: capacityString(b.availBytes, emptyUnit),
    TotalCapacity: capacityString(b.totalBytes, emptyUnit),
    UsedPct: percentString(b.usedPct),
    MaxDiskUsedPct: percentString(b.maxDiskUsedPct),
    ErrMsg: b.errMsg,
    Version: model.buildString,
    Status: JSON.stringify({ lastSuccessReportTabletsTime: feTimeString(b.lastReportMs) }),
    DataTotalCapacity: capacityString(b.dataUsedBytes + b.availBytes, emptyUnit),
    DataUsedPct: percentString((b.dataUsedBytes / (b.dataUsedBytes + b.availBytes)) * 100),
    CpuCores: String(b.be.cores),
    MemLimit: prettyBytesString(b.be.memLimitBytes),
    NumRunningQueries: String(b.runningQueries),
    // A follower's local view of these is zero (StarRocks/starrocks#44563).
    MemUsedPct: percentString(stale ? 0 : b.memUsedPct),
    CpuUsedPct: cpuPercentString(stale ? 0 : b.cpuUsedPct),
    DataCacheMetrics: model.spec.mode === 'shared_data' ? 'Status: Normal, DiskUsage: 0B/0B, MemUsage: 0B/0B' : 'N/A',
    Location: '',
    location: '',
    StatusCode: b.alive ? 'OK' : 'DISCONNECTED',
    StarletPort: '9070',
    WorkerId: String(b.be.index + 1),
    WarehouseName: 'default_warehouse',
    HasStoragePath: 'true',
    ResourceGroup: '',
    // Doris-only columns.
    TrashUsedCapacity: capacityString(0, true),
    TrashUsedCapcacity: capacityString(0, true),
    RemoteUsedCapacity: capacityString(0, true),
    Tag: '{"location" : "default"}',
    HeartbeatFailureCounter: b.alive ? '0' : '3',
    NodeRole: 'mix',
    Memory: dorisBytesString(b.be.memLimitBytes),
    RunningTasks: String(b.runningQueries * 4),
  };
}

export function backendsTable(model: ClusterModel, tMs: number, view: ViewOptions): NodeTable {
  const doris = model.engine === 'doris';
  const shared = model.spec.mode === 'shared_data';
  const columns = doris ? DORIS_BACKEND_COLUMNS[model.dorisVersion] : shared ? [...model.profile.backendColumns, ...SHARED_DATA_BACKEND_EXTRA] : model.profile.backendColumns;
  // When the nodes are compute nodes, the backend list is empty.
  if (model.nodesAreComputeNodes) return { columns, rows: [] };
  const { stale, atMs } = viewInstant(model, tMs, view);
  const cells = model.bes.map((be) => {
    const b = beValues(model, be.index, atMs);
    return { ...commonNodeCells(model, b, stale), BackendId: String(be.id) };
  });
  return table(columns, cells);
}

export function computeNodesTable(model: ClusterModel, tMs: number, view: ViewOptions): NodeTable {
  const shared = model.spec.mode === 'shared_data';
  const columns = shared ? [...model.profile.computeNodeColumns, ...model.profile.sharedDataComputeExtra] : model.profile.computeNodeColumns;
  if (!model.nodesAreComputeNodes) return { columns, rows: [] };
  const { stale, atMs } = viewInstant(model, tMs, view);
  const cells = model.bes.map((be) => {
    const b = beValues(model, be.index, atMs);
    return { ...commonNodeCells(model, b, stale), ComputeNodeId: String(be.id) };
  });
  return table(columns, cells);
}

export function frontendsTable(model: ClusterModel, tMs: number, view: ViewOptions): NodeTable {
  const doris = model.engine === 'doris';
  const columns = doris ? DORIS_FRONTEND_COLUMNS : model.profile.frontendColumns;
  const leader = model.leaderAt(tMs);
  const leaderJournal = feValues(model, leader, tMs).maxJournalId;
  const cells = model.fes.map((fe) => {
    const v = feValues(model, fe.index, tMs);
    const alive = v.alive || fe.index === view.answeringFe;
    const role = fe.index === leader ? 'LEADER' : fe.index >= 3 ? 'OBSERVER' : 'FOLLOWER';
    const beatMs = alive ? tMs - ((fe.index * 1700) % 5000) : v.startMs;
    return {
      Id: String(fe.index + 1),
      Name: `${fe.host}_${9010 + fe.index}_${fe.joinedMs}`,
      IP: fe.host,
      Host: fe.host,
      EditLogPort: String(9010 + fe.index),
      HttpPort: String(fe.httpPort),
      QueryPort: String(model.queryPort),
      RpcPort: '9020',
      ArrowFlightSqlPort: '-1',
      Role: role,
      IsMaster: String(fe.index === leader),
      ClusterId: String(model.clusterId),
      Join: 'true',
      Alive: String(alive),
      ReplayedJournalId: String(alive ? v.maxJournalId : Math.min(v.maxJournalId, leaderJournal)),
      LastStartTime: feTimeString(v.startMs),
      LastHeartbeat: feTimeString(beatMs),
      IsHelper: String(fe.index === 0),
      ErrMsg: alive ? '' : 'got exception',
      StartTime: alive ? feTimeString(v.startMs) : 'NULL',
      Version: model.buildString,
      CurrentConnected: String(fe.index === view.answeringFe ? 'Yes' : 'No'),
    };
  });
  return table(columns, cells);
}
