/**
 * Reloading the configuration of a running `stellar start`, as a real process with a config
 * file: SIGHUP and POST /api/admin/reload apply the reloadable keys (the collection's new
 * cadence seen in the cluster's collection state, the log level in the log), refuse a bad file
 * whole while the service runs on, and list the keys that take a restart.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startSimulatedFleet, type SimulatedFleet } from '../../src/simulator/fleet.js';
import { postgresSkipReason, postgresTestUrl } from '../helpers/dialects.js';
import { skipNote } from '../helpers/requirements.js';
import { collectionRole, killStarted, startStellar, type StellarProcess, waitFor } from '../helpers/stellar-process.js';

afterEach(killStarted);

const PASSWORD = 'config-reload-pw';
const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
const ADMIN = { authorization: basic('admin', PASSWORD), 'content-type': 'application/json' };

/**
 * A config file in a fresh folder, with its data folder beside it, on SQLite unless
 * `databaseUrl`; `write` replaces its text. (The admin password comes from the environment, a
 * source a reload reads again too.)
 */
function configFile(databaseUrl?: string): { path: string; write: (body: string) => void } {
  const dir = mkdtempSync(join(tmpdir(), 'stellar-reload-'));
  const path = join(dir, 'stellar.toml');
  const database = databaseUrl === undefined ? '' : `[database]\nurl = "${databaseUrl}"\n`;
  const head = `[server]\ndata_dir = ${JSON.stringify(join(dir, 'data'))}\n${database}`;
  return { path, write: (body) => writeFileSync(path, head + body) };
}

async function registerCluster(url: string, fleet: SimulatedFleet): Promise<void> {
  const d = fleet.details()[0]!;
  const body = { name: d.name, fe_host: d.fe_host, fe_http_port: d.fe_http_port, fe_query_port: d.fe_query_port, username: 'root', connection_timeout: 1 };
  expect((await fetch(`${url}/api/clusters`, { method: 'POST', headers: ADMIN, body: JSON.stringify(body) })).status).toBe(201);
}

async function nextAttemptAt(url: string): Promise<number | undefined> {
  const listed = (await (await fetch(`${url}/api/clusters`, { headers: ADMIN })).json()) as { collection: { next_attempt_at: string } | null }[];
  const at = listed[0]?.collection?.next_attempt_at;
  return at === undefined ? undefined : Date.parse(at);
}

/**
 * Waits until three successive collections of the cluster are `intervalMs` apart: each
 * collection sets the next on its slot of the interval in effect, so the scheduled instants step
 * by it exactly (two steps, since the first after a restart may still be on the old slot).
 */
async function cadence(url: string, intervalMs: number, stellar: StellarProcess): Promise<void> {
  const seen: number[] = [];
  await waitFor(
    `collections ${intervalMs} ms apart (seen ${seen.join(', ')})`,
    async () => {
      const at = await nextAttemptAt(url);
      if (at !== undefined && at !== seen.at(-1)) seen.push(at);
      return seen.length >= 3 && seen.at(-1)! - seen.at(-2)! === intervalMs && seen.at(-2)! - seen.at(-3)! === intervalMs ? true : undefined;
    },
    stellar.output,
  );
}

/** The JSON log lines written after the first line containing `marker`. */
function linesAfter(stellar: StellarProcess, marker: string): { level: number; msg: string; [key: string]: unknown }[] {
  const text = stellar.output();
  const from = text.indexOf(marker);
  if (from < 0) return [];
  return text
    .slice(from)
    .split('\n')
    .slice(1)
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as { level: number; msg: string });
}

/**
 * SIGHUP with a new interval and log level, then with a bad file, against a collecting `stellar
 * start` on SQLite, or on PostgreSQL in leader mode (`databaseUrl`), where the leader restarts
 * its collection under the lease it holds.
 */
