/**
 * The simulator's output against every real StarRocks capture: same column titles per version,
 * same value formats per column, same Prometheus layout (headers, label separators, Java
 * numbers). A new capture in the fixtures folder must get a case here (last test).
 */
import { describe, expect, it } from 'vitest';
import { renderBeMetrics } from '../../src/simulator/be-metrics-server.js';
import { ClusterModel } from '../../src/simulator/cluster-model.js';
import type { SimClusterSpec } from '../../src/simulator/cluster-spec.js';
import { healthBody, procBody } from '../../src/simulator/fe-endpoints.js';
import { capacityString } from '../../src/simulator/java-format.js';
import { renderFeMetrics } from '../../src/simulator/render-fe-metrics.js';
import { backendsTable, computeNodesTable, frontendsTable, type NodeTable } from '../../src/simulator/render-node-lists.js';
import type { SimVersion } from '../../src/simulator/versions.js';
import { parseAsciiTable, parseVerticalRow, readRealFixture, realFixtureNames, realFixturesSkipReason, valueShape } from '../helpers/fixtures.js';
import { skipNote } from '../helpers/requirements.js';

const NOW = Date.UTC(2026, 10, 24, 12, 0, 0);
const LEADER_VIEW = { answeringFe: 0, staleFollowerView: false };
const NO_QUIRKS = { duplicates: false, splitFamilies: false };

function model(version: SimVersion, overrides: Partial<SimClusterSpec> = {}): ClusterModel {
  const spec: SimClusterSpec = {
    name: 'fidelity', engine: 'starrocks', mode: 'shared_nothing', version, fes: 3, bes: 3, seed: 42,
    latencyGauges: false, beMetrics: false, ...overrides,
  };
  return new ClusterModel(spec, 'root', '', NOW);
}

/** Columns whose values the docs masked or that name a build: their format is not comparable. */
const INCOMPARABLE = new Set(['IP', 'Host', 'Version', 'Name', 'Status', 'DataCacheMetrics', 'ErrMsg', 'Id', 'ClusterId']);

/** Every comparable cell of the fixture has the same format as the simulator's cell in that column. */
function expectSameFormats(fixture: readonly [string, string][], table: NodeTable): void {
  const row = table.rows[0];
  expect(row, 'the simulator must produce at least one row').toBeDefined();
  for (const [title, value] of fixture) {
    if (INCOMPARABLE.has(title)) continue;
    const index = table.columns.indexOf(title);
    expect(index, `column ${title}`).toBeGreaterThanOrEqual(0);
    expect(valueShape(row?.[index] ?? ''), `format of ${title}`).toBe(valueShape(value));
  }
}

