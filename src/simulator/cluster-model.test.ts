import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { beCounters, beValues } from './be-values.js';
import { ClusterModel } from './cluster-model.js';
import type { SimClusterSpec } from './cluster-spec.js';
import { healthBody } from './fe-endpoints.js';
import { feValues } from './fe-values.js';
import { groundTruth } from './ground-truth.js';
import { renderFeMetrics } from './render-fe-metrics.js';
import { backendsTable, frontendsTable } from './render-node-lists.js';

const NOW = Date.UTC(2026, 10, 24, 12, 0, 0);
const VIEW = { answeringFe: 0, staleFollowerView: false };
const QUIRKS = { duplicates: false, splitFamilies: false };

function model(overrides: Partial<SimClusterSpec> = {}): ClusterModel {
  return new ClusterModel(
    { name: 'm', engine: 'starrocks', mode: 'shared_nothing', version: '3.5', fes: 3, bes: 4, seed: 7, latencyGauges: false, beMetrics: true, ...overrides },
    'root',
    '',
    NOW,
  );
}

/** The value of one series in a rendered body, found by its exact name-and-labels text. */
function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

const COUNTERS = ['queryTotal', 'requestTotal', 'querySuccess', 'queryErr', 'queryTimeout', 'slowQuery', 'txnBegin', 'youngGcCount', 'youngGcTimeMs', 'journalWritten'] as const;

describe('per-table families', () => {
  it('are printed only when asked; minified leaves out the counters that are 0, all prints them', () => {
    const m = model();
    const started = m.fes[0]!.initialStartMs;
    const rows = (t: number, tableMetrics?: 'minified' | 'all') =>
      renderFeMetrics(m, 0, t, { ...QUIRKS, ...(tableMetrics ? { tableMetrics } : {}) })
        .split('\n')
        .filter((l) => l.startsWith('starrocks_fe_table_load_rows{'));
    // At the FE's start no row is loaded yet: every counter is 0.
    expect(rows(started, 'all')).toHaveLength(6);
    expect(rows(started, 'all').every((l) => l.endsWith(' 0'))).toBe(true);
    expect(rows(started, 'minified')).toEqual([]);
    expect(rows(NOW + 3_600_000, 'minified').length).toBeGreaterThan(0);
    expect(rows(NOW + 3_600_000)).toEqual([]);
  });
});