async function reloadOnSighup(databaseUrl?: string): Promise<void> {
  const fleet = await startSimulatedFleet({ clusters: 1, fes: 1, bes: 1 });
  try {
    const file = configFile(databaseUrl);
    file.write('[metrics]\ninterval_secs = 1\n[log]\nlevel = "info"\n');
    const stellar = startStellar({ APP_AUTH_ADMIN_PASSWORD: PASSWORD }, ['--config', file.path]);
    const url = await stellar.listening();
    await registerCluster(url, fleet);
    await cadence(url, 1000, stellar);
    expect(stellar.output()).not.toContain('"level":20');

    file.write('[metrics]\ninterval_secs = "2s"\n[log]\nlevel = "debug"\n');
    stellar.child.kill('SIGHUP');
    await waitFor('the reload', () => (stellar.output().includes('"msg":"configuration reloaded"') ? true : undefined), stellar.output);
    expect(stellar.output()).toMatch(/"applied":\["metrics.interval_secs","log.level"\],"restart_needed":\[\],"trigger":"SIGHUP"/);
    await cadence(url, 2000, stellar);
    // The collection restarted once, with the new interval; debug lines (each request) are written now.
    expect(linesAfter(stellar, 'starting Stellar').filter((l) => l.msg === 'collecting metrics').map((l) => l.interval_secs)).toEqual([1, 2]);
    await waitFor('a debug line', () => (linesAfter(stellar, '"msg":"configuration reloaded"').some((l) => l.level === 20) ? true : undefined), stellar.output);

    file.write('[metrics]\ninterval_secs = "fast"\n[log]\nlevel = "info"\n');
    stellar.child.kill('SIGHUP');
    await waitFor('the refusal', () => (stellar.output().includes('configuration reload refused') ? true : undefined), stellar.output);
    expect(stellar.output()).toContain(`config error: metrics.interval_secs = \\"fast\\" from file ${file.path}`);
    // Still running, still on the configuration before the bad file: 2 s apart, debug lines.
    expect((await fetch(`${url}/readyz`)).status).toBe(200);
    await cadence(url, 2000, stellar);
    expect(linesAfter(stellar, 'configuration reload refused').some((l) => l.level === 20)).toBe(true);
    // Leader all along: one collection seat, restarted inside it.
    expect(await collectionRole(url)).toEqual({ role: 'leader' });
  } finally {
    await fleet.close();
  }
}

