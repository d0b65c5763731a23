import { describe, expect, it } from 'vitest';
import { beValues } from '../../simulator/be-values.js';
import { ClusterModel } from '../../simulator/cluster-model.js';
import type { SimClusterSpec } from '../../simulator/cluster-spec.js';
import { procBody } from '../../simulator/fe-endpoints.js';
import { backendsTable, computeNodesTable, frontendsTable } from '../../simulator/render-node-lists.js';
import { SIM_VERSIONS } from '../../simulator/versions.js';
import { parseAsciiTable, parseVerticalRow, readRealFixture, realFixturesSkipReason } from '../../../test/helpers/fixtures.js';
import { skipNote } from '../../../test/helpers/requirements.js';
import { procTableFromJson } from '../proc-table.js';
import { NodeListError, parseFrontendRows, parseNodeRows } from './node-lists.js';

const NOW = Date.UTC(2026, 10, 24, 12);
const VIEW = { answeringFe: 0, staleFollowerView: false };
const STARROCKS = { engine: 'starrocks' } as const;

const vertical = (file: string) => {
  const pairs = parseVerticalRow(readRealFixture(file));
  return { columns: pairs.map(([c]) => c), rows: [pairs.map(([, v]) => v)] };
};

describe.skipIf(realFixturesSkipReason !== null)(`node lists from real captures${skipNote(realFixturesSkipReason)}`, () => {
  it('reads the 2.4 table, the 3.0 vertical output and the pre-3.1 row arrays', () => {
    const t24 = parseAsciiTable(readRealFixture('show_backends_table_2.4_docs.txt'));
    const [first] = parseNodeRows(t24, 'backend', STARROCKS);
    expect(first).toMatchObject({ id: '10002', alive: true, tablets: 21753, dataUsedBytes: 25.122 * 1024 ** 3, totalBytes: 1.968 * 1024 ** 4, maxDiskUsedPct: 44.72, cpuCores: 16, cpuUsedPct: null });
    const [v30] = parseNodeRows(vertical('show_proc_backends_vertical_3.0_docs.txt'), 'backend', STARROCKS);
    expect(v30).toMatchObject({ dataUsedBytes: 0, availBytes: 584.578 * 1024 ** 3, memUsedPct: 0.52, cpuUsedPct: 0, errMsg: null });
    const legacy = procTableFromJson(JSON.parse(readRealFixture('api_show_proc_backends_legacy_array_pre3.1_pr24334.json')));
    const objects = procTableFromJson(JSON.parse(readRealFixture('api_show_proc_backends_objects_3.1dev_pr24334.json')));
    const [fromArrays] = parseNodeRows(legacy, 'backend', STARROCKS);
    const [fromObjects] = parseNodeRows(objects, 'backend', STARROCKS);
    expect(fromArrays).toMatchObject({ id: '10003', host: '192.168.7.221', httpPort: 8048, tablets: 42, memUsedPct: 0.1 });
    expect({ ...fromArrays, lastStartMs: 0, lastHeartbeatMs: 0, availBytes: 0, version: '' }).toEqual({ ...fromObjects, lastStartMs: 0, lastHeartbeatMs: 0, availBytes: 0, version: '' });
  });

  it('reads compute nodes, 4.0 frontends with Id, and a dead FE with NULL times', () => {
    const [cn] = parseNodeRows(vertical('show_compute_nodes_vertical_3.3.0-rc01_docs.txt'), 'compute_node', STARROCKS);
    expect(cn).toMatchObject({ kind: 'compute_node', id: '10001', alive: true, cpuCores: 4, memUsedPct: 1.95, tablets: 58, totalBytes: null });
    const [fe] = parseFrontendRows(vertical('show_frontends_vertical_4.0.2_docs.txt'), STARROCKS);
    expect(fe).toMatchObject({ name: '127.0.0.1_9010_1766983864084', role: 'LEADER', alive: true, replayedJournalId: 59720, httpPort: 8030, startTimeMs: Date.UTC(2026, 0, 20, 12, 58, 48) });
    const [dead] = parseFrontendRows(parseAsciiTable(readRealFixture('show_proc_frontends_table_dead_fe_docs.txt')), STARROCKS);
    expect(dead).toMatchObject({ alive: false, startTimeMs: null, lastHeartbeatMs: null, version: null, errMsg: 'got exception', role: 'FOLLOWER' });
  });
});

