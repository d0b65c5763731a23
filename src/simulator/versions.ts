/**
 * What changes between the StarRocks versions and the Doris flavour the simulator imitates:
 * column sets, body formats and metric shapes (StarRocks' `MetricRepo` and `BackendsProcDir` over
 * the releases, Doris' `BackendsProcDir`).
 */

export const SIM_VERSIONS = ['2.4', '3.0', '3.2', '3.3', '3.5', '4.0'] as const;
export type SimVersion = (typeof SIM_VERSIONS)[number];
export const SIM_ENGINES = ['starrocks', 'doris'] as const;
export type SimEngine = (typeof SIM_ENGINES)[number];
export const SIM_MODES = ['shared_nothing', 'shared_data'] as const;
export type SimMode = (typeof SIM_MODES)[number];
/** Doris releases whose node lists differ (Doris sends them without titles over HTTP). */
export const SIM_DORIS_VERSIONS = ['2.1', '3.0', 'master'] as const;
export type SimDorisVersion = (typeof SIM_DORIS_VERSIONS)[number];
/** What a cluster's nodes are listed as: backends, or compute nodes (`SHOW COMPUTE NODES`). */
export const SIM_NODE_KINDS = ['backend', 'compute_node'] as const;
export type SimNodeKind = (typeof SIM_NODE_KINDS)[number];

export interface VersionProfile {
  readonly version: SimVersion;
  /** The build string in `Version` columns. */
  readonly buildString: string;
  /** `/api/show_proc` rows as arrays of strings (before PR #24334, i.e. up to 3.0). */
  readonly procArrays: boolean;
  /** Capacities below 1 KB print as `0.000 ` (≤ 3.0). */
  readonly emptyUnitBelowKb: boolean;
  /** `starrocks_fe_connection_total{user=...}` instead of one unlabelled series (PR #51226). */
  readonly perUserConnections: boolean;
  /** `is_leader` as the first label of leader-aware families (PR #59883, #63004). */
  readonly isLeaderLabels: boolean;
  /** `table_num` and `db_size_bytes` interleaved per database, as 3.5 prints them. */
  readonly splitsDbFamilies: boolean;
  /** 3.4+ families: analysis/internal error counters, txn_running, db_size_bytes, http metrics. */
  readonly has34Families: boolean;
  /** `node_info{type="fe_node_num", state="alive"}` and `safe_mode` (3.3 era). */
  readonly has33Families: boolean;
  /** Query queue counters (3.1+). */
  readonly hasQueryQueue: boolean;
  /** `cn_node_num` in `node_info` (3.x). */
  readonly hasComputeNodes: boolean;
  readonly backendColumns: readonly string[];
  readonly frontendColumns: readonly string[];
  readonly computeNodeColumns: readonly string[];
  /** Appended to the compute-node list of a shared-data cluster. */
  readonly sharedDataComputeExtra: readonly string[];
}

const BACKENDS_24 = [
  'BackendId', 'IP', 'HeartbeatPort', 'BePort', 'HttpPort', 'BrpcPort', 'LastStartTime', 'LastHeartbeat',
  'Alive', 'SystemDecommissioned', 'ClusterDecommissioned', 'TabletNum', 'DataUsedCapacity', 'AvailCapacity',
  'TotalCapacity', 'UsedPct', 'MaxDiskUsedPct', 'ErrMsg', 'Version', 'Status', 'DataTotalCapacity',
  'DataUsedPct', 'CpuCores',
] as const;
const BACKENDS_30 = [...BACKENDS_24, 'NumRunningQueries', 'MemUsedPct', 'CpuUsedPct'] as const;
const BACKENDS_32 = [...BACKENDS_30, 'DataCacheMetrics', 'location'] as const;
const BACKENDS_33 = [...BACKENDS_24, 'MemLimit', 'NumRunningQueries', 'MemUsedPct', 'CpuUsedPct', 'DataCacheMetrics', 'Location'] as const;
const BACKENDS_34 = [...BACKENDS_33, 'StatusCode'] as const;

const FRONTENDS_3X = [
  'Name', 'IP', 'EditLogPort', 'HttpPort', 'QueryPort', 'RpcPort', 'Role', 'ClusterId', 'Join', 'Alive',
  'ReplayedJournalId', 'LastHeartbeat', 'IsHelper', 'ErrMsg', 'StartTime', 'Version',
] as const;

/** StarRocks 2.4/2.5 `ComputeNodeProcDir`: no figures, the node's resource groups third. */
const COMPUTE_NODES_24 = [
  'ComputeNodeId', 'IP', 'ResourceGroup', 'HeartbeatPort', 'BePort', 'HttpPort', 'BrpcPort', 'LastStartTime',
  'LastHeartbeat', 'Alive', 'SystemDecommissioned', 'ClusterDecommissioned', 'ErrMsg', 'Version',
] as const;
const COMPUTE_NODES = [
  'ComputeNodeId', 'IP', 'HeartbeatPort', 'BePort', 'HttpPort', 'BrpcPort', 'LastStartTime', 'LastHeartbeat',
  'Alive', 'SystemDecommissioned', 'ClusterDecommissioned', 'ErrMsg', 'Version', 'CpuCores',
  'NumRunningQueries', 'MemUsedPct', 'CpuUsedPct', 'HasStoragePath',
] as const;

