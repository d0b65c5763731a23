/**
 * Two `stellar start` on one SQLite file, as real processes: one collects, the other stands by
 * serving reads, and takes over when the first is killed outright.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startSimulatedFleet } from '../../src/simulator/fleet.js';

const running: ChildProcess[] = [];
afterEach(() => {
  for (const child of running.splice(0)) child.kill('SIGKILL');
});

const PASSWORD = 'two-processes-pw';
const HEADERS = { authorization: `Basic ${Buffer.from(`admin:${PASSWORD}`).toString('base64')}`, 'content-type': 'application/json' };

function stellarStart(dataDir: string): { child: ChildProcess; output: () => string } {
  const env = { ...process.env, APP_SERVER_PORT: '0', APP_SERVER_DATA_DIR: dataDir, APP_METRICS_INTERVAL_SECS: '1', APP_AUTH_ADMIN_PASSWORD: PASSWORD, APP_LOG_FORMAT: 'json' };
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'start'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  running.push(child);
  let text = '';
  child.stdout?.on('data', (chunk: Buffer) => (text += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (text += chunk.toString()));
  return { child, output: () => text };
}

async function waitFor<T>(what: string, probe: () => Promise<T | undefined> | T | undefined, output: () => string): Promise<T> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; output:\n${output()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const listeningUrl = (output: string) => /is listening on (http:\/\/[^\s"]+)/.exec(output)?.[1];

async function collectionRole(url: string): Promise<{ status: number; collection: { role: string; holder_pid?: number | null } }> {
  const response = await fetch(`${url}/readyz`);
  return { status: response.status, collection: ((await response.json()) as { collection: { role: string; holder_pid?: number | null } }).collection };
}

/** The first cluster's collection state as an instance shows it (stored in the database, so the same in both). */
async function clusterCollection(url: string): Promise<{ status: string; last_attempt_at: string | null } | null> {
  const listed = (await (await fetch(`${url}/api/clusters`, { headers: HEADERS })).json()) as { collection: { status: string; last_attempt_at: string | null } | null }[];
  return listed[0]?.collection ?? null;
}

describe('two stellar start on one SQLite file', () => {
  it('collects in one process only; the other serves reads, stands by and takes over after a SIGKILL', async () => {
    const fleet = await startSimulatedFleet({ clusters: 1, fes: 1, bes: 1 });
    try {
      const dataDir = join(mkdtempSync(join(tmpdir(), 'stellar-two-')), 'data');
      const first = stellarStart(dataDir);
      const firstUrl = await waitFor('the first to listen', () => listeningUrl(first.output()), first.output);
      const second = stellarStart(dataDir);
      const secondUrl = await waitFor('the second to listen', () => listeningUrl(second.output()), second.output);

      expect(await collectionRole(firstUrl)).toEqual({ status: 200, collection: { role: 'collecting' } });
      expect(await collectionRole(secondUrl)).toEqual({ status: 200, collection: { role: 'standby', holder_pid: first.child.pid } });
      expect(second.output()).toContain(`another Stellar process (pid ${first.child.pid}) collects on this database`);

      // Registered through the standby (it serves the API), collected by the first.
      const d = fleet.details()[0]!;
      const body = { name: d.name, fe_host: d.fe_host, fe_http_port: d.fe_http_port, fe_query_port: d.fe_query_port, username: 'root', connection_timeout: 1 };
      expect((await fetch(`${secondUrl}/api/clusters`, { method: 'POST', headers: HEADERS, body: JSON.stringify(body) })).status).toBe(201);
      await waitFor('the first to collect the cluster', async () => ((await clusterCollection(firstUrl))?.status === 'ok' ? true : undefined), first.output);
      // The standby collects nothing, and shows the collection state the first stored.
      await waitFor('the standby to show the stored state', async () => ((await clusterCollection(secondUrl))?.status === 'ok' ? true : undefined), second.output);
      expect(second.output()).not.toContain('collecting metrics');

      first.child.kill('SIGKILL');
      const before = (await clusterCollection(secondUrl))?.last_attempt_at ?? '';
      await waitFor('the second to take over', async () => ((await collectionRole(secondUrl)).collection.role === 'collecting' ? true : undefined), second.output);
      await waitFor(
        'the second to collect the cluster',
        async () => {
          const state = await clusterCollection(secondUrl);
          return state?.status === 'ok' && (state.last_attempt_at ?? '') > before ? true : undefined;
        },
        second.output,
      );
      expect(second.output()).toContain('took over collection');
    } finally {
      await fleet.close();
    }
    // Two services start under tsx: generous on a busy machine; each wait has its own deadline.
  }, 240_000);
});
