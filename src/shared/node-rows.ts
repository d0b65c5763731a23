/**
 * A cluster's node lists as Stellar reads them, whatever the version or engine: one row per
 * backend, compute node or frontend, cells already typed. The StarRocks client's parsers
 * produce them; the snapshot fields and the node presenters read them.
 */

export interface NodeRow {
  readonly kind: 'backend' | 'compute_node';
  readonly id: string | null;
  readonly host: string | null;
  readonly heartbeatPort: number | null;
  readonly httpPort: number | null;
  readonly alive: boolean;
  readonly decommissioned: boolean;
  readonly lastStartMs: number | null;
  readonly lastHeartbeatMs: number | null;
  readonly errMsg: string | null;
  readonly version: string | null;
  readonly tablets: number | null;
  readonly dataUsedBytes: number | null;
  readonly availBytes: number | null;
  readonly totalBytes: number | null;
  readonly maxDiskUsedPct: number | null;
  readonly cpuCores: number | null;
  readonly memLimitBytes: number | null;
  readonly runningQueries: number | null;
  readonly memUsedPct: number | null;
  readonly cpuUsedPct: number | null;
}

export interface FrontendRow {
  readonly name: string | null;
  readonly host: string | null;
  readonly httpPort: number | null;
  readonly queryPort: number | null;
  /** LEADER, FOLLOWER or OBSERVER (Doris: from IsMaster when Role says FOLLOWER). */
  readonly role: string | null;
  readonly alive: boolean;
  readonly replayedJournalId: number | null;
  readonly lastHeartbeatMs: number | null;
  readonly startTimeMs: number | null;
  readonly version: string | null;
  readonly errMsg: string | null;
}
