/**
 * Two `stellar start` on one SQLite file, as real processes: one collects, the other stands by
 * serving reads, and takes over when the first is killed outright.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startSimulatedFleet } from '../../src/simulator/fleet.js';
import { collectionRole as roleOf, killStarted, startStellar, waitFor } from '../helpers/stellar-process.js';

afterEach(killStarted);

const PASSWORD = 'two-processes-pw';
const HEADERS = { authorization: `Basic ${Buffer.from(`admin:${PASSWORD}`).toString('base64')}`, 'content-type': 'application/json' };

function stellarStart(dataDir: string) {
  return startStellar({ APP_SERVER_DATA_DIR: dataDir, APP_METRICS_INTERVAL_SECS: '1', APP_AUTH_ADMIN_PASSWORD: PASSWORD });
}

async function collectionRole(url: string): Promise<{ status: number; collection: { role: string; holder_pid?: number | null } }> {
  return { status: (await fetch(`${url}/readyz`)).status, collection: await roleOf(url) };
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
      const firstUrl = await first.listening();
      const second = stellarStart(dataDir);
      const secondUrl = await second.listening();

      expect(await collectionRole(firstUrl)).toEqual({ status: 200, collection: { role: 'leader' } });
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
      await waitFor('the second to take over', async () => ((await collectionRole(secondUrl)).collection.role === 'leader' ? true : undefined), second.output);
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
