import { describe, expect, it } from 'vitest';
import { planReload } from './reload-plan.js';
import { resolveConfig, type RawValue } from './resolve.js';
import { CONFIG_KEYS, type Config } from './schema.js';

/** The configuration a file with these values gives. */
function configWith(values: Record<string, unknown>): Config {
  const raws: RawValue[] = Object.entries(values).map(([path, raw]) => {
    const entry = CONFIG_KEYS.find((e) => e.path === path);
    if (!entry) throw new Error(`no key ${path}`);
    return { entry, raw, origin: { kind: 'file', path: 'config.toml' } };
  });
  return resolveConfig(raws).config;
}

describe('planReload', () => {
  it('finds nothing to do when the sources say what runs', () => {
    const running = configWith({ 'metrics.interval_secs': '1m' });
    const plan = planReload(running, configWith({ 'metrics.interval_secs': 60 }));
    expect(plan).toEqual({ applied: [], restartNeeded: [], config: running });
  });

  it('applies changed reloadable keys and leaves those that take a restart as they run', () => {
    const running = configWith({ 'server.port': 8080, 'metrics.interval_secs': 30 });
    const next = configWith({ 'server.port': 9090, 'metrics.interval_secs': 10, 'log.level': 'debug', 'database.pool_size': 3, 'limits.max_series': 5 });
    const plan = planReload(running, next);
    expect(plan.applied).toEqual(['metrics.interval_secs', 'limits.max_series', 'log.level']);
    expect(plan.restartNeeded).toEqual(['server.port', 'database.pool_size']);
    expect(plan.config.metrics.interval_secs).toBe(10);
    expect(plan.config.log.level).toBe('debug');
    expect(plan.config.limits.max_series).toBe(5);
    expect(plan.config.server.port).toBe(8080);
    expect(plan.config.database.pool_size).toBe(10);
  });

  it('lists a restart-only change again at the next reload, since it still does not run', () => {
    const running = configWith({});
    const next = configWith({ 'auth.admin_password': 'a new password' });
    const first = planReload(running, next);
    expect(planReload(first.config, next).restartNeeded).toEqual(['auth.admin_password']);
  });

  it('takes lists as sets: the same sources or targets in another order are no change', () => {
    const running = configWith({ 'metrics.sources': ['follower_metrics', 'be_metrics'], 'security.allowed_targets': ['10.0.0.0/8', '*.db.example'] });
    const next = configWith({ 'metrics.sources': ['be_metrics', 'follower_metrics'], 'security.allowed_targets': ['*.db.example', '10.0.0.0/8'] });
    expect(planReload(running, next).applied).toEqual([]);
    expect(planReload(running, configWith({ 'metrics.sources': ['be_metrics'] })).applied).toEqual(['metrics.sources', 'security.allowed_targets']);
  });

  it('follows the schema: every key is either reloadable or listed as needing a restart', () => {
    const reloadable = CONFIG_KEYS.filter((e) => e.spec.reloadable).map((e) => e.path);
    expect(reloadable).toEqual([
      'metrics.interval_secs',
      'metrics.retention_days',
      'metrics.max_concurrency',
      'metrics.sources',
      'metrics.scrape_followers',
      'metrics.scrape_backends',
      'metrics.retention_5m_days',
      'metrics.retention_1h_days',
      'metrics.daily_retention_days',
      'metrics.backoff_max_intervals',
      'limits.max_response_bytes',
      'limits.max_decompressed_bytes',
      'limits.max_series',
      'limits.max_line_length',
      'limits.max_frontends',
      'limits.max_backends',
      'log.level',
      'auth.token_ttl',
      'auth.login_failures_per_account',
      'auth.login_failures_per_address',
      'auth.lockout',
      'security.allowed_targets',
      'alerts.file',
      'alerts.alertmanager_url',
      'alerts.defaults',
    ]);
    for (const section of ['server', 'database', 'secret', 'cluster']) {
      expect(CONFIG_KEYS.filter((e) => e.section === section && e.spec.reloadable)).toEqual([]);
    }
  });
});
