/**
 * A real Prometheus (Debian's `prometheus` package) scrapes a running Stellar with the scrape
 * configuration of docs/prometheus.md — a viewer's personal token in a credentials file,
 * honor_labels on /federate — while Stellar collects a simulated fleet: the fleet's figures
 * arrive under Stellar's cluster labels, and every query of deploy/grafana/stellar-fleet.json
 * is valid PromQL that Prometheus answers (the fleet table's with a row per cluster).
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/sources.js';
import { startService } from '../../src/service.js';
import { startSimulatedFleet } from '../../src/simulator/fleet.js';
import { skipNote, skipReason } from '../helpers/requirements.js';
import { loggerInto } from '../helpers/test-app.js';

const missing = skipReason(spawnSync('prometheus', ['--version']).error ? 'prometheus (Debian package prometheus) is not installed: Stellar is not scraped by a real Prometheus' : null, 'STELLAR_REQUIRE_PROMETHEUS');

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address !== null ? address.port : 0));
    });
  });
}

interface Series {
  readonly metric: Record<string, string>;
  readonly value: [number, string];
}

/** Every query of the dashboard, panels and variables, with `$cluster` as "every cluster". */
function dashboardQueries(): Array<{ title: string; expr: string; table: boolean }> {
  const dashboard = JSON.parse(readFileSync(new URL('../../deploy/grafana/stellar-fleet.json', import.meta.url), 'utf8')) as {
    panels: Array<{ title: string; type: string; targets?: Array<{ expr: string }> }>;
  };
  return dashboard.panels.flatMap((p) => (p.targets ?? []).map((t) => ({ title: p.title, expr: t.expr.replaceAll('$cluster', '.*'), table: p.type === 'table' })));
}

describe.skipIf(missing !== null)(`Prometheus scraping Stellar${skipNote(missing)}`, () => {
  it('stores the fleet under Stellar’s labels and answers every dashboard query', async () => {
    const fleet = await startSimulatedFleet({ clusters: 2, fes: 1, bes: 2 });
    const dir = mkdtempSync(join(tmpdir(), 'stellar-prometheus-'));
    const service = await startService({
      loaded: loadConfig({
        configPath: join(dir, 'missing.toml'),
        explicit: false,
        env: { APP_SERVER_PORT: '0', APP_SERVER_DATA_DIR: join(dir, 'data'), APP_AUTH_ADMIN_PASSWORD: 'scrape-test-pw', APP_METRICS_INTERVAL_SECS: '1' },
      }),
      logger: loggerInto([], 'info'),
      print: () => {},
    });
    const admin = { authorization: `Basic ${Buffer.from('admin:scrape-test-pw').toString('base64')}`, 'content-type': 'application/json' };
    let prometheus: ReturnType<typeof spawn> | null = null;
    try {
      const names: string[] = [];
      for (const d of fleet.details()) {
        const body = { name: d.name, fe_host: d.fe_host, fe_http_port: d.fe_http_port, fe_query_port: d.fe_query_port, username: 'root', connection_timeout: 1 };
        expect((await fetch(`${service.url}/api/clusters`, { method: 'POST', headers: admin, body: JSON.stringify(body) })).status).toBe(201);
        names.push(d.name);
      }
      // As docs/prometheus.md says: a viewer's personal token, in a file Prometheus reads.
      const made = await fetch(`${service.url}/api/auth/tokens`, { method: 'POST', headers: admin, body: JSON.stringify({ name: 'prometheus', expires_in_days: 365, role: 'viewer' }) });
      writeFileSync(join(dir, 'stellar.token'), ((await made.json()) as { token: string }).token, { mode: 0o600 });
      const target = service.url.replace('http://', '');
      const job = (name: string, extra: string[]) => [
        `  - job_name: ${name}`,
        ...extra,
        '    scrape_interval: 1s',
        '    authorization:',
        `      credentials_file: ${join(dir, 'stellar.token')}`,
        '    static_configs:',
        `      - targets: ['${target}']`,
      ];
      writeFileSync(join(dir, 'prometheus.yml'), ['scrape_configs:', ...job('stellar', []), ...job('stellar-federate', ['    metrics_path: /federate', '    honor_labels: true']), ''].join('\n'));
      const port = await freePort();
      prometheus = spawn('prometheus', [`--config.file=${join(dir, 'prometheus.yml')}`, `--storage.tsdb.path=${join(dir, 'tsdb')}`, `--web.listen-address=127.0.0.1:${port}`], { stdio: 'ignore' });
      const query = async (expr: string): Promise<{ status: string; series: Series[]; error?: string }> => {
        const answer = (await (await fetch(`http://127.0.0.1:${port}/api/v1/query?query=${encodeURIComponent(expr)}`)).json()) as { status: string; error?: string; data?: { result: Series[] } };
        return { status: answer.status, series: answer.data?.result ?? [], ...(answer.error ? { error: answer.error } : {}) };
      };
      // Until both jobs have scraped both clusters (Prometheus starts, then scrapes every second).
      let backends: Series[] = [];
      for (let i = 0; i < 150; i += 1) {
        await new Promise((resolve) => setTimeout(resolve, 200));
        try {
          const up = await query('count(stellar_cluster_up) + count(stellar_backend_total)');
          if (Number(up.series[0]?.value[1]) === 4) {
            backends = (await query('stellar_backend_total')).series;
            break;
          }
        } catch {
          // Not listening yet.
        }
      }
      expect(backends.map((s) => [s.metric.cluster, s.metric.job, s.value[1]]).sort()).toEqual(names.map((n) => [n, 'stellar-federate', '2']).sort());
      expect(backends.every((s) => /^\d+$/.test(s.metric.cluster_id ?? ''))).toBe(true);

      for (const q of dashboardQueries()) {
        const answer = await query(q.expr);
        expect(answer.status, `${q.title}: ${q.expr}: ${answer.error ?? ''}`).toBe('success');
        if (q.table) expect(answer.series.map((s) => s.metric.cluster).sort(), `${q.title}: ${q.expr}`).toEqual([...names].sort());
      }
    } finally {
      if (prometheus !== null && prometheus.exitCode === null) {
        const exited = new Promise((resolve) => prometheus?.once('exit', resolve));
        prometheus.kill('SIGTERM');
        await exited;
      }
      await service.close();
      await fleet.close();
    }
  });
});
