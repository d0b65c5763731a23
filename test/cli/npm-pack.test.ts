/**
 * The package as `npm pack` makes it, installed into an empty folder as a user installs a
 * release: its `stellar` command starts the service from that folder, which gets its data folder
 * there. Real processes through npm; dependencies come from npm's cache where it has them (the
 * registry otherwise), and better-sqlite3 is built as on any install, so this takes minutes.
 */
import { existsSync, mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { builtTreeSkipReason, runToEnd, startListening } from '../helpers/built-tree.js';
import { skipNote } from '../helpers/requirements.js';

const quietNpm = { npm_config_update_notifier: 'false', npm_config_fund: 'false', npm_config_audit: 'false' };

describe.skipIf(builtTreeSkipReason !== null)(`the npm package${skipNote(builtTreeSkipReason)}`, () => {
  it('holds the built service and nothing of the sources, and `npx stellar start` runs it from any folder', async () => {
    const out = mkdtempSync(join(tmpdir(), 'stellar-pack-'));
    // The tree is built (the suite runs on a current dist/): no prepack build under the other tests.
    const pack = await runToEnd('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', out], quietNpm);
    expect(pack.code, pack.stderr).toBe(0);
    const [packed] = JSON.parse(pack.stdout) as Array<{ filename: string; files: Array<{ path: string }> }>;
    const files = packed!.files.map((f) => f.path);
    for (const needed of ['package.json', 'dist/cli/main.js', 'dist/web/index.html', 'conf/config.toml', 'README.md', 'docs/configuration.md']) expect(files).toContain(needed);
    expect(files.filter((f) => /^(src|test|bench|web|scripts)\//.test(f) || f.endsWith('.test.js'))).toEqual([]);

    const app = mkdtempSync(join(tmpdir(), 'stellar-installed-'));
    const install = await runToEnd('npm', ['install', '--prefer-offline', '--prefix', app, join(out, packed!.filename)], quietNpm);
    expect(install.code, install.stderr).toBe(0);

    const { url } = await startListening('npx', ['stellar', 'start', '--server-port', '0', '--metrics-enabled', 'false'], { cwd: app, env: { ...quietNpm, APP_LOG_FORMAT: 'json' } });
    expect(await (await fetch(`${url}/healthz`)).json()).toEqual({ status: 'ok' });
    const console = await fetch(`${url}/`);
    expect(console.headers.get('content-type')).toContain('text/html');
    // The data folder is the working directory's, private to its user.
    const data = join(app, 'data');
    expect((statSync(data).mode & 0o777).toString(8)).toBe('700');
    for (const file of ['stellar.db', 'secret.key', 'initial-admin-password']) expect(existsSync(join(data, file)), file).toBe(true);
  }, 600_000);
});
