/**
 * The config file's `[[custom_metrics]]` in the running service: collected on its schedule,
 * served by the overview and /federate, and after a restart with the same file the stored
 * values read back and the collection going on.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config/sources.js';
import type { ClusterOverviewJson } from '../src/shared/api/overview.js';
import { startService } from '../src/service.js';
import { startSimulatedFleet } from '../src/simulator/fleet.js';
import { parsePrometheusText } from '../src/starrocks/parse/prometheus-text.js';
import { loggerInto } from './helpers/test-app.js';

const CONFIG = `
[metrics]
interval_secs = 1

[[custom_metrics]]
name = "fe_threads_max"
source = "fe"
family = "jvm_thread"
labels = { type = "count" }
aggregate = "max"
unit = "threads"
description = "Most JVM threads on any FE"

[[custom_metrics]]
name = "leader_queue"
source = "fe_leader"
family = "starrocks_fe_thread_pool"
labels = { type = "task_in_queue", name = "query-deploy" }
`;

describe('custom metrics in the service', () => {
  it('are collected from the config file, served, and go on after a restart', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'stellar-custom-'));
    const file = join(dir, 'config.toml');
    writeFileSync(file, CONFIG);
    const fleet = await startSimulatedFleet({ clusters: 1, fes: 2, bes: 1 });
    const start = () =>
      startService({
        loaded: loadConfig({ configPath: file, explicit: true, env: { APP_SERVER_PORT: '0', APP_SERVER_DATA_DIR: join(dir, 'data'), APP_AUTH_ADMIN_PASSWORD: 'custom-test-pw' } }),
        logger: loggerInto([], 'info'),
        pidFile: join(dir, 'stellar.pid'),
        print: () => undefined,
      });
    const headers = { authorization: `Basic ${Buffer.from('admin:custom-test-pw').toString('base64')}`, 'content-type': 'application/json' };
    const overviewOf = async (url: string, id: number) => (await (await fetch(`${url}/api/clusters/${id}/overview?time_range=15m&max_points=5000`, { headers })).json()) as ClusterOverviewJson;
    const waitFor = async (url: string, id: number, done: (o: ClusterOverviewJson) => boolean): Promise<ClusterOverviewJson> => {
      let overview = await overviewOf(url, id);
      for (let i = 0; i < 60 && !done(overview); i += 1) {
        await new Promise((r) => setTimeout(r, 100));
        overview = await overviewOf(url, id);
      }
      return overview;
    };

    let service = await start();
    try {
      const d = fleet.details()[0]!;
      const body = { name: d.name, fe_host: d.fe_host, fe_http_port: d.fe_http_port, fe_query_port: d.fe_query_port, username: 'root', connection_timeout: 1 };
      const id = ((await (await fetch(`${service.url}/api/clusters`, { method: 'POST', headers, body: JSON.stringify(body) })).json()) as { id: number }).id;
      const first = await waitFor(service.url, id, (o) => typeof o.latest_snapshot?.custom.fe_threads_max === 'number');
      const custom = first.latest_snapshot?.custom ?? {};
      expect(Object.keys(custom).sort()).toEqual(['fe_threads_max', 'leader_queue']);
      expect(custom.fe_threads_max).toBeGreaterThanOrEqual(300);
      expect(custom.leader_queue).toEqual(expect.any(Number));
      const federate = parsePrometheusText(await (await fetch(`${service.url}/federate`, { headers })).text());
      expect(federate.family('stellar_custom_fe_threads_max')?.help).toBe('Most JVM threads on any FE (threads)');
      expect(federate.family('stellar_custom_fe_threads_max')?.samples.length).toBe(1);
      await service.close();

      // The same file, the same database: what was stored is served at once, and collection goes on.
      service = await start();
      const kept = await overviewOf(service.url, id);
      // The first run may have collected again after it was read: the stored row is that one or later.
      expect(Date.parse(kept.latest_snapshot?.collected_at ?? '')).toBeGreaterThanOrEqual(Date.parse(first.latest_snapshot?.collected_at ?? ''));
      expect(kept.latest_snapshot?.custom).toEqual({ fe_threads_max: expect.any(Number), leader_queue: expect.any(Number) });
      const after = await waitFor(service.url, id, (o) => o.latest_snapshot?.collected_at !== kept.latest_snapshot?.collected_at);
      expect(after.latest_snapshot?.custom.fe_threads_max).toEqual(expect.any(Number));
      expect(after.custom_trends.fe_threads_max?.at(-1)).toEqual(expect.any(Number));
      // Rows of both runs carry the values.
      const exported = (await (await fetch(`${service.url}/api/clusters/${id}/snapshots?fields=custom`, { headers })).json()) as { rows: { collected_at: string; custom: Record<string, number | null> }[] };
      const keptAt = kept.latest_snapshot?.collected_at ?? '';
      const withValue = exported.rows.filter((row) => typeof row.custom.fe_threads_max === 'number');
      expect(withValue.some((row) => row.collected_at <= keptAt)).toBe(true);
      expect(withValue.some((row) => row.collected_at > keptAt)).toBe(true);
    } finally {
      await service.close();
      await fleet.close();
    }
  });
});
