/** Nodes (from the node lists) and the resources of alive backends and compute nodes. */
import type { NodeRow } from '../node-rows.js';
import { type FieldInputs, field, type FieldSpec, type FieldValue } from './field-spec.js';
import { maxOf, meanOf, percentOf, sumOf } from './nullable-math.js';

const BACKENDS = 'backends and compute nodes (`/api/show_proc` or `SHOW BACKENDS`/`SHOW COMPUTE NODES`)';
const FRONTENDS = 'frontends (`/api/show_proc?path=/frontends` or `SHOW FRONTENDS`)';

type Compute = (x: FieldInputs) => FieldValue;
/** A field read from the node lists: the same on both engines, which the lists' parsers align. */
const fromLists = (compute: Compute, source: string, formula: string) => ({ value: { type: 'custom' as const, counters: [], compute }, doc: { source, formula } });

const count = <T>(rows: readonly T[] | null, keep: (row: T) => boolean = () => true): number | null => (rows ? rows.filter(keep).length : null);
/** Alive backends and compute nodes. */
const aliveNodes = (x: FieldInputs): NodeRow[] => [...(x.backends ?? []), ...(x.computeNodes ?? [])].filter((n) => n.alive);
const aliveBackends = (x: FieldInputs): NodeRow[] => (x.backends ?? []).filter((n) => n.alive);
const leaderRow = (x: FieldInputs) => x.frontends?.find((f) => f.role === 'LEADER');

function journalLag(x: FieldInputs): number | null {
  const leader = leaderRow(x)?.replayedJournalId ?? null;
  const alive = (x.frontends ?? []).filter((f) => f.alive).map((f) => f.replayedJournalId).filter((j): j is number => j !== null);
  return leader === null || alive.length === 0 ? null : Math.max(0, leader - Math.min(...alive));
}

function oldestHeartbeat(x: FieldInputs): number | null {
  const ages = [...(x.backends ?? []), ...(x.computeNodes ?? [])].filter((n) => n.alive && n.lastHeartbeatMs !== null).map((n) => (x.collectedAt - (n.lastHeartbeatMs ?? 0)) / 1000);
  return ages.length === 0 ? null : Math.max(0, ...ages);
}

const G = 'Nodes';
const R = 'Resources of alive backends and compute nodes';

