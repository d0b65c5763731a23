import { describe, expect, it } from 'vitest';
import { CONFIG_KEYS, CONFIG_SCHEMA } from './schema.js';

const { server, database, metrics, log, auth, secret } = CONFIG_SCHEMA;

describe('config keys', () => {
  it('name every key the same way in the file, the environment and on the command line', () => {
    const interval = CONFIG_KEYS.find((e) => e.path === 'metrics.interval_secs');
    expect(interval).toMatchObject({ env: 'APP_METRICS_INTERVAL_SECS', flag: 'metrics-interval-secs' });
    expect(CONFIG_KEYS.find((e) => e.path === 'secret.key')?.env).toBe('APP_SECRET_KEY');
    expect(CONFIG_KEYS.find((e) => e.path === 'auth.admin_password')?.env).toBe('APP_AUTH_ADMIN_PASSWORD');
    expect(new Set(CONFIG_KEYS.map((e) => e.env)).size).toBe(CONFIG_KEYS.length);
  });

  it('have defaults their own parser accepts', () => {
    for (const { path, spec } of CONFIG_KEYS) {
      const shown = spec.show(spec.default);
      expect(spec.parse(shown), path).toEqual({ ok: true, value: spec.default });
    }
  });

  it('default to the design: 30 s interval, 7 days retention, collection on, 127.0.0.1:8080', () => {
    expect([metrics.interval_secs.default, metrics.retention_days.default, metrics.enabled.default]).toEqual([30, 7, true]);
    expect([server.host.default, server.port.default]).toEqual(['127.0.0.1', 8080]);
  });
});

describe('metrics.interval_secs', () => {
  it.each([
    [30, 30],
    ['30', 30],
    ['30s', 30],
    ['5m', 300],
    ['1h', 3600],
    ['1d', 86_400],
  ])('accepts %j', (raw, seconds) => {
    expect(metrics.interval_secs.parse(raw)).toEqual({ ok: true, value: seconds });
  });

  it.each([
    ['0', 'must be greater than zero'],
    ['-30s', 'must be greater than zero'],
    ['2.5m', 'has a fractional amount; write it in a smaller unit, e.g. "150s"'],
    ['10y', 'has an unknown unit "y"'],
    ['2d', 'is above the maximum of 1d'],
  ])('rejects %j', (raw, problem) => {
    expect(metrics.interval_secs.parse(raw)).toEqual({ ok: false, problem });
  });
});

describe('metrics.retention_days', () => {
  it.each([
    [7, 7],
    ['7', 7],
    ['7d', 7],
    ['2w', 14],
    ['3650', 3650],
  ])('accepts %j', (raw, days) => {
    expect(metrics.retention_days.parse(raw)).toEqual({ ok: true, value: days });
  });

  it.each([
    ['0', 'must be greater than zero'],
    ['1h', 'has an unknown unit "h"'],
    ['3651d', 'is above the maximum of 3650d'],
  ])('rejects %j', (raw, problem) => {
    expect(metrics.retention_days.parse(raw)).toEqual({ ok: false, problem });
  });

  it('is shown in days, as people think of retention', () => {
    expect(metrics.retention_days.show(14)).toBe('14d');
  });
});

describe('booleans, numbers, enums and strings', () => {
  it('accept TOML booleans and the words true and false in any case', () => {
    for (const raw of [true, 'true', 'TRUE', ' True ']) expect(metrics.enabled.parse(raw)).toEqual({ ok: true, value: true });
    for (const raw of [false, 'false', 'False']) expect(metrics.enabled.parse(raw)).toEqual({ ok: true, value: false });
  });

  it.each([['yes'], ['1'], ['on'], [''], [1]])('reject %j as a boolean', (raw) => {
    expect(metrics.enabled.parse(raw).ok).toBe(false);
  });

  it('take ports from 0 to 65535 as numbers or numeric strings', () => {
    expect(server.port.parse('9090')).toEqual({ ok: true, value: 9090 });
    expect(server.port.parse(0)).toEqual({ ok: true, value: 0 });
    expect(server.port.parse(65536)).toEqual({ ok: false, problem: 'is above 65535' });
    expect(server.port.parse(-1)).toEqual({ ok: false, problem: 'is below 0' });
    expect(server.port.parse('80.5')).toEqual({ ok: false, problem: 'is not a whole number' });
    expect(server.port.parse(80.5)).toEqual({ ok: false, problem: 'is not a whole number' });
    expect(server.port.parse(true)).toEqual({ ok: false, problem: 'must be a number, not a boolean' });
  });

  it('take only the listed log levels', () => {
    expect(log.level.parse('debug')).toEqual({ ok: true, value: 'debug' });
    expect(log.level.parse('verbose')).toEqual({ ok: false, problem: 'is not one of the accepted values' });
    expect(log.level.accepted).toBe('one of trace, debug, info, warn, error, fatal, silent');
  });

  it('reject listen hosts with a scheme, a path or spaces', () => {
    expect(server.host.parse('0.0.0.0')).toEqual({ ok: true, value: '0.0.0.0' });
    expect(server.host.parse('::')).toEqual({ ok: true, value: '::' });
    expect(server.host.parse('http://localhost')).toEqual({ ok: false, problem: 'must not contain a scheme such as http://' });
    expect(server.host.parse('my host')).toEqual({ ok: false, problem: 'contains spaces' });
  });

  it('take SQLite paths and PostgreSQL URLs as database.url, and say what a PostgreSQL URL lacks', () => {
    for (const url of ['stellar.db', '/var/lib/stellar/stellar.db', 'sqlite:stellar.db', ':memory:', 'postgres://stellar:pw@db:5432/stellar?sslmode=require', 'postgresql://db/stellar']) {
      expect(database.url.parse(url), url).toEqual({ ok: true, value: url });
    }
    expect(database.url.parse('postgres://db')).toEqual({ ok: false, problem: 'names no database (postgres://user:pass@host:5432/database)' });
    expect(database.url.parse('postgres:///stellar')).toEqual({ ok: false, problem: 'has no host (postgres://user:pass@host:5432/database)' });
    expect(database.url.parse('mysql://x/y')).toEqual({ ok: false, problem: 'has an unsupported scheme "mysql"' });
    expect(database.url.parse('sqlite:')).toEqual({ ok: false, problem: 'has no file path' });
  });

  it('keep the spaces of an admin password and require 8 characters', () => {
    expect(auth.admin_password.parse('  spaced pass  ')).toEqual({ ok: true, value: '  spaced pass  ' });
    expect(auth.admin_password.parse('')).toEqual({ ok: true, value: '' });
    expect(auth.admin_password.parse('short')).toEqual({ ok: false, problem: 'is shorter than 8 characters' });
  });

  it('take a secret key of 32 bytes in hex or base64 only', () => {
    const hex = 'ab'.repeat(32);
    const base64 = Buffer.alloc(32, 7).toString('base64');
    const base64url = Buffer.alloc(32, 255).toString('base64url');
    for (const key of ['', hex, base64, base64url]) expect(secret.key.parse(key).ok, key).toBe(true);
    for (const key of ['ab'.repeat(31), 'not a key', Buffer.alloc(16).toString('base64')]) {
      expect(secret.key.parse(key), key).toEqual({ ok: false, problem: 'is not 32 bytes in hex or base64' });
    }
  });

  it('take durations for the token lifetime between 1 minute and a year', () => {
    expect(auth.token_ttl.parse('12h')).toEqual({ ok: true, value: 43_200 });
    expect(auth.token_ttl.parse('30s')).toEqual({ ok: false, problem: 'is below the minimum of 1m' });
  });
});