/** Appended on shared-data clusters (3.0 `BackendsProcDir`; fixtures 3.2.0 and 3.3.0-rc01). */
export const SHARED_DATA_BACKEND_EXTRA = ['StarletPort', 'WorkerId'] as const;
const SHARED_DATA_COMPUTE_EXTRA = ['StarletPort', 'WorkerId', 'WarehouseName', 'TabletNum'] as const;

/**
 * Doris `SHOW BACKENDS` / `SHOW FRONTENDS` (apache/doris BackendsProcDir, FrontendsProcNode):
 * `Host` for `IP`, no CPU or memory percentages, no `ClusterDecommissioned`. 2.1 ends at
 * `NodeRole` and misspells `TrashUsedCapcacity`; 3.0 appends `CpuCores`, `Memory`
 * (apache/doris#33885); master puts `CpuCores`, `Memory`, `RunningTasks` before `NodeRole`.
 */
const DORIS_BACKENDS_HEAD = [
  'BackendId', 'Host', 'HeartbeatPort', 'BePort', 'HttpPort', 'BrpcPort', 'ArrowFlightSqlPort', 'LastStartTime',
  'LastHeartbeat', 'Alive', 'SystemDecommissioned', 'TabletNum', 'DataUsedCapacity',
] as const;
const DORIS_BACKENDS_MIDDLE = [
  'AvailCapacity', 'TotalCapacity', 'UsedPct', 'MaxDiskUsedPct', 'RemoteUsedCapacity', 'Tag', 'ErrMsg', 'Version',
  'Status', 'HeartbeatFailureCounter',
] as const;
export const DORIS_BACKEND_COLUMNS: Record<SimDorisVersion, readonly string[]> = {
  '2.1': [...DORIS_BACKENDS_HEAD, 'TrashUsedCapcacity', ...DORIS_BACKENDS_MIDDLE, 'NodeRole'],
  '3.0': [...DORIS_BACKENDS_HEAD, 'TrashUsedCapacity', ...DORIS_BACKENDS_MIDDLE, 'NodeRole', 'CpuCores', 'Memory'],
  master: [...DORIS_BACKENDS_HEAD, 'TrashUsedCapacity', ...DORIS_BACKENDS_MIDDLE, 'CpuCores', 'Memory', 'RunningTasks', 'NodeRole'],
};
export const DORIS_FRONTEND_COLUMNS = [
  'Name', 'Host', 'EditLogPort', 'HttpPort', 'QueryPort', 'RpcPort', 'ArrowFlightSqlPort', 'Role', 'IsMaster',
  'ClusterId', 'Join', 'Alive', 'ReplayedJournalId', 'LastStartTime', 'LastHeartbeat', 'IsHelper', 'ErrMsg',
  'Version', 'CurrentConnected',
] as const;

const BASE = {
  procArrays: false,
  emptyUnitBelowKb: false,
  perUserConnections: true,
  isLeaderLabels: false,
  splitsDbFamilies: false,
  has34Families: false,
  has33Families: true,
  hasQueryQueue: true,
  hasComputeNodes: true,
  frontendColumns: FRONTENDS_3X,
  computeNodeColumns: COMPUTE_NODES,
  sharedDataComputeExtra: SHARED_DATA_COMPUTE_EXTRA,
} as const;

const PROFILES: Record<SimVersion, VersionProfile> = {
  '2.4': {
    ...BASE, version: '2.4', buildString: '2.4.5-b2e5a5e', procArrays: true, emptyUnitBelowKb: true,
    perUserConnections: false, has33Families: false, hasQueryQueue: false, hasComputeNodes: false,
    backendColumns: BACKENDS_24, computeNodeColumns: COMPUTE_NODES_24, sharedDataComputeExtra: [],
  },
  '3.0': {
    ...BASE, version: '3.0', buildString: '3.0.9-2b1bd43', procArrays: true, emptyUnitBelowKb: true,
    perUserConnections: false, has33Families: false, backendColumns: BACKENDS_30,
    sharedDataComputeExtra: SHARED_DATA_BACKEND_EXTRA,
  },
  '3.2': {
    ...BASE, version: '3.2', buildString: '3.2.11-4b5ed1e', perUserConnections: false, has33Families: false,
    backendColumns: BACKENDS_32,
  },
  '3.3': { ...BASE, version: '3.3', buildString: '3.3.8-a1b2c3d', backendColumns: BACKENDS_33 },
  '3.5': {
    ...BASE, version: '3.5', buildString: '3.5.6-6c8a5f3', isLeaderLabels: true, splitsDbFamilies: true,
    has34Families: true, backendColumns: BACKENDS_34,
  },
  '4.0': {
    ...BASE, version: '4.0', buildString: '4.0.2-1f1aa9c', isLeaderLabels: true, has34Families: true,
    backendColumns: BACKENDS_34, frontendColumns: ['Id', ...FRONTENDS_3X],
  },
};

export function versionProfile(version: SimVersion): VersionProfile {
  return PROFILES[version];
}

/** Doris prints its own build strings. */
export const DORIS_BUILD_STRINGS: Record<SimDorisVersion, string> = {
  '2.1': 'doris-2.1.0-rc11-2b1c1c5c7b',
  '3.0': 'doris-3.0.2-rc02-8d7ab20b4c',
  master: 'doris-0.0.0-trunk-049729a361',
};
