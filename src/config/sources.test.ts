import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { StellarError } from '../errors.js';
import { envValues, fileValues, flagValues, loadConfig } from './sources.js';

function configError(run: () => unknown): StellarError {
  try {
    run();
  } catch (err) {
    if (err instanceof StellarError) return err;
    throw err;
  }
  throw new Error('expected an error');
}

describe('fileValues', () => {
  it('reads known keys of known sections', () => {
    const { values, notes } = fileValues('[metrics]\ninterval_secs = "5m"\nenabled = false\n', 'c.toml');
    expect(values.map((v) => [v.entry.path, v.raw])).toEqual([
      ['metrics.interval_secs', '5m'],
      ['metrics.enabled', false],
    ]);
    expect(notes).toEqual([]);
  });

  it('warns about unknown keys and suggests the closest known one', () => {
    const { values, notes } = fileValues('port = 1\n[metrics]\nintervall_secs = 5\n[metric]\nenabled = true\n[server]\nfoo = 1\n[colour]\nx = 1\n', 'c.toml');
    expect(values).toEqual([]);
    expect(notes).toEqual([
      { level: 'warn', message: 'unknown config key port in c.toml; it is ignored (did you mean server.port?)' },
      { level: 'warn', message: 'unknown config key metrics.intervall_secs in c.toml; it is ignored (did you mean metrics.interval_secs?)' },
      { level: 'warn', message: 'unknown config key metric in c.toml; it is ignored (did you mean [metrics]?)' },
      { level: 'warn', message: 'unknown config key server.foo in c.toml; it is ignored' },
      { level: 'warn', message: 'unknown config key colour in c.toml; it is ignored' },
    ]);
  });

  it('says where the TOML is broken', () => {
    const err = configError(() => fileValues('[metrics]\ninterval_secs = \n', 'conf/config.toml'));
    expect(err.code).toBe('STELLAR_ERR_CONFIG');
    expect(err.message).toBe('config error: cannot parse conf/config.toml at line 2, column 17: invalid value');
  });

  it('rejects a section written as a plain value', () => {
    const err = configError(() => fileValues('metrics = 5\n', 'c.toml'));
    expect(err.message).toBe('config error: metrics in c.toml must be a table, written [metrics]');
  });
});

describe('envValues', () => {
  it('maps APP_<SECTION>_<KEY> to section.key', () => {
    const { values } = envValues({ APP_METRICS_INTERVAL_SECS: '1m', APP_METRICS_RETENTION_DAYS: '14d', APP_METRICS_ENABLED: 'true', APP_SECRET_KEY: 'k' });
    expect(values.map((v) => [v.entry.path, v.raw, v.origin])).toEqual([
      ['metrics.interval_secs', '1m', { kind: 'env', name: 'APP_METRICS_INTERVAL_SECS' }],
      ['metrics.retention_days', '14d', { kind: 'env', name: 'APP_METRICS_RETENTION_DAYS' }],
      ['metrics.enabled', 'true', { kind: 'env', name: 'APP_METRICS_ENABLED' }],
      ['secret.key', 'k', { kind: 'env', name: 'APP_SECRET_KEY' }],
    ]);
  });

  it('warns about unknown keys of known sections and leaves other APP_ variables alone', () => {
    const { values, notes } = envValues({ APP_METRICS_INTERVAL: '1m', APP_ENV: 'production', PATH: '/bin' });
    expect(values).toEqual([]);
    expect(notes).toEqual([
      { level: 'warn', message: 'unknown environment variable APP_METRICS_INTERVAL: no key metrics.interval (did you mean APP_METRICS_INTERVAL_SECS?)' },
    ]);
  });
});

describe('flagValues', () => {
  it('maps --section-key flags to keys', () => {
    expect(flagValues({ 'server-port': '9090' }).map((v) => [v.entry.path, v.raw, v.origin])).toEqual([
      ['server.port', '9090', { kind: 'flag', name: 'server-port' }],
    ]);
  });
});

describe('loadConfig', () => {
  const dir = mkdtempSync(join(tmpdir(), 'stellar-config-'));

  it('uses defaults with an info note when the default file is missing', () => {
    const path = join(dir, 'conf', 'config.toml');
    const loaded = loadConfig({ configPath: path, explicit: false, env: {} });
    expect(loaded.file).toBeNull();
    expect(loaded.notes).toEqual([{ level: 'info', message: `no config file at ${path}; using defaults` }]);
    expect(loaded.config.server.port).toBe(8080);
    expect([...loaded.origins.values()].every((o) => o.kind === 'default')).toBe(true);
  });

  it('fails when an explicitly named file is missing', () => {
    const path = join(dir, 'missing.toml');
    expect(configError(() => loadConfig({ configPath: path, env: {} })).message).toBe(`config error: config file ${path} does not exist`);
  });

  it('applies file, env and flags in order and records each origin', () => {
    const path = join(dir, 'config.toml');
    writeFileSync(path, '[server]\nport = 9000\nhost = "0.0.0.0"\n[metrics]\ninterval_secs = "1m"\nretention_days = "2w"\n');
    const loaded = loadConfig({
      configPath: path,
      env: { APP_SERVER_PORT: '9001', APP_METRICS_INTERVAL_SECS: '2m' },
      flags: { 'server-port': '9002' },
    });
    expect(loaded.file).toBe(path);
    expect(loaded.config.server).toEqual({ host: '0.0.0.0', port: 9002, data_dir: 'data', metrics_auth: 'token' });
    expect(loaded.config.metrics).toMatchObject({ interval_secs: 120, retention_days: 14, enabled: true });
    expect(loaded.origins.get('server.port')).toEqual({ kind: 'flag', name: 'server-port' });
    expect(loaded.origins.get('metrics.interval_secs')).toEqual({ kind: 'env', name: 'APP_METRICS_INTERVAL_SECS' });
    expect(loaded.origins.get('metrics.retention_days')).toEqual({ kind: 'file', path });
    expect(loaded.origins.get('metrics.enabled')).toEqual({ kind: 'default' });
  });
});
