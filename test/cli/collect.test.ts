/** `stellar collect --once`: one collection of registered (simulated) clusters, a table, an exit code. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/run-cli.js';
import { parseFaults } from '../../src/simulator/faults.js';
import { startSimulatedFleet, type SimulatedFleet } from '../../src/simulator/fleet.js';
import { openStorage } from '../../src/storage/open-storage.js';
import { dataDirWithClusters } from '../helpers/data-dir.js';

let fleet: SimulatedFleet;
const dataDir = join(mkdtempSync(join(tmpdir(), 'stellar-collect-')), 'data');
const ids: number[] = [];

async function run(argv: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await runCli(argv, { env: {}, stdout: { write: (t: string) => (stdout += t) }, stderr: { write: (t: string) => (stderr += t) } });
  return { code, stdout, stderr };
}

beforeAll(async () => {
  fleet = await startSimulatedFleet({ clusters: 2, fes: 2, bes: 3 });
  await fleet.clusters[1]!.setFaults(parseFaults('fe_down@all'));
  ids.push(...(await dataDirWithClusters(dataDir, fleet.details())));
});

afterAll(async () => {
  await fleet.close();
});

describe('stellar collect --once', () => {
  it('collects every cluster, prints a row each, and exits 1 when one was not ok', async () => {
    const result = await run(['collect', '--once', '--server-data-dir', dataDir]);
    expect(result.code, result.stderr).toBe(1);
    const lines = result.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^ID\s+CLUSTER\s+STATUS\s+MS\s+FE\s+BE\/CN\s+QPS/);
    expect(lines[1]).toMatch(new RegExp(`^${ids[0]}\\s+sim-01\\s+ok\\s+\\d+\\s+2/2\\s+3/3\\s+\\d+\\.\\d`));
    expect(lines[2]).toMatch(new RegExp(`^${ids[1]}\\s+sim-02\\s+failed\\s+.*frontends: refused`));
  });

  it('collects one cluster with --cluster, and refuses a bad id or a missing --once', async () => {
    const one = await run(['collect', '--once', '--cluster', String(ids[0]), '--server-data-dir', dataDir]);
    expect(one.code, one.stderr).toBe(0);
    expect(one.stdout.trim().split('\n')).toHaveLength(2);
    expect((await run(['collect', '--once', '--cluster', 'x', '--server-data-dir', dataDir])).stderr).toContain('--cluster x is not accepted');
    expect((await run(['collect', '--once', '--cluster', '999', '--server-data-dir', dataDir])).code).toBe(2);
    expect((await run(['collect', '--server-data-dir', dataDir])).stderr).toContain('needs --once');
  });

  it('stellar aggregate rolls the collected day up, and refuses a malformed day', async () => {
    const today = new Date().toISOString().slice(0, 10);
    const result = await run(['aggregate', '--from', today, '--server-data-dir', dataDir]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toBe(`rolled up 2 cluster-days from ${today} to ${today} (UTC); days without snapshots were skipped\n`);
    const storage = openStorage({ url: 'stellar.db', dataDir });
    const rows = await storage.db.selectFrom('daily_snapshots').select(['cluster_id', 'samples', 'availability_pct']).orderBy('cluster_id').execute();
    await storage.close();
    expect(rows.map((r) => [r.cluster_id, r.availability_pct])).toEqual([[ids[0], 100], [ids[1], 0]]);
    const bad = await run(['aggregate', '--from', '2026-13-40', '--server-data-dir', dataDir]);
    expect([bad.code, bad.stderr]).toEqual([2, 'stellar: --from 2026-13-40 is not accepted; give a day as YYYY-MM-DD\n']);
  });
});
