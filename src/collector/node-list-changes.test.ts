import { describe, expect, it } from 'vitest';
import type { FrontendRow, NodeRow } from '../shared/node-rows.js';
import { NO_LISTS_STORED, NODE_LIST_REFRESH_MS, nodeListsToStore } from './node-list-changes.js';
import type { RawScrape } from './raw-scrape.js';

const T = Date.UTC(2026, 11, 1, 12);

const backend = (id: string, overrides: Partial<NodeRow> = {}): NodeRow => ({
  kind: 'backend', id, host: `10.0.0.${id}`, heartbeatPort: 9050, httpPort: 8040, alive: true, decommissioned: false, lastStartMs: T - 86_400_000, lastHeartbeatMs: T - 2_000,
  errMsg: null, version: '3.5.2', tablets: 100, dataUsedBytes: 1e9, availBytes: 5e11, totalBytes: 1e12, maxDiskUsedPct: 40, cpuCores: 16, memLimitBytes: 6e10, runningQueries: 2,
  memUsedPct: 30, cpuUsedPct: 20, ...overrides,
});
const frontend: FrontendRow = { name: 'fe1', host: '10.0.1.1', httpPort: 8030, queryPort: 9030, role: 'LEADER', alive: true, replayedJournalId: 10, lastHeartbeatMs: T, startTimeMs: T - 1e6, version: '3.5.2', errMsg: null };

const scrape = (at: number, backends: NodeRow[] | null, frontends: FrontendRow[] | null = [frontend]): RawScrape => ({
  engine: 'starrocks', collectedAt: at, durationMs: 5, frontends, backends, computeNodes: [], fes: [], bes: null, runtime: null, sources: [], failures: [], metricsBytes: 0,
});

describe('nodeListsToStore', () => {
  it('stores every list the first time, then only a list whose nodes came, went or changed state', () => {
    const first = nodeListsToStore(scrape(T, [backend('1'), backend('2')]), NO_LISTS_STORED);
    expect(JSON.parse(first.lists.backends!)).toHaveLength(2);
    expect(first.lists.frontends).not.toBeNull();
    expect(first.lists.computeNodes).toBe('[]');

    // Heartbeats, CPU and capacity moved: nothing to store yet.
    const busier = [backend('1', { cpuUsedPct: 90, lastHeartbeatMs: T + 28_000 }), backend('2', { availBytes: 4e11 })];
    const same = nodeListsToStore(scrape(T + 30_000, busier), first.memory);
    expect(same.lists).toEqual({ at: T + 30_000, frontends: null, backends: null, computeNodes: null });

    for (const changed of [
      [backend('1'), backend('2', { alive: false })],
      [backend('1'), backend('2', { decommissioned: true })],
      [backend('1'), backend('2', { version: '3.5.3' })],
      [backend('1'), backend('2', { lastStartMs: T })],
      [backend('1')],
      [backend('1'), backend('2'), backend('3')],
    ]) {
      expect(nodeListsToStore(scrape(T + 30_000, changed), same.memory).lists.backends).toBe(JSON.stringify(changed));
    }
    const leaderMoved = nodeListsToStore(scrape(T + 30_000, busier, [{ ...frontend, role: 'FOLLOWER' }]), same.memory);
    expect([leaderMoved.lists.frontends !== null, leaderMoved.lists.backends]).toEqual([true, null]);
  });

  it('refreshes an unchanged list once its stored copy is as old as the refresh period', () => {
    const first = nodeListsToStore(scrape(T, [backend('1')]), NO_LISTS_STORED);
    const before = nodeListsToStore(scrape(T + NODE_LIST_REFRESH_MS - 1, [backend('1', { cpuUsedPct: 55 })]), first.memory);
    expect(before.lists.backends).toBeNull();
    const due = nodeListsToStore(scrape(T + NODE_LIST_REFRESH_MS, [backend('1', { cpuUsedPct: 55 })]), before.memory);
    expect(JSON.parse(due.lists.backends!)[0].cpuUsedPct).toBe(55);
    // The clock for the next refresh starts at this write.
    expect(nodeListsToStore(scrape(T + NODE_LIST_REFRESH_MS + 30_000, [backend('1')]), due.memory).lists.backends).toBeNull();
  });

  it('writes nothing for a list that did not answer and keeps what was stored', () => {
    const first = nodeListsToStore(scrape(T, [backend('1')]), NO_LISTS_STORED);
    const failed = nodeListsToStore(scrape(T + 30_000, null, null), first.memory);
    expect([failed.lists.backends, failed.lists.frontends]).toEqual([null, null]);
    expect(failed.memory).toEqual(first.memory);
  });
});
