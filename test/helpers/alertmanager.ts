/**
 * A real Prometheus Alertmanager (Debian's `prometheus-alertmanager`) for the alert tests:
 * started with its own config and data folder on a free loopback port, clustering off, stopped
 * after the test. Tests skip without the binary and say why; CI installs it (.ci/run) and sets
 * STELLAR_REQUIRE_ALERTMANAGER=1, so there it must run.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { skipReason } from './requirements.js';

const BINARY = '/usr/bin/prometheus-alertmanager';
const probe = spawnSync(BINARY, ['--version'], { encoding: 'utf8' });
export const alertmanagerSkipReason = skipReason(probe.status === 0 ? null : `${BINARY} is not installed (apt-get install prometheus-alertmanager)`, 'STELLAR_REQUIRE_ALERTMANAGER');

export interface RunningAlertmanager {
  readonly url: string;
  /** What Alertmanager holds now (GET /api/v2/alerts), active and resolved alike unless asked otherwise. */
  alerts(query?: string): Promise<Array<{ labels: Record<string, string>; annotations: Record<string, string>; startsAt: string; endsAt: string; status: { state: string } }>>;
  stop(): Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

export async function startAlertmanager(): Promise<RunningAlertmanager> {
  const dir = mkdtempSync(join(tmpdir(), 'stellar-alertmanager-'));
  writeFileSync(join(dir, 'alertmanager.yml'), ['route:', '  receiver: nobody', '  group_wait: 1s', 'receivers:', '  - name: nobody', ''].join('\n'));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  let output = '';
  const child: ChildProcess = spawn(BINARY, [`--config.file=${join(dir, 'alertmanager.yml')}`, `--storage.path=${join(dir, 'data')}`, `--web.listen-address=127.0.0.1:${port}`, '--cluster.listen-address='], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  const deadline = Date.now() + 20_000;
  for (;;) {
    try {
      if ((await fetch(`${url}/-/ready`)).ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline || child.exitCode !== null) {
      child.kill('SIGKILL');
      throw new Error(`Alertmanager did not start:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url,
    async alerts(query = '') {
      return (await (await fetch(`${url}/api/v2/alerts${query}`)).json()) as Awaited<ReturnType<RunningAlertmanager['alerts']>>;
    },
    async stop() {
      child.kill('SIGTERM');
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
