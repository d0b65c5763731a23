/**
 * /metrics of the running service, whose scheduler collects a simulated fleet: the scheduler's
 * per-cluster figures (consecutive failures, lag) and its totals, open to a scraper with
 * `[server] metrics_auth = "none"`, and a deleted cluster's series gone.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { loadConfig } from '../src/config/sources.js';
import { startService } from '../src/service.js';
import { startSimulatedFleet } from '../src/simulator/fleet.js';
import { type MetricFamily, parsePrometheusText } from '../src/starrocks/parse/prometheus-text.js';
import { loggerInto } from './helpers/test-app.js';

type Families = Map<string, MetricFamily>;

const valueOf = (families: Families, family: string, clusterId: number): number | undefined => families.get(family)?.samples.find((s) => s.labels.cluster_id === String(clusterId))?.value;

it('reports the scheduler’s figures per cluster, open to a scraper with metrics_auth = "none", and forgets a deleted cluster', async () => {
  const fleet = await startSimulatedFleet({ clusters: 2, fes: 1, bes: 1, faults: '2:fe_down@0' });
  const dir = mkdtempSync(join(tmpdir(), 'stellar-prometheus-'));
  const service = await startService({
    loaded: loadConfig({
      configPath: join(dir, 'missing.toml'),
      explicit: false,
      env: { APP_SERVER_PORT: '0', APP_SERVER_DATA_DIR: join(dir, 'data'), APP_AUTH_ADMIN_PASSWORD: 'prometheus-test-pw', APP_METRICS_INTERVAL_SECS: '1', APP_SERVER_METRICS_AUTH: 'none' },
    }),
    logger: loggerInto([], 'info'),
    print: () => {},
  });
  const headers = { authorization: `Basic ${Buffer.from('admin:prometheus-test-pw').toString('base64')}`, 'content-type': 'application/json' };
  const scrape = async (): Promise<Families> => {
    const response = await fetch(`${service.url}/metrics`);
    expect(response.status).toBe(200);
    return new Map(parsePrometheusText(await response.text()).families.map((f) => [f.name, f]));
  };
  /** Scrapes until `done` holds, as Prometheus would every second; the last scrape either way. */
  const scrapeUntil = async (done: (families: Families) => boolean): Promise<Families> => {
    let families = await scrape();
    for (let i = 0; i < 80 && !done(families); i += 1) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      families = await scrape();
    }
    return families;
  };
  try {
    const ids: number[] = [];
    for (const d of fleet.details()) {
      const body = { name: d.name, fe_host: d.fe_host, fe_http_port: d.fe_http_port, fe_query_port: d.fe_query_port, username: 'root', connection_timeout: 1 };
      ids.push(((await (await fetch(`${service.url}/api/clusters`, { method: 'POST', headers, body: JSON.stringify(body) })).json()) as { id: number }).id);
    }
    const [healthy = 0, failing = 0] = ids;
    const families = await scrapeUntil((f) => valueOf(f, 'stellar_cluster_consecutive_failures', failing) === 2 && valueOf(f, 'stellar_cluster_up', healthy) === 1);
    expect(valueOf(families, 'stellar_cluster_consecutive_failures', failing)).toBe(2);
    expect(valueOf(families, 'stellar_cluster_up', failing)).toBe(0);
    expect(valueOf(families, 'stellar_cluster_consecutive_failures', healthy)).toBe(0);
    expect(valueOf(families, 'stellar_cluster_collection_lag_seconds', healthy)).toBeGreaterThanOrEqual(0);
    expect(families.get('stellar_collector_clusters')?.samples[0]?.value).toBe(2);
    expect(families.get('stellar_collector_max_concurrency')?.samples[0]?.value).toBe(16);

    const deleted = await fetch(`${service.url}/api/clusters/${failing}`, { method: 'DELETE', headers: { authorization: headers.authorization } });
    expect(deleted.status).toBe(204);
    const after = await scrapeUntil((f) => valueOf(f, 'stellar_cluster_up', failing) === undefined);
    expect(after.get('stellar_cluster_up')?.samples.map((s) => s.labels.cluster_id)).toEqual([String(healthy)]);
    expect(after.get('stellar_cluster_consecutive_failures')?.samples.map((s) => s.labels.cluster_id)).toEqual([String(healthy)]);
    expect((await fetch(`${service.url}/federate`)).status).toBe(200);
    expect((await fetch(`${service.url}/api/clusters`)).status).toBe(401);
  } finally {
    await service.close();
    await fleet.close();
  }
});
