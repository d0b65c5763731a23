/**
 * The README's commands as a user types them on a built tree: `npx stellar …` resolves the
 * package's bin and runs dist/cli/main.js itself, and `npm start` builds when stale and starts
 * the service. Real processes through npm; the data directory and the port are temporary.
 */
import { existsSync, mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { builtTreeSkipReason, ROOT, runToEnd, startListening } from '../helpers/built-tree.js';
import { skipNote } from '../helpers/requirements.js';

const tmp = (what: string) => mkdtempSync(join(tmpdir(), `stellar-readme-${what}-`));

describe.skipIf(builtTreeSkipReason !== null)(`the README's commands${skipNote(builtTreeSkipReason)}`, () => {
  it('npx stellar help, version and config run the built bin, which the build left executable', async () => {
    // npx makes the bin executable when it first links the package into its cache, but not
    // after a rebuild replaced the file: the build itself must leave it so. Checked before
    // npx runs, since npx's first link (a fresh cache here) would fix it.
    expect((statSync(join(ROOT, 'dist', 'cli', 'main.js')).mode & 0o777).toString(8)).toBe('755');
    // A cache of its own: nothing of an earlier npx run is reused, nothing is fetched.
    const npm = { npm_config_cache: tmp('npm-cache'), npm_config_offline: 'true', npm_config_update_notifier: 'false' };
    const help = await runToEnd('npx', ['stellar', 'help'], npm);
    expect(help.code, help.stderr).toBe(0);
    expect(help.stdout).toContain('Usage: stellar <command> [flags]');
    expect(help.stdout).toMatch(/^\s+start\b/m);
    const version = await runToEnd('npx', ['stellar', 'version'], npm);
    expect(version.code, version.stderr).toBe(0);
    expect(version.stdout).toMatch(/^stellar \d+\.\d+\.\d+\n$/);
    const config = await runToEnd('npx', ['stellar', 'config', '--server-port', '9123'], npm);
    expect(config.code, config.stderr).toBe(0);
    expect(config.stdout).toMatch(/port = 9123\s+# flag --server-port\n/);
  }, 120_000);

  it('npm start on a fresh data directory creates it, starts the service and answers /healthz', async () => {
    const data = join(tmp('data'), 'data');
    const { url, output } = await startListening('npm', ['start'], { cwd: ROOT, env: { APP_SERVER_PORT: '0', APP_SERVER_DATA_DIR: data, APP_LOG_FORMAT: 'json', APP_METRICS_ENABLED: 'false' } });
    const healthz = await fetch(`${url}/healthz`);
    expect(healthz.status).toBe(200);
    expect(await healthz.json()).toEqual({ status: 'ok' });
    expect((statSync(data).mode & 0o777).toString(8)).toBe('700');
    expect(existsSync(join(data, 'initial-admin-password'))).toBe(true);
    expect(output()).toContain('generated password');
  }, 120_000);
});