describe('reloading the configuration of stellar start', () => {
  it('applies a new interval and log level on SIGHUP, and refuses a bad file whole while collecting on', () => reloadOnSighup(), 240_000);

  it.skipIf(postgresSkipReason !== null)(`does so on PostgreSQL in leader mode, the collection restarted under the lease it holds${skipNote(postgresSkipReason)}`, async () => {
    const database = await postgresTestUrl();
    try {
      await reloadOnSighup(database.url);
    } finally {
      // Gone before its schema is: a drop would wait for the locks of its transactions.
      killStarted();
      await database.drop();
    }
  }, 240_000);

  it('reloads on POST /api/admin/reload for an admin only (token lifetime, concurrency, allowed targets at once), answers 400 naming a bad key, and lists keys that take a restart', async () => {
    const file = configFile();
    file.write('[metrics]\nmax_concurrency = 4\n');
    const stellar = startStellar({ APP_AUTH_ADMIN_PASSWORD: PASSWORD }, ['--config', file.path]);
    const url = await stellar.listening();
    const reload = (headers: Record<string, string>) => fetch(`${url}/api/admin/reload`, { method: 'POST', headers: { authorization: headers.authorization! } });

    expect(await (await reload(ADMIN)).json()).toEqual({ applied: [], restart_needed: [], unchanged: true });

    const viewer = { username: 'watcher', password: 'watcher-password', role: 'viewer' };
    expect((await fetch(`${url}/api/users`, { method: 'POST', headers: ADMIN, body: JSON.stringify(viewer) })).status).toBe(201);
    file.write('[metrics]\nmax_concurrency = 8\nretention_days = "2w"\n[database]\npool_size = 3\n[auth]\ntoken_ttl = "1h"\n');
    const refused = await reload({ authorization: basic('watcher', 'watcher-password') });
    expect(refused.status).toBe(403);
    expect(((await refused.json()) as { code: string }).code).toBe('STELLAR_ERR_AUTH_FORBIDDEN');

    const applied = await reload(ADMIN);
    expect(applied.status).toBe(200);
    expect(await applied.json()).toEqual({ applied: ['metrics.retention_days', 'metrics.max_concurrency', 'auth.token_ttl'], restart_needed: ['database.pool_size'], unchanged: false });
    await waitFor('the restart warning', () => (stellar.output().includes('database.pool_size changed but take a restart') ? true : undefined), stellar.output);
    // A login now gives a token for the new auth.token_ttl.
    const before = Date.now();
    const login = await fetch(`${url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password: PASSWORD }) });
    const expiresAt = Date.parse(((await login.json()) as { expires_at: string }).expires_at);
    expect(expiresAt).toBeGreaterThanOrEqual(before + 3_600_000);
    expect(expiresAt).toBeLessThanOrEqual(Date.now() + 3_600_000);
    // Stellar's own metrics follow the new concurrency.
    expect(await (await fetch(`${url}/metrics`, { headers: ADMIN })).text()).toMatch(/^stellar_collector_max_concurrency 8$/m);

    // Connection tests follow a reloaded security.allowed_targets from the next test on.
    const testConnection = async () => {
      const body = { name: 'probe', fe_host: '127.0.0.1', fe_http_port: 1, fe_query_port: 1, username: 'root', connection_timeout: 1 };
      const answer = (await (await fetch(`${url}/api/clusters/test-connection`, { method: 'POST', headers: ADMIN, body: JSON.stringify(body) })).json()) as { checks: { error_kind: string | null }[] };
      return answer.checks.map((c) => c.error_kind);
    };
    expect(await testConnection()).not.toContain('not_allowed');
    file.write('[metrics]\nmax_concurrency = 8\nretention_days = "2w"\n[database]\npool_size = 3\n[auth]\ntoken_ttl = "1h"\n[security]\nallowed_targets = ["10.0.0.0/8"]\n');
    expect(await (await reload(ADMIN)).json()).toEqual({ applied: ['security.allowed_targets'], restart_needed: ['database.pool_size'], unchanged: false });
    expect(await testConnection()).toContain('not_allowed');

    file.write('[metrics]\nmax_concurrency = 0\n[auth]\ntoken_ttl = "1h"\n');
    const bad = await reload(ADMIN);
    expect(bad.status).toBe(400);
    const error = (await bad.json()) as { code: string; message: string; details: { field: string; message: string }[] };
    expect(error.code).toBe('STELLAR_ERR_CONFIG_INVALID');
    expect(error.details).toEqual([{ field: 'metrics.max_concurrency', message: `config error: metrics.max_concurrency = 0 from file ${file.path}: is below 1; accepted: a whole number from 1 to 1000` }]);
    expect(await (await fetch(`${url}/metrics`, { headers: ADMIN })).text()).toMatch(/^stellar_collector_max_concurrency 8$/m);
  }, 240_000);
  it('replaces the file’s [[custom_metrics]] on POST /api/admin/reload, keeping the API’s, and refuses a bad one whole', async () => {
    const file = configFile();
    const metric = (name: string, extra = '') => `[[custom_metrics]]\nname = "${name}"\nsource = "fe"\nfamily = "jvm_heap_size_bytes"\n${extra}`;
    file.write(metric('heap_from_file'));
    const stellar = startStellar({ APP_AUTH_ADMIN_PASSWORD: PASSWORD }, ['--config', file.path]);
    const url = await stellar.listening();
    const listed = async () => ((await (await fetch(`${url}/api/custom-metrics`, { headers: ADMIN })).json()) as { metrics: { name: string; origin: string }[] }).metrics.map((m) => `${m.origin} ${m.name}`);
    const made = await fetch(`${url}/api/custom-metrics`, { method: 'POST', headers: ADMIN, body: JSON.stringify({ name: 'heap_from_api', source: 'fe', family: 'jvm_heap_size_bytes' }) });
    expect(made.status).toBe(201);
    expect(await listed()).toEqual(['file heap_from_file', 'api heap_from_api']);
    const reload = () => fetch(`${url}/api/admin/reload`, { method: 'POST', headers: { authorization: ADMIN.authorization } });

    file.write(metric('heap_renamed', 'aggregate = "max"\n'));
    expect((await reload()).status).toBe(200);
    expect(await listed()).toEqual(['file heap_renamed', 'api heap_from_api']);

    file.write(metric('heap_renamed', 'aggregate = "median"\n'));
    const bad = await reload();
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { message: string }).message).toContain('custom_metrics[0] ("heap_renamed")');
    expect(await listed()).toEqual(['file heap_renamed', 'api heap_from_api']);
  }, 120_000);
});
