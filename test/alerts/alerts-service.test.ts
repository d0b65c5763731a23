/**
 * Alerting as `stellar start` wires it: the alerts file read at start (an error in it stops the
 * start with exit 2), rules evaluated after the collections of a simulated cluster, the signed
 * notification reaching a local webhook, and the figures on /metrics. On the real clock: the
 * test waits for what it expects, with a bound, and asserts no duration.
 */
import { createHmac } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/sources.js';
import { StellarError } from '../../src/errors.js';
import { startService } from '../../src/service.js';
import { startSimulatedFleet } from '../../src/simulator/fleet.js';
import { loggerInto } from '../helpers/test-app.js';

const PASSWORD = 'alerts-test-pw';
const SECRET = 'the-hook-secret-of-this-test';

function setup(alertsToml: string) {
  const dir = mkdtempSync(join(tmpdir(), 'stellar-alerts-service-'));
  const file = join(dir, 'alerts.toml');
  writeFileSync(file, alertsToml);
  const lines: string[] = [];
  const load = () =>
    loadConfig({
      configPath: join(dir, 'missing.toml'),
      explicit: false,
      env: { APP_SERVER_PORT: '0', APP_SERVER_DATA_DIR: join(dir, 'data'), APP_AUTH_ADMIN_PASSWORD: PASSWORD, APP_METRICS_INTERVAL_SECS: '1', APP_ALERTS_FILE: file, APP_ALERTS_DEFAULTS: 'false' },
    });
  const start = () => startService({ loaded: load(), reloadConfig: load, logger: loggerInto(lines, 'info'), print: () => {} });
  return { file, lines, start };
}

const basic = { authorization: `Basic ${Buffer.from(`admin:${PASSWORD}`).toString('base64')}` };

async function until<T>(what: string, probe: () => Promise<T | undefined>): Promise<T> {
  for (let i = 0; i < 200; i += 1) {
    const found = await probe();
    if (found !== undefined) return found;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`never saw ${what}`);
}

describe('alerting in the service', () => {
  it('an error in the alerts file stops the start as a config error (exit 2), naming the file, rule and key', async () => {
    const { start } = setup('[[rules]]\nname = "x"\ncondition = "no_such_field > 1"\n');
    const error = await start().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StellarError);
    expect((error as StellarError).exitCode).toBe(2);
    expect((error as StellarError).message).toMatch(/alerts\.toml: rules "x" \(rules\[0\]\): condition: "no_such_field" at 1 is not a snapshot field/);
  });

  it('fires a rule on a dead backend and delivers it, signed, to the webhook; counts evaluations on /metrics', async () => {
    const received: Array<{ body: string; signature: string }> = [];
    const hook = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString('utf8')));
      req.on('end', () => {
        received.push({ body, signature: String(req.headers['x-stellar-signature']) });
        res.end();
      });
    });
    await new Promise<void>((resolve) => hook.listen(0, '127.0.0.1', resolve));
    const hookUrl = `http://127.0.0.1:${(hook.address() as AddressInfo).port}/hook`;
    const fleet = await startSimulatedFleet({ clusters: 1, fes: 1, bes: 3, faults: 'be_dead@2' });
    const { start } = setup(`
[[rules]]
name = "backend-down"
condition = "backend_alive < backend_total"
severity = "critical"
annotations = { summary = "{{ cluster }}: {{ value }} of {{ fields.backend_total }} backends alive" }

[[webhooks]]
name = "ops"
url = "${hookUrl}"
secret = "${SECRET}"
`);
    const service = await start();
    const headers = { ...basic, 'content-type': 'application/json' };
    try {
      const d = fleet.details()[0]!;
      await fetch(`${service.url}/api/clusters`, { method: 'POST', headers, body: JSON.stringify({ name: 'sim', fe_host: d.fe_host, fe_http_port: d.fe_http_port, fe_query_port: d.fe_query_port, username: 'root', connection_timeout: 1 }) });

      const delivered = await until('the webhook called', () => Promise.resolve(received[0]));
      expect(delivered.signature).toBe(`sha256=${createHmac('sha256', SECRET).update(delivered.body).digest('hex')}`);
      const body = JSON.parse(delivered.body) as { status: string; alerts: Array<{ labels: Record<string, string>; annotations: Record<string, string> }> };
      expect(body.status).toBe('firing');
      expect(body.alerts[0]).toMatchObject({ labels: { alertname: 'backend-down', cluster: 'sim', severity: 'critical' }, annotations: { summary: 'sim: 2 of 3 backends alive' } });

      const active = (await (await fetch(`${service.url}/api/alerts`, { headers })).json()) as { alerts: Array<{ rule: string; status: string }> };
      expect(active.alerts.map((a) => [a.rule, a.status])).toEqual([['backend-down', 'firing']]);
      const rules = (await (await fetch(`${service.url}/api/alert-rules`, { headers })).json()) as { rules: Array<{ name: string; origin: string }> };
      expect(rules.rules).toEqual([expect.objectContaining({ name: 'backend-down', origin: 'file' })]);

      const metrics = await (await fetch(`${service.url}/metrics`, { headers })).text();
      const evaluations = Number(/^stellar_alert_evaluations_total (\d+)$/m.exec(metrics)?.[1]);
      expect(evaluations).toBeGreaterThan(0);
      expect(metrics).toContain('stellar_alert_notification_failures_total{channel="webhook ops"} 0');
    } finally {
      await service.close();
      await fleet.close();
      await new Promise<void>((resolve) => hook.close(() => resolve()));
    }
  });

  it('a reload reads the alerts file again: a valid change is in force at once, an invalid one is refused whole and the running rules stay', async () => {
    const { file, start } = setup('[[rules]]\nname = "qps-high"\ncondition = "qps > 1000"\n');
    const service = await start();
    const rules = async () => ((await (await fetch(`${service.url}/api/alert-rules`, { headers: basic })).json()) as { rules: Array<{ name: string; condition: string }> }).rules.map((r) => `${r.name}: ${r.condition}`);
    try {
      expect(await rules()).toEqual(['qps-high: qps > 1000']);
      writeFileSync(file, '[[rules]]\nname = "qps-high"\ncondition = "qps > 5000"\n[[rules]]\nname = "heap-high"\ncondition = "jvm_heap_usage_pct > 95"\n');
      await service.reload('test');
      expect(await rules()).toEqual(['qps-high: qps > 5000', 'heap-high: jvm_heap_usage_pct > 95']);

      writeFileSync(file, '[[rules]]\nname = "qps-high"\ncondition = "qps >"\n');
      const refused = await service.reload('test').catch((e: unknown) => e);
      expect(refused).toMatchObject({ code: 'STELLAR_ERR_CONFIG_INVALID', message: expect.stringMatching(/alerts\.toml: rules "qps-high" \(rules\[0\]\): condition: expected/) });
      expect(await rules()).toEqual(['qps-high: qps > 5000', 'heap-high: jvm_heap_usage_pct > 95']);
    } finally {
      await service.close();
    }
  });
});
