/** `stellar simulate` and `stellar demo` as a newcomer runs them: real processes, real ports. */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';

const running: ChildProcess[] = [];
afterEach(() => {
  for (const child of running.splice(0)) child.kill('SIGKILL');
});

function stellar(args: string[]): { child: ChildProcess; output: () => string; exit: Promise<number | null> } {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  running.push(child);
  let text = '';
  child.stdout?.on('data', (chunk: Buffer) => (text += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (text += chunk.toString()));
  const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, output: () => text, exit };
}

async function waitFor<T>(what: string, probe: () => T | undefined, output: () => string): Promise<T> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; output:\n${output()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function pollFor<T>(what: string, probe: () => Promise<T | undefined>, output: () => string): Promise<T> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; output:\n${output()}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

describe('stellar simulate', () => {
  it('starts the clusters, writes their details with --out, and stops cleanly on SIGTERM', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'stellar-sim-')), 'fleet.json');
    const sim = stellar(['simulate', '--clusters', '3', '--bes', '2', '--faults', '2:fe_down@2', '--out', out]);
    await waitFor('the details file', () => (existsSync(out) && sim.output().includes('started') ? true : undefined), sim.output);
    const { clusters } = JSON.parse(readFileSync(out, 'utf8'));
    expect(clusters.map((c: { name: string }) => c.name)).toEqual(['sim-01', 'sim-02', 'sim-03']);
    expect(clusters[1].faults).toEqual(['fe_down@2']);
    const health = await fetch(`http://${clusters[2].fe_host}:${clusters[2].fe_http_port}/api/health`);
    expect(await health.json()).toEqual({ online_backend_num: 2, total_backend_num: 2, status: 'OK' });
    await expect(fetch(`http://127.0.0.1:${clusters[1].frontends[2].http_port}/metrics`)).rejects.toThrow();
    sim.child.kill('SIGTERM');
    expect(await sim.exit).toBe(0);
  });

  it('refuses a bad flag value with exit code 2 and the accepted values', async () => {
    const sim = stellar(['simulate', '--mode', 'sharded']);
    expect(await sim.exit).toBe(2);
    expect(sim.output()).toContain('--mode sharded is not accepted; accepted: shared_nothing, shared_data');
  });
});

describe('stellar demo', () => {
  it('starts the service with three simulated clusters registered, and again on a second run', async () => {
    const dataDir = join(mkdtempSync(join(tmpdir(), 'stellar-demo-')), 'data');
    for (const round of [1, 2]) {
      const demo = stellar(['demo', '--server-port', '0', '--server-data-dir', dataDir, '--log-format', 'json', '--metrics-interval-secs', '5']);
      const url = await waitFor('the demo banner', () => /Stellar demo: (http:\/\/\S+)/.exec(demo.output())?.[1], demo.output);
      const auth = { authorization: `Basic ${Buffer.from('admin:stellar-demo').toString('base64')}` };
      const clusters = (await (await fetch(`${url}/api/clusters`, { headers: auth })).json()) as { name: string; fe_http_port: number; fe_host: string }[];
      expect(clusters.map((c) => c.name).sort(), `round ${round}`).toEqual(['demo-lakehouse', 'demo-legacy-reports', 'demo-prod-olap']);
      for (const c of clusters) {
        expect((await fetch(`http://${c.fe_host}:${c.fe_http_port}/api/health`)).status).toBe(200);
      }
      if (round === 1) {
        // Every source on and served: each cluster's BE figures (network, disk IO) have values, and nothing failed.
        for (const c of clusters as unknown as { id: number; name: string }[]) {
          const overview = await pollFor(`${c.name}'s BE figures`, async () => {
            const body = (await (await fetch(`${url}/api/clusters/${c.id}/overview`, { headers: auth })).json()) as { collect_status: string; latest_snapshot: Record<string, unknown> | null };
            const snapshot = body.latest_snapshot;
            return snapshot !== null && snapshot.network_bytes_received_total !== null && snapshot.io_write_bytes_total !== null ? body : undefined;
          }, demo.output);
          expect(overview.collect_status, c.name).toBe('ok');
          expect(overview.latest_snapshot?.failed_sources ?? [], c.name).toEqual([]);
        }
      }
      demo.child.kill('SIGTERM');
      expect(await demo.exit).toBe(0);
    }
  }, 150_000);
});
