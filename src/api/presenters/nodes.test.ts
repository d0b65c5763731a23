import { describe, expect, it } from 'vitest';
import type { FrontendRow, NodeRow } from '../../starrocks/parse/node-lists.js';
import { clusterVersion, presentClusterNodes } from './nodes.js';

const AT = Date.UTC(2026, 10, 24, 12, 0, 0);

const frontend: FrontendRow = {
  name: 'fe1',
  host: '10.0.0.1',
  httpPort: 8030,
  queryPort: 9030,
  role: 'LEADER',
  alive: true,
  replayedJournalId: 42,
  lastHeartbeatMs: AT - 5000,
  startTimeMs: AT - 86_400_000,
  version: '3.3.5-abc',
  errMsg: null,
};

const backend: NodeRow = {
  kind: 'backend',
  id: '10001',
  host: '10.0.0.2',
  heartbeatPort: 9050,
  httpPort: 8040,
  alive: false,
  decommissioned: false,
  lastStartMs: AT - 3_600_000,
  lastHeartbeatMs: null,
  errMsg: 'lost heartbeat',
  version: '3.3.5-abc',
  tablets: 1200,
  dataUsedBytes: 1e12,
  availBytes: 2e12,
  totalBytes: 4e12,
  maxDiskUsedPct: 51.5,
  cpuCores: 16,
  memLimitBytes: 6.4e10,
  runningQueries: 3,
  memUsedPct: 40.1,
  cpuUsedPct: 12.5,
};

describe('presentClusterNodes', () => {
  it('maps the stored rows to snake_case with ISO times', () => {
    const json = presentClusterNodes(7, {
      cluster_id: 7,
      frontends: JSON.stringify([frontend]),
      frontends_at: AT,
      backends: JSON.stringify([backend]),
      backends_at: AT - 30_000,
      compute_nodes: null,
      compute_nodes_at: null,
    });
    expect(json.cluster_id).toBe(7);
    expect(json.compute_nodes).toBeNull();
    expect(json.frontends).toEqual({
      collected_at: new Date(AT).toISOString(),
      nodes: [
        {
          name: 'fe1',
          host: '10.0.0.1',
          http_port: 8030,
          query_port: 9030,
          role: 'LEADER',
          alive: true,
          replayed_journal_id: 42,
          last_heartbeat: new Date(AT - 5000).toISOString(),
          start_time: new Date(AT - 86_400_000).toISOString(),
          version: '3.3.5-abc',
          err_msg: null,
        },
      ],
    });
    expect(json.backends?.collected_at).toBe(new Date(AT - 30_000).toISOString());
    expect(json.backends?.nodes[0]).toEqual({
      kind: 'backend',
      id: '10001',
      host: '10.0.0.2',
      heartbeat_port: 9050,
      http_port: 8040,
      alive: false,
      decommissioned: false,
      last_start_time: new Date(AT - 3_600_000).toISOString(),
      last_heartbeat: null,
      err_msg: 'lost heartbeat',
      version: '3.3.5-abc',
      tablets: 1200,
      data_used_bytes: 1e12,
      avail_bytes: 2e12,
      total_bytes: 4e12,
      max_disk_used_pct: 51.5,
      cpu_cores: 16,
      mem_limit_bytes: 6.4e10,
      running_queries: 3,
      mem_used_pct: 40.1,
      cpu_used_pct: 12.5,
    });
  });

  it('is all null with no row, and reads odd stored JSON as nulls instead of failing', () => {
    expect(presentClusterNodes(1, undefined)).toEqual({ cluster_id: 1, frontends: null, backends: null, compute_nodes: null });
    const odd = presentClusterNodes(1, {
      cluster_id: 1,
      frontends: '{not json',
      frontends_at: AT,
      backends: JSON.stringify([{ host: 5, alive: 'yes', tablets: '12' }, null]),
      backends_at: AT,
      compute_nodes: '[]',
      compute_nodes_at: AT,
    });
    expect(odd.frontends).toBeNull();
    expect(odd.backends?.nodes).toEqual([expect.objectContaining({ host: null, alive: false, tablets: null })]);
    expect(odd.compute_nodes).toEqual({ collected_at: new Date(AT).toISOString(), nodes: [] });
  });
});

describe('clusterVersion', () => {
  it('is the leader’s version, else any FE’s, else null', () => {
    const follower = { ...frontend, name: 'fe2', role: 'FOLLOWER', version: '3.3.4' };
    const row = (list: unknown[]) => ({ cluster_id: 1, frontends: JSON.stringify(list), frontends_at: AT, backends: null, backends_at: null, compute_nodes: null, compute_nodes_at: null });
    expect(clusterVersion(row([follower, frontend]))).toBe('3.3.5-abc');
    expect(clusterVersion(row([follower]))).toBe('3.3.4');
    expect(clusterVersion(row([]))).toBeNull();
    expect(clusterVersion(undefined)).toBeNull();
  });
});