describe('node lists without titles', () => {
  const model = (spec: Partial<SimClusterSpec>) =>
    new ClusterModel({ name: 'x', engine: 'starrocks', mode: 'shared_nothing', version: '3.0', fes: 2, bes: 3, seed: 5, latencyGauges: false, beMetrics: false, ...spec }, 'root', '', NOW);
  const rowsOf = (m: ClusterModel, list: 'backends' | 'compute_nodes') => procTableFromJson(JSON.parse(procBody(m, list === 'backends' ? backendsTable(m, NOW, VIEW) : computeNodesTable(m, NOW, VIEW))));

  it('refuses rows without titles it cannot place, naming the row length and the known layouts', () => {
    expect(() => parseNodeRows({ columns: null, rows: [['1', '2']] }, 'backend', STARROCKS)).toThrow(NodeListError);
    expect(() => parseNodeRows({ columns: null, rows: [['1', '2']] }, 'backend', STARROCKS)).toThrow(
      /^backends: rows without titles of 2 cells match no known StarRocks layout \(known: 23 \(StarRocks 2\.4\/2\.5\), 26 \(StarRocks 3\.0 shared-nothing\), 28 \(StarRocks 3\.0 shared-data\)\); SHOW statements over MySQL/,
    );
    const doris21 = rowsOf(model({ engine: 'doris', dorisVersion: '2.1' }), 'backends');
    const shortened = { columns: null, rows: doris21.rows.map((r) => r.slice(0, 24)) };
    expect(() => parseNodeRows(shortened, 'backend', { engine: 'doris' })).toThrow(/^backends: rows without titles of 24 cells match no known Doris layout/);
  });

  it('refuses a known cell count whose cells do not fit its layout, instead of reading a wrong column', () => {
    // Doris 3.0's 27 cells and one more: as many as master's, in another order.
    const doris30 = rowsOf(model({ engine: 'doris', dorisVersion: '3.0' }), 'backends');
    const longer = { columns: null, rows: doris30.rows.map((r) => [...r, '4']) };
    expect(() => parseNodeRows(longer, 'backend', { engine: 'doris' })).toThrow(/^backends: rows of 28 cells do not fit the Doris master \(after 3\.0\) layout \(row 1, cell 25 is not a CpuCores\)/);
    const ragged = { columns: null, rows: [doris30.rows[0]!, doris30.rows[1]!.slice(1)] };
    expect(() => parseNodeRows(ragged, 'backend', { engine: 'doris' })).toThrow(/^backends: row 2 has 26 cells where row 1 has 27/);
  });

  it('Doris master: Memory is the memory limit, RunningTasks is read as nothing', () => {
    const m = model({ engine: 'doris', dorisVersion: 'master' });
    const rows = parseNodeRows(rowsOf(m, 'backends'), 'backend', { engine: 'doris' });
    expect(rows.map((r) => r.id)).toEqual(m.bes.map((be) => String(be.id)));
    for (const [j, row] of rows.entries()) {
      const b = beValues(m, j, NOW);
      expect(row.memLimitBytes! / b.be.memLimitBytes).toBeCloseTo(1, 3);
      expect(row.cpuCores).toBe(b.be.cores);
      expect(row.runningQueries).toBeNull();
      expect(row.host).toBe(b.be.ip);
    }
  });

  it('StarRocks 2.4 compute nodes: the host is the IP, not the resource groups third; 3.0 shared-data ones carry CPU', () => {
    const m24 = model({ version: '2.4', nodeKind: 'compute_node' });
    const cn24 = parseNodeRows(rowsOf(m24, 'compute_nodes'), 'compute_node', STARROCKS);
    expect(cn24.map((r) => [r.id, r.host, r.httpPort, r.alive])).toEqual(m24.bes.map((be) => [String(be.id), be.ip, be.httpPort, true]));
    expect(cn24.every((r) => r.cpuCores === null && r.cpuUsedPct === null)).toBe(true);
    const m30 = model({ mode: 'shared_data' });
    const table30 = rowsOf(m30, 'compute_nodes');
    expect(table30.rows[0]).toHaveLength(20);
    const cn30 = parseNodeRows(table30, 'compute_node', STARROCKS);
    for (const [j, row] of cn30.entries()) expect(row.cpuUsedPct).toBeCloseTo(beValues(m30, j, NOW).cpuUsedPct, 0);
  });
});

describe('node lists from every simulated version and Doris', () => {
  for (const engine of ['starrocks', 'doris'] as const) {
    for (const version of engine === 'doris' ? (['3.3'] as const) : SIM_VERSIONS) {
      it(`${engine} ${version}: figures equal the simulator's, over HTTP bodies`, () => {
        const m = new ClusterModel({ name: 'x', engine, mode: 'shared_nothing', version, fes: 3, bes: 4, seed: 9, latencyGauges: false, beMetrics: false }, 'root', '', NOW);
        const table = procTableFromJson(JSON.parse(procBody(m, backendsTable(m, NOW, VIEW))));
        const rows = parseNodeRows(table, 'backend', { engine });
        expect(rows).toHaveLength(4);
        for (const [j, row] of rows.entries()) {
          const b = beValues(m, j, NOW);
          expect(row.alive).toBe(true);
          expect(row.tablets).toBe(b.tablets);
          expect(row.totalBytes! / b.totalBytes).toBeCloseTo(1, 3);
          if (engine === 'starrocks' && version !== '2.4') expect(row.cpuUsedPct).toBeCloseTo(b.cpuUsedPct, 0);
        }
        const frontends = parseFrontendRows(procTableFromJson(JSON.parse(procBody(m, frontendsTable(m, NOW, VIEW)))), { engine });
        expect(frontends.map((f) => f.role)).toEqual(['LEADER', 'FOLLOWER', 'FOLLOWER']);
      });
    }
  }

  it('shared-data compute nodes', () => {
    const m = new ClusterModel({ name: 'x', engine: 'starrocks', mode: 'shared_data', version: '3.5', fes: 1, bes: 2, seed: 9, latencyGauges: false, beMetrics: false }, 'root', '', NOW);
    const rows = parseNodeRows(procTableFromJson(JSON.parse(procBody(m, computeNodesTable(m, NOW, VIEW)))), 'compute_node', STARROCKS);
    expect(rows.map((r) => r.id)).toEqual(['10001', '10002']);
  });
});
