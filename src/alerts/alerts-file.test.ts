import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { StellarError } from '../errors.js';
import { DEFAULT_ALERT_RULES } from '../shared/alerts/default-rules.js';
import { loadAlertsSetup } from './alerts-file.js';

const dir = mkdtempSync(join(tmpdir(), 'stellar-alerts-file-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function fileWith(text: string): string {
  const path = join(dir, `alerts-${Math.random().toString(36).slice(2)}.toml`);
  writeFileSync(path, text);
  return path;
}

function failure(file: string, env: Record<string, string> = {}): StellarError {
  try {
    loadAlertsSetup({ file, defaults: true, env });
  } catch (error) {
    expect(error).toBeInstanceOf(StellarError);
    return error as StellarError;
  }
  throw new Error('the file was accepted');
}

describe('the alerts file', () => {
  it('runs the shipped rules when there is no file, and none when defaults are off', () => {
    expect(loadAlertsSetup({ file: '', defaults: true, env: {} }).rules.map((r) => r.rule.name)).toEqual(DEFAULT_ALERT_RULES.map((r) => r.name));
    expect(loadAlertsSetup({ file: '', defaults: false, env: {} }).rules).toEqual([]);
  });

  it('adds rules, replaces a default by name, switches one off, and reads webhooks with their secrets', () => {
    const file = fileWith(`
[[rules]]
name = "backend-down"
condition = "backend_alive < backend_total"
for = "3m"
severity = "warning"

[[rules]]
name = "cpu-busy"
condition = "avg_cpu_usage > 80"
enabled = false

[[rules]]
name = "disk-growing"
condition = "delta(disk_used_bytes, 1h) > 0"
labels = { team = "dba" }

[[webhooks]]
name = "ops"
url = "http://127.0.0.1:9/hook"
secret_env = "OPS_HOOK_KEY"

[[webhooks]]
name = "chat"
url = "https://hooks.example.com/T000/B000"
kind = "slack"
`);
    const setup = loadAlertsSetup({ file, defaults: true, env: { OPS_HOOK_KEY: 'a-long-enough-secret' } });
    const byName = new Map(setup.rules.map((r) => [r.rule.name, r]));
    expect(byName.get('backend-down')).toMatchObject({ origin: 'file', rule: { for: 180_000, severity: 'warning' } });
    expect(byName.get('cpu-busy')).toMatchObject({ origin: 'file', rule: { enabled: false } });
    expect(byName.get('disk-growing')).toMatchObject({ origin: 'file', rule: { labels: { team: 'dba' } } });
    expect(byName.get('frontend-down')?.origin).toBe('default');
    expect(setup.rules).toHaveLength(DEFAULT_ALERT_RULES.length + 1);
    expect(setup.webhooks).toEqual([
      { name: 'ops', url: 'http://127.0.0.1:9/hook', kind: 'generic', secret: 'a-long-enough-secret' },
      { name: 'chat', url: 'https://hooks.example.com/T000/B000', kind: 'slack', secret: null },
    ]);
  });
});

describe('errors in the alerts file name the file, the entry and the key, and stop the start (exit 2)', () => {
  it.each([
    ['[[rules]]\nname = "x"\ncondition = "disk_usage_pct >"\n', /rules "x" \(rules\[0\]\): condition: expected a field, a number/],
    ['[[rules]]\nname = "x"\ncondition = "disk_usage_pct > 1"\nfor = "5 parsecs"\n', /rules "x" \(rules\[0\]\): for: "5 parsecs" is not a duration/],
    ['[[rules]]\ncondition = "disk_usage_pct > 1"\n', /rules\[0\]: name: /],
    ['[[rules]]\nname = "x"\ncondition = "disk_usage_pct > 1"\nserverity = "critical"\n', /rules "x" \(rules\[0\]\): \(the entry\): Unrecognized key.*serverity/],
    ['[[rules]]\nname = "x"\ncondition = "disk_usage_pct > 1"\n[[rules]]\nname = "x"\ncondition = "qps > 1"\n', /rules "x" \(rules\[1\]\): name: another rule of the file has this name/],
    ['[[webhooks]]\nname = "ops"\nurl = "ftp://x"\nsecret = "0123456789abcdef"\n', /webhooks "ops" \(webhooks\[0\]\): url: must be an http/],
    ['[[webhooks]]\nname = "ops"\nurl = "http://x"\n', /webhooks "ops" \(webhooks\[0\]\): secret: a generic webhook is signed/],
    ['[[webhooks]]\nname = "ops"\nurl = "http://x"\nsecret_env = "NOT_SET_HERE"\n', /secret_env: the environment variable NOT_SET_HERE is not set/],
    ['[[rule]]\nname = "x"\n', /Unrecognized key.*rule.*only \[\[rules\]\] and \[\[webhooks\]\]/],
    ['[[rules]\n', /is not valid TOML/],
  ])('%#', (text, message) => {
    const file = fileWith(text);
    const error = failure(file);
    expect(error.code).toBe('STELLAR_ERR_CONFIG');
    expect(error.exitCode).toBe(2);
    expect(error.message).toContain(file);
    expect(error.message).toMatch(message);
  });

  it('a missing file is an error, not an empty file', () => {
    expect(failure(join(dir, 'absent.toml')).message).toMatch(/cannot read the alerts file .*absent\.toml \(alerts\.file\)/);
  });
});
