/**
 * `stellar inspect`: parsed families and a snapshot from captured output, as an operator would
 * debug a real cluster. The bodies and node lists are the simulator's, pasted as an operator
 * would (mysql's table and `\G` output); the real StarRocks captures, when present beside the
 * repository, are read too.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/run-cli.js';
import { ClusterModel } from '../../src/simulator/cluster-model.js';
import { procBody } from '../../src/simulator/fe-endpoints.js';
import { renderFeMetrics } from '../../src/simulator/render-fe-metrics.js';
import { groundTruth } from '../../src/simulator/ground-truth.js';
import { backendsTable, computeNodesTable, frontendsTable, type NodeTable } from '../../src/simulator/render-node-lists.js';
import { REAL_FIXTURES_DIR, realFixturesSkipReason } from '../helpers/fixtures.js';
import { skipNote } from '../helpers/requirements.js';

async function run(argv: string[], stdin?: string) {
  let stdout = '';
  let stderr = '';
  const io = {
    env: {},
    stdout: { write: (t: string) => (stdout += t) },
    stderr: { write: (t: string) => (stderr += t) },
    ...(stdin === undefined ? {} : { stdin: Readable.from([stdin]) }),
  };
  const code = await runCli(argv, io);
  return { code, stdout, stderr };
}

/** A node list as the mysql client prints it: `+---+` borders and `| cell |` rows. */
function mysqlTable(table: NodeTable): string {
  const widths = table.columns.map((c, i) => Math.max(c.length, ...table.rows.map((r) => (r[i] ?? 'NULL').length)));
  const border = `+${widths.map((w) => '-'.repeat(w + 2)).join('+')}+`;
  const line = (cells: readonly string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join(' | ')} |`;
  return [border, line(table.columns), border, ...table.rows.map((r) => line(r.map((c) => c ?? 'NULL'))), border, `${table.rows.length} rows in set (0.01 sec)`, ''].join('\n');
}

/** A node list as `SHOW …\G` prints it: a `*** N. row ***` header, then right-aligned titles. */
function mysqlVertical(table: NodeTable): string {
  const width = Math.max(...table.columns.map((c) => c.length));
  const rows = table.rows.map((r, n) => [`*************************** ${n + 1}. row ***************************`, ...table.columns.map((c, i) => `${c.padStart(width)}: ${r[i] ?? 'NULL'}`)]);
  return [...rows.flat(), `${table.rows.length} rows in set (0.00 sec)`, ''].join('\n');
}

describe('stellar inspect metrics', () => {
  it('prints the families of an FE body with labels, and NaN as a string', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'stellar-inspect-m-'));
    const now = Date.now();
    const model = new ClusterModel({ name: 'x', engine: 'starrocks', mode: 'shared_nothing', version: '3.5', fes: 1, bes: 1, seed: 3, latencyGauges: false, beMetrics: false }, 'root', '', now);
    writeFileSync(join(dir, 'fe.prom'), renderFeMetrics(model, 0, now, { duplicates: false, splitFamilies: false }));
    const result = await run(['inspect', 'metrics', join(dir, 'fe.prom')]);
    expect(result.code, result.stderr).toBe(0);
    const json = JSON.parse(result.stdout);
    expect(json.families.find((f: { name: string }) => f.name === 'starrocks_fe_table_num')).toEqual({
      name: 'starrocks_fe_table_num', type: 'gauge', help: 'count of table', samples: model.databases.map((d) => ({ labels: { db_name: d.name }, value: d.tables })),
    });
    const piped = JSON.parse((await run(['inspect', 'metrics', '-'], '# TYPE q summary\nq{quantile="0.5"} NaN\nbroken line here\n')).stdout);
    expect(piped.families[0].samples[0].value).toBe('NaN');
    expect(piped.skipped_lines).toBe(1);
  });

  it('refuses a missing file or an unknown subcommand with exit code 2', async () => {
    expect((await run(['inspect', 'metrics', '/nonexistent/x.prom'])).code).toBe(2);
    expect((await run(['inspect', 'nodes'])).stderr).toContain('stellar inspect nodes is not known');
  });
});

describe('stellar inspect snapshot', () => {
  const VIEW = { answeringFe: 0, staleFollowerView: false };
  const capture = (dir: string, model: ClusterModel, now: number) =>
    [0, 1].map((fe) => {
      const path = join(dir, `fe${fe}.prom`);
      writeFileSync(path, renderFeMetrics(model, fe, now, { duplicates: false, splitFamilies: false }));
      return path;
    });

  it('builds the snapshot of captured FE bodies and node lists (JSON, tables or \\G output)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'stellar-inspect-'));
    const now = Date.now();
    const model = new ClusterModel({ name: 'x', engine: 'starrocks', mode: 'shared_nothing', version: '3.3', fes: 2, bes: 3, seed: 3, latencyGauges: false, beMetrics: false }, 'root', '', now);
    const files = capture(dir, model, now);
    writeFileSync(join(dir, 'frontends.json'), procBody(model, frontendsTable(model, now, VIEW)));
    writeFileSync(join(dir, 'backends.txt'), mysqlTable(backendsTable(model, now, VIEW)));
    const result = await run([
      'inspect', 'snapshot', '--metrics', files[0]!, '--metrics', files[1]!,
      '--frontends', join(dir, 'frontends.json'), '--backends', join(dir, 'backends.txt'),
    ]);
    expect(result.code, result.stderr).toBe(0);
    const { status, values } = JSON.parse(result.stdout);
    expect(status).toBe('ok');
    expect(values).toMatchObject({ frontend_total: 2, frontend_alive: 2, backend_total: 3, backend_alive: 3, queries: null });
    expect(values.qps).toBeGreaterThan(0);
    expect(values.tablet_count).toBeGreaterThan(0);
    expect(values.disk_total_bytes).toBe(groundTruth(model, now - 60_000, now).disk_total_bytes);

    const shared = new ClusterModel({ ...model.spec, mode: 'shared_data' }, 'root', '', now);
    writeFileSync(join(dir, 'compute_nodes.txt'), mysqlVertical(computeNodesTable(shared, now, VIEW)));
    const compute = await run(['inspect', 'snapshot', '--metrics', capture(dir, shared, now)[0]!, '--compute-nodes', join(dir, 'compute_nodes.txt')]);
    expect(compute.code, compute.stderr).toBe(0);
    const truth = groundTruth(shared, now - 60_000, now);
    expect(JSON.parse(compute.stdout).values).toMatchObject({ compute_node_total: 3, compute_node_alive: 3, cpu_cores_total: truth.cpu_cores_total });
  });

  it('takes the heap from a --runtime capture when the metrics have no JVM families, and refuses a body that is not one', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'stellar-inspect-rt-'));
    const metrics = join(dir, 'fe.prom');
    writeFileSync(metrics, '# TYPE starrocks_fe_query_total counter\nstarrocks_fe_query_total 7\n');
    const runtime = join(dir, 'runtime.json');
    writeFileSync(runtime, JSON.stringify({ free_mem: '300', total_mem: '1000', max_mem: '4000', thread_cnt: '90' }));
    const result = await run(['inspect', 'snapshot', '--metrics', metrics, '--runtime', runtime]);
    expect(result.code, result.stderr).toBe(0);
    const values = JSON.parse(result.stdout).values;
    expect([values.jvm_heap_used, values.jvm_heap_max, values.jvm_heap_committed, values.jvm_heap_usage_pct]).toEqual([700, 4000, 1000, 17.5]);
    writeFileSync(runtime, '{"free_mem":"x"}');
    const bad = await run(['inspect', 'snapshot', '--metrics', metrics, '--runtime', runtime]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--runtime');
  });

  it('asks for at least one --metrics file', async () => {
    expect((await run(['inspect', 'snapshot'])).stderr).toContain('needs at least one --metrics FILE');
  });
});

describe.skipIf(realFixturesSkipReason !== null)(`stellar inspect on the real StarRocks captures${skipNote(realFixturesSkipReason)}`, () => {
  it('prints the families of a real capture with labels', async () => {
    const result = await run(['inspect', 'metrics', join(REAL_FIXTURES_DIR, 'fe_metrics_leader_aware_txn_main_2025-09_pr63004.prom')]);
    expect(result.code, result.stderr).toBe(0);
    const json = JSON.parse(result.stdout);
    expect(json.families.find((f: { name: string }) => f.name === 'starrocks_fe_txn_running')).toEqual({
      name: 'starrocks_fe_txn_running', type: 'gauge', help: 'number of running transactions', samples: [{ labels: { is_leader: 'true', db: 'ssb' }, value: 10 }],
    });
  });

  it('reads a 2.4 SHOW BACKENDS table and SHOW COMPUTE NODES\\G output as captured', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'stellar-inspect-real-'));
    const now = Date.now();
    const model = new ClusterModel({ name: 'x', engine: 'starrocks', mode: 'shared_nothing', version: '3.3', fes: 1, bes: 1, seed: 3, latencyGauges: false, beMetrics: false }, 'root', '', now);
    const metrics = join(dir, 'fe.prom');
    writeFileSync(metrics, renderFeMetrics(model, 0, now, { duplicates: false, splitFamilies: false }));
    const backends = await run(['inspect', 'snapshot', '--metrics', metrics, '--backends', join(REAL_FIXTURES_DIR, 'show_backends_table_2.4_docs.txt')]);
    expect(backends.code, backends.stderr).toBe(0);
    expect(JSON.parse(backends.stdout).values).toMatchObject({ backend_total: 3, backend_alive: 3 });
    expect(JSON.parse(backends.stdout).values.disk_total_bytes).toBeCloseTo(3 * 1.968 * 1024 ** 4, -6);
    const compute = await run(['inspect', 'snapshot', '--metrics', metrics, '--compute-nodes', join(REAL_FIXTURES_DIR, 'show_compute_nodes_vertical_3.3.0-rc01_docs.txt')]);
    expect(JSON.parse(compute.stdout).values).toMatchObject({ compute_node_total: 1, compute_node_alive: 1, cpu_cores_total: 4 });
  });
});
