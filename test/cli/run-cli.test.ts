import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/run-cli.js';
import { sqliteDialect } from '../../src/storage/dialect/sqlite/sqlite-dialect.js';
import { allMigrations } from '../../src/storage/migrations/index.js';

const MIGRATIONS = Object.keys(allMigrations(sqliteDialect));

async function run(argv: string[], env: Record<string, string> = {}) {
  let stdout = '';
  let stderr = '';
  const code = await runCli(argv, {
    env,
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text) },
  });
  return { code, stdout, stderr };
}

const tmp = () => mkdtempSync(join(tmpdir(), 'stellar-cli-'));

describe('stellar help and version', () => {
  it('prints usage for help, --help and no command', async () => {
    for (const argv of [['help'], ['--help'], [], ['config', '--help']]) {
      const result = await run(argv);
      expect(result.code, argv.join(' ')).toBe(0);
      expect(result.stdout).toContain('Usage: stellar <command> [flags]');
    }
  });

  it('prints the version', async () => {
    expect((await run(['version'])).stdout).toMatch(/^stellar \d+\.\d+\.\d+\n$/);
  });

  it('exits 2 on an unknown command or flag', async () => {
    expect(await run(['launch'])).toEqual({
      code: 2,
      stdout: '',
      stderr: 'stellar: unknown command "launch"; commands: start, migrate, config, collect, aggregate, db, inspect, simulate, demo, help, version (see stellar help)\n',
    });
    const flag = await run(['config', '--server-prot', '1']);
    expect(flag.code).toBe(2);
    expect(flag.stderr).toContain("Unknown option '--server-prot'");
    expect((await run(['start', '--json'])).code).toBe(2);
  });
});

describe('stellar config', () => {
  it('prints each value with where it came from: default, file, env, flag', async () => {
    const dir = tmp();
    const file = join(dir, 'config.toml');
    writeFileSync(file, '[metrics]\ninterval_secs = "1m"\nretention_days = 14\n[server]\nport = 9000\n');
    const result = await run(['config', '--config', file, '--server-port', '9002'], { APP_METRICS_INTERVAL_SECS: '2m', APP_LOG_LEVEL: 'debug' });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`# Config file: ${file}`);
    expect(result.stdout).toMatch(/port = 9002\s+# flag --server-port\n/);
    expect(result.stdout).toMatch(/interval_secs = "2m"\s+# env APP_METRICS_INTERVAL_SECS\n/);
    expect(result.stdout).toMatch(/retention_days = "14d"\s+# file /);
    expect(result.stdout).toMatch(/level = "debug"\s+# env APP_LOG_LEVEL\n/);
    expect(result.stdout).toMatch(/host = "127.0.0.1"\s+# default\n/);
  });

  it('prints JSON with --json', async () => {
    const json = await run(['config', '--json', '--metrics-enabled', 'false']);
    expect(JSON.parse(json.stdout).config.metrics.enabled).toEqual({ value: false, origin: 'flag --metrics-enabled' });
  });

  it('exits 2 when --config names a file that does not exist', async () => {
    const missing = join(tmp(), 'none.toml');
    expect(await run(['config', '--config', missing])).toEqual({ code: 2, stdout: '', stderr: `stellar: config error: config file ${missing} does not exist
` });
  });

  it('exits 2 with one line per bad value, naming key, value, source and accepted forms', async () => {
    const result = await run(['config', '--metrics-retention-days', '0'], { APP_METRICS_INTERVAL_SECS: '10x' });
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr.trimEnd().split('\n')).toEqual([
      'stellar: config error: metrics.interval_secs = "10x" from env APP_METRICS_INTERVAL_SECS: has an unknown unit "x"; accepted: 30, "30", "30s", "5m", "1h", "1d" (units s, sec, secs, second, seconds, m, min, mins, minute, minutes, h, hr, hour, hours, d, day, days), from 1s to 1d',
      'stellar: config error: metrics.retention_days = "0" from flag --metrics-retention-days: must be greater than zero; accepted: 7, "7", "7d", "2w" (units d, day, days, w, week, weeks), from 1d to 3650d',
    ]);
  });

  it('warns about unknown keys on stderr without failing', async () => {
    const file = join(tmp(), 'config.toml');
    writeFileSync(file, '[metrics]\nretention = 3\n');
    const result = await run(['config', '--config', file]);
    expect(result.code).toBe(0);
    expect(result.stderr).toBe(`stellar: warning: unknown config key metrics.retention in ${file}; it is ignored (did you mean metrics.retention_days?)\n`);
  });
});

describe('stellar migrate', () => {
  it('creates and migrates the database, then finds it up to date', async () => {
    const dataDir = join(tmp(), 'data');
    const first = await run(['migrate', '--server-data-dir', dataDir]);
    expect(first).toEqual({
      code: 0,
      stdout: `${MIGRATIONS.map((m) => `applied ${m}\n`).join('')}database schema is up to date (sqlite ${dataDir}/stellar.db, ${MIGRATIONS.length} migrations)\n`,
      stderr: '',
    });
    expect((await run(['migrate', '--server-data-dir', dataDir])).stdout).toBe(`database schema is up to date (sqlite ${dataDir}/stellar.db, ${MIGRATIONS.length} migrations)\n`);
    expect((await run(['migrate', '--status', '--server-data-dir', dataDir])).stdout).toBe(
      `database: sqlite ${dataDir}/stellar.db\n${MIGRATIONS.map((m) => `applied  ${m}\n`).join('')}`,
    );
  });

  it('lists pending migrations of a new database with --status', async () => {
    const dataDir = join(tmp(), 'data');
    expect((await run(['migrate', '--status'], { APP_SERVER_DATA_DIR: dataDir })).stdout).toBe(
      `database: sqlite ${dataDir}/stellar.db\n${MIGRATIONS.map((m) => `pending  ${m}\n`).join('')}`,
    );
  });
});

describe('the stellar executable', () => {
  it('exits with code 2 and one line on a bad environment value', () => {
    const result = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'start'], {
      env: { ...process.env, APP_METRICS_INTERVAL_SECS: '0', APP_SERVER_DATA_DIR: join(tmp(), 'data') },
      encoding: 'utf8',
    });
    expect(result.status).toBe(2);
    expect(result.stderr).toBe(
      'stellar: config error: metrics.interval_secs = "0" from env APP_METRICS_INTERVAL_SECS: must be greater than zero; accepted: 30, "30", "30s", "5m", "1h", "1d" (units s, sec, secs, second, seconds, m, min, mins, minute, minutes, h, hr, hour, hours, d, day, days), from 1s to 1d\n',
    );
  });
});
