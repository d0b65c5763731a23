import { describe, expect, it } from 'vitest';
import { StellarError } from '../errors.js';
import { resolveConfig, type Origin, type RawValue } from './resolve.js';
import { CONFIG_KEYS, effectiveSources } from './schema.js';

function raw(path: string, value: unknown, origin: Origin): RawValue {
  const entry = CONFIG_KEYS.find((e) => e.path === path);
  if (!entry) throw new Error(`no key ${path}`);
  return { entry, raw: value, origin };
}

const FILE: Origin = { kind: 'file', path: 'conf/config.toml' };
const ENV: Origin = { kind: 'env', name: 'APP_METRICS_INTERVAL_SECS' };
const FLAG: Origin = { kind: 'flag', name: 'metrics-interval-secs' };

function errorOf(values: RawValue[]): string {
  try {
    resolveConfig(values);
  } catch (err) {
    expect(err).toBeInstanceOf(StellarError);
    expect((err as StellarError).code).toBe('STELLAR_ERR_CONFIG');
    expect((err as StellarError).exitCode).toBe(2);
    return (err as StellarError).message;
  }
  throw new Error('expected a config error');
}

describe('resolveConfig precedence: default < file < env < flag', () => {
  it('uses the default when no source sets a key', () => {
    const { config, origins } = resolveConfig([]);
    expect(config.metrics.interval_secs).toBe(30);
    expect(origins.get('metrics.interval_secs')).toEqual({ kind: 'default' });
  });

  it('lets the file override the default', () => {
    const { config, origins } = resolveConfig([raw('metrics.interval_secs', '1m', FILE)]);
    expect(config.metrics.interval_secs).toBe(60);
    expect(origins.get('metrics.interval_secs')).toEqual(FILE);
  });

  it('lets the environment override the file', () => {
    const { config, origins } = resolveConfig([raw('metrics.interval_secs', '1m', FILE), raw('metrics.interval_secs', '2m', ENV)]);
    expect(config.metrics.interval_secs).toBe(120);
    expect(origins.get('metrics.interval_secs')).toEqual(ENV);
  });

  it('lets a flag override the environment and the file, whatever order the values arrive in', () => {
    const { config, origins } = resolveConfig([
      raw('metrics.interval_secs', '3m', FLAG),
      raw('metrics.interval_secs', '2m', ENV),
      raw('metrics.interval_secs', '1m', FILE),
    ]);
    expect(config.metrics.interval_secs).toBe(180);
    expect(origins.get('metrics.interval_secs')).toEqual(FLAG);
  });

  it('resolves each key on its own', () => {
    const { config } = resolveConfig([raw('metrics.retention_days', '2w', FILE), raw('metrics.enabled', 'false', ENV)]);
    expect(config.metrics).toMatchObject({ interval_secs: 30, retention_days: 14, enabled: false, max_concurrency: 16 });
  });
});

describe('resolveConfig errors', () => {
  it('names the key, the value, its source and the accepted forms in one line', () => {
    expect(errorOf([raw('metrics.interval_secs', '5x', { kind: 'env', name: 'APP_METRICS_INTERVAL_SECS' })])).toBe(
      'config error: metrics.interval_secs = "5x" from env APP_METRICS_INTERVAL_SECS: has an unknown unit "x"; accepted: 30, "30", "30s", "5m", "1h", "1d" (units s, sec, secs, second, seconds, m, min, mins, minute, minutes, h, hr, hour, hours, d, day, days), from 1s to 1d',
    );
  });

  it('shows values from the file as written there', () => {
    expect(errorOf([raw('metrics.retention_days', 0, FILE)])).toBe(
      'config error: metrics.retention_days = 0 from file conf/config.toml: must be greater than zero; accepted: 7, "7", "7d", "2w" (units d, day, days, w, week, weeks), from 1d to 3650d',
    );
    expect(errorOf([raw('metrics.enabled', 'yes', { kind: 'flag', name: 'metrics-enabled' })])).toBe(
      'config error: metrics.enabled = "yes" from flag --metrics-enabled: is not a boolean; accepted: true or false',
    );
  });

  it('names the coordination modes there are', () => {
    expect(errorOf([raw('cluster.coordination', 'shard', { kind: 'env', name: 'APP_CLUSTER_COORDINATION' })])).toBe(
      'config error: cluster.coordination = "shard" from env APP_CLUSTER_COORDINATION: is not one of the accepted values; accepted: one of leader, shards',
    );
  });

  it('reports a bad value even when a later source overrides it', () => {
    expect(errorOf([raw('metrics.interval_secs', '1.5h', FILE), raw('metrics.interval_secs', '90m', ENV)])).toContain(
      'metrics.interval_secs = "1.5h" from file conf/config.toml: has a fractional amount',
    );
  });

  it('reports every bad value, one line each', () => {
    const message = errorOf([raw('server.port', 70000, FILE), raw('log.level', 'loud', FILE)]);
    expect(message.split('\n')).toEqual([
      'config error: server.port = 70000 from file conf/config.toml: is above 65535; accepted: a whole number from 0 to 65535',
      'config error: log.level = "loud" from file conf/config.toml: is not one of the accepted values; accepted: one of trace, debug, info, warn, error, fatal, silent',
    ]);
  });

  it('never repeats a secret value', () => {
    const message = errorOf([raw('auth.admin_password', 'hunter2', { kind: 'env', name: 'APP_AUTH_ADMIN_PASSWORD' })]);
    expect(message).not.toContain('hunter2');
    expect(message).toBe(
      'config error: auth.admin_password = "<hidden>" from env APP_AUTH_ADMIN_PASSWORD: is shorter than 8 characters; accepted: empty, or 8 to 1024 characters',
    );
  });
});

describe('metrics.sources', () => {
  it('takes a TOML array in the file and a comma list in a variable, and the shorthands apply on top', () => {
    const fromFile = resolveConfig([raw('metrics.sources', ['runtime_info', 'follower_metrics'], FILE)]).config.metrics;
    expect([...effectiveSources(fromFile)].sort()).toEqual(['follower_metrics', 'runtime_info']);
    const fromEnv = resolveConfig([raw('metrics.sources', ' be_metrics , runtime_info ', { kind: 'env', name: 'APP_METRICS_SOURCES' })]).config.metrics;
    expect([...effectiveSources(fromEnv)].sort()).toEqual(['be_metrics', 'runtime_info']);
    const none = resolveConfig([raw('metrics.sources', [], FILE), raw('metrics.scrape_backends', true, FILE)]).config.metrics;
    expect([...effectiveSources(none)]).toEqual(['be_metrics']);
    const noFollowers = resolveConfig([raw('metrics.scrape_followers', false, FILE)]).config.metrics;
    expect([...effectiveSources(noFollowers)]).toEqual([]);
  });

  it('names the key, the value and the accepted sources for an unknown one', () => {
    const message = errorOf([raw('metrics.sources', ['be_metric'], FILE)]);
    expect(message).toContain('metrics.sources');
    expect(message).toContain('"be_metric"');
    expect(message).toContain('follower_metrics, runtime_info, be_metrics');
  });
});