export const NODE_FIELDS = [
  field('backend_total', { unit: 'nodes', kind: 'gauge', column: 'bigint', group: G, ...fromLists((x) => count(x.backends), BACKENDS, 'rows of the backend list') }),
  field('backend_alive', { unit: 'nodes', kind: 'gauge', column: 'bigint', group: G, daily: 'stats', ...fromLists((x) => count(x.backends, (n) => n.alive), BACKENDS, 'backend rows with `Alive` = true') }),
  field('backend_decommissioned', {
    unit: 'nodes',
    kind: 'gauge',
    column: 'bigint',
    group: G,
    ...fromLists((x) => count(x.backends, (n) => n.decommissioned), BACKENDS, 'backend rows with `SystemDecommissioned` or `ClusterDecommissioned` = true'),
  }),
  field('compute_node_total', { unit: 'nodes', kind: 'gauge', column: 'bigint', group: G, ...fromLists((x) => count(x.computeNodes), BACKENDS, 'rows of the compute-node list') }),
  field('compute_node_alive', { unit: 'nodes', kind: 'gauge', column: 'bigint', group: G, daily: 'stats', ...fromLists((x) => count(x.computeNodes, (n) => n.alive), BACKENDS, 'compute-node rows with `Alive` = true') }),
  field('frontend_total', { unit: 'nodes', kind: 'gauge', column: 'bigint', group: G, ...fromLists((x) => count(x.frontends), FRONTENDS, 'rows') }),
  field('frontend_alive', { unit: 'nodes', kind: 'gauge', column: 'bigint', group: G, daily: 'stats', ...fromLists((x) => count(x.frontends, (f) => f.alive), FRONTENDS, 'rows with `Alive` = true') }),
  field('frontend_followers', { unit: 'nodes', kind: 'gauge', column: 'bigint', group: G, ...fromLists((x) => count(x.frontends, (f) => f.role === 'FOLLOWER'), FRONTENDS, 'rows with `Role` = FOLLOWER') }),
  field('frontend_observers', { unit: 'nodes', kind: 'gauge', column: 'bigint', group: G, ...fromLists((x) => count(x.frontends, (f) => f.role === 'OBSERVER'), FRONTENDS, 'rows with `Role` = OBSERVER') }),
  field('frontend_leader', { unit: '', kind: 'info', column: 'text', group: G, ...fromLists((x) => leaderRow(x)?.name ?? null, FRONTENDS, '`Name` of the row with `Role` = LEADER (Doris: `IsMaster`)') }),
  field('max_journal_lag', { unit: 'journal entries', kind: 'gauge', column: 'bigint', group: G, ...fromLists(journalLag, FRONTENDS, "the leader's `ReplayedJournalId` − the smallest `ReplayedJournalId` of an alive FE") }),
  field('oldest_heartbeat_age_s', { unit: 's', kind: 'gauge', column: 'double precision', group: G, ...fromLists(oldestHeartbeat, BACKENDS, 'largest (collection time − `LastHeartbeat`) over alive nodes') }),

  field('avg_cpu_usage', { unit: '%', kind: 'gauge', column: 'double precision', group: R, daily: 'stats', ...fromLists((x) => meanOf(aliveNodes(x).map((n) => n.cpuUsedPct)), `${BACKENDS} \`CpuUsedPct\``, 'mean over alive nodes; null when no node reports it (Doris)') }),
  field('max_cpu_usage', { unit: '%', kind: 'gauge', column: 'double precision', group: R, daily: 'stats', ...fromLists((x) => maxOf(aliveNodes(x).map((n) => n.cpuUsedPct)), `${BACKENDS} \`CpuUsedPct\``, 'maximum over alive nodes') }),
  field('avg_memory_usage', { unit: '%', kind: 'gauge', column: 'double precision', group: R, daily: 'stats', ...fromLists((x) => meanOf(aliveNodes(x).map((n) => n.memUsedPct)), `${BACKENDS} \`MemUsedPct\``, 'mean over alive nodes') }),
  field('max_memory_usage', { unit: '%', kind: 'gauge', column: 'double precision', group: R, ...fromLists((x) => maxOf(aliveNodes(x).map((n) => n.memUsedPct)), `${BACKENDS} \`MemUsedPct\``, 'maximum over alive nodes') }),
  field('cpu_cores_total', { unit: 'cores', kind: 'gauge', column: 'bigint', group: R, ...fromLists((x) => sumOf(aliveNodes(x).map((n) => n.cpuCores)), `${BACKENDS} \`CpuCores\``, 'Σ over alive nodes') }),
  field('memory_limit_bytes_total', {
    unit: 'bytes',
    kind: 'gauge',
    column: 'bigint',
    group: R,
    ...fromLists((x) => sumOf(aliveNodes(x).map((n) => n.memLimitBytes)), `${BACKENDS} \`MemLimit\` (Doris \`Memory\`)`, 'Σ over alive nodes; null before 3.3'),
  }),
  field('disk_total_bytes', { unit: 'bytes', kind: 'gauge', column: 'bigint', group: R, ...fromLists((x) => sumOf(aliveBackends(x).map((n) => n.totalBytes)), `${BACKENDS} \`TotalCapacity\``, 'Σ over alive backends') }),
  field('disk_used_bytes', {
    unit: 'bytes',
    kind: 'gauge',
    column: 'bigint',
    group: R,
    ...fromLists(
      (x) => sumOf(aliveBackends(x).map((n) => (n.totalBytes !== null && n.availBytes !== null ? n.totalBytes - n.availBytes : null))),
      `${BACKENDS} \`TotalCapacity\`, \`AvailCapacity\``,
      'Σ (TotalCapacity − AvailCapacity) over alive backends',
    ),
  }),
  field('disk_usage_pct', {
    unit: '%',
    kind: 'derived',
    column: 'double precision',
    group: R,
    daily: 'stats',
    value: { type: 'derived', inputs: ['disk_used_bytes', 'disk_total_bytes'], derive: (v) => percentOf(v.disk_used_bytes, v.disk_total_bytes) },
    doc: { formula: 'disk_used_bytes ÷ disk_total_bytes × 100' },
  }),
  field('disk_max_usage_pct', { unit: '%', kind: 'gauge', column: 'double precision', group: R, daily: 'stats', ...fromLists((x) => maxOf(aliveBackends(x).map((n) => n.maxDiskUsedPct)), `${BACKENDS} \`MaxDiskUsedPct\``, 'maximum over alive backends (the fullest disk)') }),
  field('data_used_bytes', { unit: 'bytes', kind: 'gauge', column: 'bigint', group: R, daily: 'stats', ...fromLists((x) => sumOf(aliveBackends(x).map((n) => n.dataUsedBytes)), `${BACKENDS} \`DataUsedCapacity\``, 'Σ over alive backends') }),
  field('running_queries', { unit: 'queries', kind: 'gauge', column: 'bigint', group: R, daily: 'stats', ...fromLists((x) => sumOf(aliveNodes(x).map((n) => n.runningQueries)), `${BACKENDS} \`NumRunningQueries\``, 'Σ over alive nodes; null before 3.0') }),
] as const satisfies readonly FieldSpec[];
