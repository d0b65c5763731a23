import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config/sources.js';
import { StellarError } from '../src/errors.js';
import { startService } from '../src/service.js';
import { startSimulatedFleet } from '../src/simulator/fleet.js';
import { loggerInto } from './helpers/test-app.js';

function setup(env: Record<string, string> = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'stellar-service-'));
  const lines: string[] = [];
  const logger = loggerInto(lines, 'info');
  const printed: string[] = [];
  const start = (extra: Record<string, string> = {}) =>
    startService({
      loaded: loadConfig({ configPath: join(dir, 'missing.toml'), explicit: false, env: { APP_SERVER_PORT: '0', APP_SERVER_DATA_DIR: join(dir, 'data'), ...env, ...extra } }),
      logger,
      pidFile: join(dir, 'stellar.pid'),
      print: (text) => printed.push(text),
    });
  return { dir, lines, printed, start };
}

describe('startService', () => {
  it('collects registered clusters on its schedule and shows where each one stands', async () => {
    const fleet = await startSimulatedFleet({ clusters: 2, fes: 1, bes: 2, faults: '2:fe_down@0' });
    const { start } = setup({ APP_AUTH_ADMIN_PASSWORD: 'collect-test-pw', APP_METRICS_INTERVAL_SECS: '1' });
    const service = await start();
    const headers = { authorization: `Basic ${Buffer.from('admin:collect-test-pw').toString('base64')}`, 'content-type': 'application/json' };
    try {
      const ids: number[] = [];
      for (const d of fleet.details()) {
        const body = { name: d.name, fe_host: d.fe_host, fe_http_port: d.fe_http_port, fe_query_port: d.fe_query_port, username: 'root', connection_timeout: 1 };
        const created = await fetch(`${service.url}/api/clusters`, { method: 'POST', headers, body: JSON.stringify(body) });
        ids.push(((await created.json()) as { id: number }).id);
      }
      // A cluster added while running is collected on the scheduler's next tick, then every interval.
      let states: { status: string; consecutive_failures: number }[] = [];
      for (let i = 0; i < 50; i += 1) {
        await new Promise((r) => setTimeout(r, 100));
        const listed = (await (await fetch(`${service.url}/api/clusters`, { headers })).json()) as { collection: { status: string; consecutive_failures: number } }[];
        states = listed.map((c) => c.collection);
        if (states[1]?.consecutive_failures === 2) break;
      }
      expect(states[0]?.status).toBe('ok');
      expect(states[1]).toMatchObject({ status: 'failed', consecutive_failures: 2 });
    } finally {
      await service.close();
      await fleet.close();
    }
  });

  it('starts on a fresh machine: creates the data directory, key, database and admin, and listens', async () => {
    const { dir, printed, lines, start } = setup();
    const service = await start();
    try {
      expect(statSync(join(dir, 'data')).mode & 0o777).toBe(0o700);
      expect(statSync(join(dir, 'data', 'secret.key')).mode & 0o777).toBe(0o600);
      expect(readFileSync(join(dir, 'stellar.pid'), 'utf8')).toBe(`${process.pid}\n`);
      const password = readFileSync(join(dir, 'data', 'initial-admin-password'), 'utf8').trim();
      expect(printed.join('')).toContain(`    ${password}\n`);
      expect(lines.join('')).not.toContain(password);

      const health = await fetch(`${service.url}/healthz`);
      expect(await health.json()).toEqual({ status: 'ok' });
      const ready = await fetch(`${service.url}/readyz`);
      expect([ready.status, ((await ready.json()) as { collection: unknown }).collection]).toEqual([200, { role: 'leader' }]);
      const clusters = await fetch(`${service.url}/api/clusters`, { headers: { authorization: `Basic ${Buffer.from(`admin:${password}`).toString('base64')}` } });
      expect([clusters.status, await clusters.json()]).toEqual([200, []]);
      expect(lines.join('')).toContain(`is listening on ${service.url}`);
    } finally {
      await service.close();
    }
    expect(() => statSync(join(dir, 'stellar.pid'))).toThrow();
  });

  it('keeps its data and admin across restarts and prints no new password', async () => {
    const { printed, start } = setup();
    const first = await start();
    await first.close();
    expect(printed).toHaveLength(1);
    const second = await start();
    await second.close();
    expect(printed).toHaveLength(1);
  });

  it('uses APP_AUTH_ADMIN_PASSWORD for the first admin and prints nothing', async () => {
    const { dir, printed, start } = setup({ APP_AUTH_ADMIN_PASSWORD: 'chosen-by-operator' });
    const service = await start();
    try {
      expect(printed).toEqual([]);
      expect(() => statSync(join(dir, 'data', 'initial-admin-password'))).toThrow();
      const login = await fetch(`${service.url}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: 'admin', password: 'chosen-by-operator' }),
      });
      expect(login.status).toBe(200);
    } finally {
      await service.close();
    }
  });

  it('says in /readyz that it does not collect when metrics are off', async () => {
    const { lines, start } = setup({ APP_METRICS_ENABLED: 'false' });
    const service = await start();
    try {
      const ready = await fetch(`${service.url}/readyz`);
      expect([ready.status, ((await ready.json()) as { collection: unknown }).collection]).toEqual([200, { role: 'off' }]);
      expect(lines.join('')).toContain('metric collection is off');
    } finally {
      await service.close();
    }
  });

  it('warns at every start when authentication is off', async () => {
    const { lines, start } = setup({ APP_AUTH_ENABLED: 'false' });
    await (await start()).close();
    expect(lines.join('')).toContain('authentication is off');
  });

  it('refuses to start with a secret key other than the one the database was set up with', async () => {
    const { dir, start } = setup();
    await (await start()).close();
    writeFileSync(join(dir, 'data', 'secret.key'), `${'cd'.repeat(32)}\n`, { mode: 0o600 });
    const error = await start().catch((err: unknown) => err);
    expect(error).toBeInstanceOf(StellarError);
    expect((error as StellarError).code).toBe('STELLAR_ERR_SECRET_KEY');
    expect((error as StellarError).exitCode).toBe(2);
  });

  it('refuses coordination = "shards" on an SQLite file, saying what it needs', async () => {
    const { start } = setup({ APP_CLUSTER_COORDINATION: 'shards' });
    const error = await start().catch((err: unknown) => err);
    expect(error).toBeInstanceOf(StellarError);
    expect((error as StellarError).code).toBe('STELLAR_ERR_CONFIG');
    expect((error as StellarError).message).toMatch(/^cluster\.coordination = "shards" needs a database the instances share: database\.url is sqlite .*; set it to a postgres:\/\/ URL, or set cluster\.coordination = "leader"/);
  });

  it('says which data directory it cannot create', async () => {
    const { dir, start } = setup();
    writeFileSync(join(dir, 'not-a-dir'), '');
    const error = await start({ APP_SERVER_DATA_DIR: join(dir, 'not-a-dir', 'data') }).catch((err: unknown) => err);
    expect(error).toBeInstanceOf(StellarError);
    expect((error as StellarError).message).toMatch(/^cannot create the data directory .*not-a-dir\/data \(server.data_dir\): ENOTDIR/);
  });

  it('says so when the port is taken', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as { port: number }).port;
    const { start } = setup();
    const error = await start({ APP_SERVER_PORT: String(port) }).catch((err: unknown) => err);
    blocker.close();
    expect(error).toBeInstanceOf(StellarError);
    expect((error as StellarError).message).toBe(
      `cannot listen on 127.0.0.1:${port}: the address is already in use (another Stellar running?); choose another with server.port / APP_SERVER_PORT`,
    );
  });
});