const CASES: Record<string, () => void> = {
  'fe_metrics_query_latency_gauges_v3.3.6.prom': () => {
    const fixture = readRealFixture('fe_metrics_query_latency_gauges_v3.3.6.prom').trimEnd().split('\n');
    const ours = renderFeMetrics(model('3.3'), 0, NOW, NO_QUIRKS).split('\n');
    const start = ours.indexOf(fixture[0] ?? '');
    expect(start).toBeGreaterThan(0);
    expect(ours.slice(start, start + fixture.length)).toEqual(fixture);
  },
  'fe_metrics_connection_total_per_user_v3.3.14_raw_curl.txt': () => {
    // curl's progress meter is mixed into the capture; keep only what the FE printed.
    const raw = readRealFixture('fe_metrics_connection_total_per_user_v3.3.14_raw_curl.txt');
    const fe = [...raw.matchAll(/(# (?:HELP|TYPE) starrocks_fe_connection_total[^\n]*|starrocks_fe_connection_total\{[^\n]*)/g)].map((m) => m[1] ?? '');
    const ours = renderFeMetrics(model('3.3'), 0, NOW, NO_QUIRKS).split('\n').filter((l) => l.includes('starrocks_fe_connection_total'));
    expect(ours.slice(0, 2)).toEqual(fe.slice(0, 2));
    const series = /^starrocks_fe_connection_total\{user="[a-z_0-9]+"\} \d+$/;
    for (const line of fe.slice(2)) expect(line).toMatch(series);
    expect(ours.length).toBeGreaterThan(3);
    for (const line of ours.slice(2)) expect(line).toMatch(series);
  },
  'fe_metrics_leader_aware_txn_main_2025-09_pr63004.prom': () => {
    const fixture = readRealFixture('fe_metrics_leader_aware_txn_main_2025-09_pr63004.prom').split('\n').filter((l) => l !== '');
    const ours = renderFeMetrics(model('3.5'), 0, NOW, NO_QUIRKS).split('\n');
    let compared = 0;
    for (const line of fixture) {
      if (line.startsWith('#')) {
        if (ours.some((l) => l.split(' ')[2] === line.split(' ')[2])) {
          expect(ours).toContain(line);
          compared += 1;
        }
        continue;
      }
      const [series = ''] = line.split(' ');
      const shape = series.replace(/="[^"]*"/g, '=""');
      const name = series.split('{')[0] ?? '';
      const match = ours.find((l) => l.startsWith(`${name}{`) && l.split(' ')[0]?.replace(/="[^"]*"/g, '=""') === shape);
      if (name.includes('routine_load_max_lag')) continue; // only with enable_routine_load_lag_metrics
      expect(match, `a ${shape} series`).toBeDefined();
      expect(match).toMatch(/^[a-z_]+\{is_leader="true"(, [a-z_]+="[^"]*")*\} \d+$/);
    }
    expect(compared).toBeGreaterThanOrEqual(6);
  },
  'fe_metrics_tablet_sched_clone_main_2025-08_pr62421.prom': () => {
    const fixture = readRealFixture('fe_metrics_tablet_sched_clone_main_2025-08_pr62421.prom').split('\n');
    const ours = renderFeMetrics(model('4.0'), 0, NOW, NO_QUIRKS).split('\n');
    for (const line of fixture.slice(0, 2)) expect(ours).toContain(line);
    expect(ours.find((l) => l.startsWith('starrocks_fe_scheduled_tablet_num'))).toMatch(/^starrocks_fe_scheduled_tablet_num\{is_leader="true"\} \d+$/);
  },
  'be_metrics_files_scan_main_2026-01_pr68150.prom': () => {
    const fixture = readRealFixture('be_metrics_files_scan_main_2026-01_pr68150.prom').split('\n').filter((l) => l !== '');
    const ours = renderBeMetrics(model('3.3', { beMetrics: true }), 0, NOW).split('\n').filter((l) => l !== '');
    for (const text of [fixture, ours]) {
      expect(text.some((l) => l.startsWith('# HELP'))).toBe(false);
      for (const line of text.filter((l) => l.includes('{'))) expect(line).toMatch(/^starrocks_be_[a-z_]+\{[a-z_]+="[^"]*"(,[a-z_]+="[^"]*")*\} \d+$/);
      for (const line of text.filter((l) => l.startsWith('#'))) expect(line).toMatch(/^# TYPE starrocks_be_[a-z_]+ (counter|gauge)$/);
    }
  },
  'api_show_proc_backends_legacy_array_pre3.1_pr24334.json': () => {
    const fixture = JSON.parse(readRealFixture('api_show_proc_backends_legacy_array_pre3.1_pr24334.json')) as string[][];
    const m = model('3.0');
    const ours = JSON.parse(procBody(m, backendsTable(m, NOW, LEADER_VIEW))) as unknown[];
    expect(ours).toHaveLength(3);
    const columns = m.profile.backendColumns;
    expect(columns).toHaveLength(fixture[0]?.length ?? -1);
    for (const row of ours) {
      expect(Array.isArray(row)).toBe(true);
      expect((row as unknown[]).every((cell) => typeof cell === 'string')).toBe(true);
    }
    expectSameFormats(columns.map((c, i) => [c, fixture[0]?.[i] ?? '']), { columns, rows: ours as string[][] });
  },
  'api_show_proc_backends_objects_3.1dev_pr24334.json': () => {
    const [fixture] = JSON.parse(readRealFixture('api_show_proc_backends_objects_3.1dev_pr24334.json')) as Record<string, string>[];
    const m = model('3.3');
    const ours = JSON.parse(procBody(m, backendsTable(m, NOW, LEADER_VIEW))) as Record<string, unknown>[];
    const keys = Object.keys(ours[0] ?? {});
    // 3.3 inserts MemLimit after CpuCores and adds the data-cache and location columns.
    expect(keys.filter((k) => k in (fixture ?? {}))).toEqual(Object.keys(fixture ?? {}));
    expect(Object.values(ours[0] ?? {}).every((v) => typeof v === 'string')).toBe(true);
    const m32 = model('3.2');
    expectSameFormats(Object.entries(fixture ?? {}), backendsTable(m32, NOW, LEADER_VIEW));
  },
  'api_health_response_4.x_railway_readme.txt': () => {
    const fixture = JSON.parse(readRealFixture('api_health_response_4.x_railway_readme.txt')) as Record<string, unknown>;
    const ours = JSON.parse(healthBody(model('4.0'), NOW)) as Record<string, unknown>;
    expect(Object.keys(ours)).toEqual(Object.keys(fixture));
    expect(ours).toMatchObject({ online_backend_num: 3, total_backend_num: 3, status: 'OK' });
  },
  'show_backends_table_2.4_docs.txt': () => {
    const fixture = parseAsciiTable(readRealFixture('show_backends_table_2.4_docs.txt'));
    const ours = backendsTable(model('2.4'), NOW, LEADER_VIEW);
    expect(ours.columns).toEqual(fixture.columns);
    expectSameFormats(fixture.columns.map((c, i) => [c, fixture.rows[0]?.[i] ?? '']), ours);
  },
  'show_backends_header_latest_zh_docs.txt': () => {
    const fixture = parseAsciiTable(readRealFixture('show_backends_header_latest_zh_docs.txt'));
    expect(backendsTable(model('3.5'), NOW, LEADER_VIEW).columns).toEqual(fixture.columns);
    expect(backendsTable(model('4.0'), NOW, LEADER_VIEW).columns).toEqual(fixture.columns);
  },
  'show_backends_vertical_3.2.0_shared_data_issue41580.txt': () => {
    const fixture = parseVerticalRow(readRealFixture('show_backends_vertical_3.2.0_shared_data_issue41580.txt'));
    expect(backendsTable(model('3.2', { mode: 'shared_data' }), NOW, LEADER_VIEW).columns).toEqual(fixture.map(([c]) => c));
    expectSameFormats(fixture.filter(([c]) => !['StarletPort', 'WorkerId', 'TabletNum'].includes(c)), backendsTable(model('3.2'), NOW, LEADER_VIEW));
  },
  'show_compute_nodes_vertical_3.3.0-rc01_docs.txt': () => {
    const fixture = parseVerticalRow(readRealFixture('show_compute_nodes_vertical_3.3.0-rc01_docs.txt'));
    const ours = computeNodesTable(model('3.3', { mode: 'shared_data' }), NOW, LEADER_VIEW);
    expect(ours.columns).toEqual(fixture.map(([c]) => c));
    expectSameFormats(fixture, ours);
  },
  'show_frontends_vertical_4.0.2_docs.txt': () => {
    const fixture = parseVerticalRow(readRealFixture('show_frontends_vertical_4.0.2_docs.txt'));
    const ours = frontendsTable(model('4.0'), NOW, LEADER_VIEW);
    expect(ours.columns).toEqual(fixture.map(([c]) => c));
    expectSameFormats(fixture, ours);
    expect(ours.rows[0]?.[ours.columns.indexOf('Name')]).toMatch(/^127\.0\.0\.1_\d+_\d{13}$/);
  },
  'show_proc_backends_vertical_3.0_docs.txt': () => {
    const fixture = parseVerticalRow(readRealFixture('show_proc_backends_vertical_3.0_docs.txt'));
    const m = model('3.0');
    expect(backendsTable(m, NOW, LEADER_VIEW).columns).toEqual(fixture.map(([c]) => c));
    // Up to 3.0 a capacity below 1 KB has an empty unit: "0.000 " with its trailing space.
    expect(fixture).toContainEqual(['DataUsedCapacity', capacityString(0, m.profile.emptyUnitBelowKb)]);
    expectSameFormats(fixture.filter(([c]) => c !== 'DataUsedCapacity'), backendsTable(m, NOW, LEADER_VIEW));
  },
  'show_proc_frontends_table_dead_fe_docs.txt': () => {
    const fixture = parseAsciiTable(readRealFixture('show_proc_frontends_table_dead_fe_docs.txt'));
    const m = model('3.3');
    m.events.add({ kind: 'fe_stop', fe: 1, atMs: NOW - 60_000 });
    const ours = frontendsTable(m, NOW, LEADER_VIEW);
    expect(ours.columns).toEqual(fixture.columns);
    const dead = ours.rows[1] ?? [];
    const cell = (row: readonly (string | null)[], c: string): string | null | undefined => row[ours.columns.indexOf(c)];
    const theirs = fixture.rows[0] ?? [];
    for (const c of ['Alive', 'StartTime', 'ErrMsg', 'Role']) expect(cell(dead, c), c).toBe(theirs[fixture.columns.indexOf(c)]);
  },
  'show_proc_current_queries_3.4_docs.txt': () => {
    // The running-query views are not simulated; the collector does not read them. This case
    // only pins that the capture is the known one, so a change to it is noticed here.
    const pairs = parseVerticalRow(readRealFixture('show_proc_current_queries_3.4_docs.txt'));
    expect(pairs.map(([c]) => c)).toEqual([
      'StartTime', 'feIp', 'QueryId', 'ConnectionId', 'Database', 'User', 'ScanBytes', 'ScanRows', 'MemoryUsage',
      'DiskSpillSize', 'CPUTime', 'ExecTime', 'Warehouse', 'CustomQueryId', 'ResourceGroup',
    ]);
  },
};

describe.skipIf(realFixturesSkipReason !== null)(`simulator output matches the real captures${skipNote(realFixturesSkipReason)}`, () => {
  for (const [file, check] of Object.entries(CASES)) it(file, check);

  it('covers every capture in the fixtures folder', () => {
    expect(Object.keys(CASES).sort()).toEqual(realFixtureNames());
  });
});
