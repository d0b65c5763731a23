/**
 * What the cluster overview costs the service: `GET /api/clusters/:id/overview` through the whole
 * Fastify pipeline (app.inject, no socket) on a week of rows at the default 30 s interval
 * (20,160 rows, written as the collector writes them, tiers included), against the floor of
 * only reading the trend columns of that week's raw rows from SQLite (what a week cost before
 * the tiers), and against jlon/starrocks-admin's way (every column of every row of the window,
 * not down-sampled).
 */
import { TREND_FIELDS } from '../src/api/overview/trend-series.js';
import { type NewSnapshotRow, snapshotColumnPages, snapshotRowsBetween } from '../src/storage/repos/snapshots.repo.js';
import { insertRows, snapshotRow } from '../test/api/snapshot-rows.js';
import { clusterBody } from '../test/helpers/factories.js';
import { createTestApp } from '../test/helpers/test-app.js';
import { measure, report } from './harness.js';

const WEEK_MS = 7 * 86_400_000;
const STEP_MS = 30_000;

export async function overviewBench(): Promise<string> {
  const t = await createTestApp();
  try {
    const created = await t.app.inject({ method: 'POST', url: '/api/clusters', headers: { authorization: t.auth }, payload: clusterBody({ name: 'bench' }) });
    const id = created.json<{ id: number }>().id;
    const to = t.clock.now();
    const from = to - WEEK_MS;
    // Moving figures, so no bucket is trivially constant; one row in 500 failed (a gap).
    const rows: NewSnapshotRow[] = [];
    for (let at = from, i = 0; at < to; at += STEP_MS, i += 1) {
      const wave = Math.sin(i / 120);
      rows.push(snapshotRow(id, at, i % 500 === 0 ? { qps: null, collect_status: 'failed' } : { qps: 100 + 50 * wave, avg_cpu_usage: 40 + 20 * wave, query_latency_p99: 80 + 30 * wave }));
    }
    await insertRows(t.storage, rows);
    const get = (url: string) => () => t.app.inject({ method: 'GET', url, headers: { authorization: t.auth } }).then((r) => {
      if (r.statusCode !== 200) throw new Error(`${url}: ${r.statusCode} ${r.body}`);
    });
    const opts = { warmupMs: 1000, runMs: 4000 };
    const floor = await measure('read the week\'s raw trend columns only (floor)', async () => {
      let qps = 0;
      for await (const page of snapshotColumnPages(t.storage.db, id, from, to, ['qps', ...TREND_FIELDS])) for (const row of page) qps += row.qps ?? 0;
      return qps;
    }, opts);
    const week = await measure('GET overview, 7d, 720 points', get(`/api/clusters/${id}/overview?time_range=7d`), opts);
    const hour = await measure('GET overview, 1h', get(`/api/clusters/${id}/overview?time_range=1h`), opts);
    const fleet = await measure('GET fleet overview (1 cluster)', get('/api/fleet/overview'), opts);
    const priorArt = await measure('starrocks-admin: every column of every row, 7d', () => snapshotRowsBetween(t.storage.db, id, from, to).then((r) => JSON.stringify(r).length), opts);
    return report(`Cluster overview on ${rows.length} raw rows (a week at 30 s)`, floor, [week, hour, fleet, priorArt]);
  } finally {
    await t.close();
  }
}