describe('ClusterModel', () => {
  it('counters never go down between two instants without a restart', () => {
    const m = model();
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 86_400_000 }), fc.integer({ min: 1, max: 3_600_000 }), fc.integer({ min: 0, max: 2 }), (offset, step, fe) => {
        const a = feValues(m, fe, NOW + offset).counters;
        const b = feValues(m, fe, NOW + offset + step).counters;
        for (const name of COUNTERS) expect(b[name], name).toBeGreaterThanOrEqual(a[name]);
        const ba = beCounters(m, fe, NOW + offset);
        const bb = beCounters(m, fe, NOW + offset + step);
        expect(bb.cpu.idle).toBeGreaterThanOrEqual(ba.cpu.idle);
        expect(bb.netSendBytes).toBeGreaterThanOrEqual(ba.netSendBytes);
      }),
    );
  });

  it('an FE restart resets its counters and changes StartTime; they grow again afterwards', () => {
    const m = model();
    const before = feValues(m, 1, NOW + 10_000);
    m.events.add({ kind: 'fe_start', fe: 1, atMs: NOW + 20_000 });
    const after = feValues(m, 1, NOW + 80_000);
    expect(after.counters.queryTotal).toBeLessThan(before.counters.queryTotal);
    expect(after.counters.queryTotal).toBeGreaterThan(0);
    expect(feValues(m, 1, NOW + 140_000).counters.queryTotal).toBeGreaterThan(after.counters.queryTotal);
    const start = (t: number): string | null | undefined => {
      const table = frontendsTable(m, t, VIEW);
      return table.rows[1]?.[table.columns.indexOf('StartTime')];
    };
    expect(start(NOW + 10_000)).not.toBe(start(NOW + 80_000));
  });

  it('views agree: node_info, /api/health and the Alive column; tablet_num equals TabletNum on the leader only', () => {
    const m = model();
    m.events.add({ kind: 'be_stop', be: 2, atMs: NOW - 1000 });
    const backends = backendsTable(m, NOW, VIEW);
    const alive = backends.rows.filter((r) => r[backends.columns.indexOf('Alive')] === 'true').length;
    const leader = renderFeMetrics(m, 0, NOW, QUIRKS);
    const follower = renderFeMetrics(m, 1, NOW, QUIRKS);
    expect(alive).toBe(3);
    expect(sample(leader, 'node_info{type="be_node_num", state="alive"}')).toBe(alive);
    expect(JSON.parse(healthBody(m, NOW))).toEqual({ online_backend_num: alive, total_backend_num: 4, status: 'OK' });
    const dead = backends.rows[2] ?? [];
    expect(dead[backends.columns.indexOf('ErrMsg')]).toMatch(/Connection refused/);
    for (const row of backends.rows) {
      const backend = `starrocks_fe_tablet_num{backend="${row[backends.columns.indexOf('IP')]}:9050"}`;
      expect(sample(leader, backend)).toBe(Number(row[backends.columns.indexOf('TabletNum')]));
      expect(sample(follower, backend)).toBe(0);
    }
  });

  it('only the leader prints is_master; a failover moves it and the leader-only values', () => {
    const m = model();
    const isMaster = (fe: number, t: number): boolean => renderFeMetrics(m, fe, t, QUIRKS).includes('node_info{type="is_master"} 1');
    expect([0, 1, 2].map((fe) => isMaster(fe, NOW))).toEqual([true, false, false]);
    m.events.add({ kind: 'leader', fe: 2, atMs: NOW + 1000 });
    expect([0, 1, 2].map((fe) => isMaster(fe, NOW + 2000))).toEqual([false, false, true]);
    const newLeader = renderFeMetrics(m, 2, NOW + 2000, QUIRKS);
    expect(sample(newLeader, 'starrocks_fe_max_tablet_compaction_score{is_leader="true"}')).toBeGreaterThan(0);
    expect(sample(renderFeMetrics(m, 0, NOW + 2000, QUIRKS), 'starrocks_fe_max_tablet_compaction_score{is_leader="false"}')).toBe(0);
    const roles = frontendsTable(m, NOW + 2000, VIEW);
    expect(roles.rows.map((r) => r[roles.columns.indexOf('Role')])).toEqual(['FOLLOWER', 'FOLLOWER', 'LEADER']);
  });

  it('the ground truth equals what the rendered counters say between two instants', () => {
    const m = model();
    const from = NOW + 5_000;
    const to = NOW + 65_000;
    const counted = (t: number, series: string): number =>
      [0, 1, 2].reduce((sum, fe) => sum + (sample(renderFeMetrics(m, fe, t, QUIRKS), series) ?? Number.NaN), 0);
    const truth = groundTruth(m, from, to);
    const queries = counted(to, 'starrocks_fe_query_total') - counted(from, 'starrocks_fe_query_total');
    expect(truth.queries).toBe(queries);
    expect(truth.qps).toBeCloseTo(queries / 60, 9);
    expect(truth.query_total).toBe(counted(to, 'starrocks_fe_query_total'));
    const p99 = Math.max(...[0, 1, 2].map((fe) => sample(renderFeMetrics(m, fe, to, QUIRKS), 'starrocks_fe_query_latency_ms{quantile="0.99"}') ?? 0));
    expect(truth.query_latency_p99).toBe(p99);
    expect(truth.query_latency_p50).toBeNull();
    expect(truth.backend_alive).toBe(4);
    expect(truth.be?.cpu_usage_pct).toBeGreaterThan(0);
  });

  it('counts a restarted FE’s current value as its increase, as a collector must', () => {
    const m = model();
    m.events.add({ kind: 'fe_start', fe: 0, atMs: NOW + 30_000 });
    const truth = groundTruth(m, NOW, NOW + 60_000);
    expect(truth.frontends[0]?.restarted).toBe(true);
    expect(truth.frontends[0]?.queries).toBe(feValues(m, 0, NOW + 60_000).counters.queryTotal);
  });

  it('CPU, memory and tablets wander within their ranges and BE figures freeze when a BE dies', () => {
    const m = model();
    for (let k = 0; k < 200; k += 1) {
      const b = beValues(m, k % 4, NOW + k * 97_000);
      expect(b.cpuUsedPct).toBeGreaterThanOrEqual(0);
      expect(b.cpuUsedPct).toBeLessThanOrEqual(100);
      expect(b.memUsedPct).toBeGreaterThanOrEqual(5);
      expect(b.memUsedPct).toBeLessThanOrEqual(70);
    }
    m.events.add({ kind: 'be_stop', be: 0, atMs: NOW });
    expect(beValues(m, 0, NOW + 600_000).lastHeartbeatMs).toBe(beValues(m, 0, NOW).lastHeartbeatMs);
  });
});
