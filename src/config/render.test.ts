import { readFileSync } from 'node:fs';
import { parse as parseToml } from 'smol-toml';
import { describe, expect, it } from 'vitest';
import { effectiveJson, renderDefaultConfigFile, renderEffectiveToml } from './render.js';
import { resolveConfig } from './resolve.js';
import { CONFIG_KEYS } from './schema.js';
import { envValues, fileValues, loadConfig } from './sources.js';

describe('the shipped conf/config.toml', () => {
  const shipped = readFileSync(new URL('../../conf/config.toml', import.meta.url), 'utf8');

  it('is exactly what `stellar config --defaults` prints, so it lists every key with its comment', () => {
    expect(shipped).toBe(renderDefaultConfigFile());
  });

  it('sets every key to its default, with no unknown key', () => {
    const { values, notes } = fileValues(shipped, 'conf/config.toml');
    expect(notes).toEqual([]);
    expect(values.map((v) => v.entry.path).sort()).toEqual(CONFIG_KEYS.map((e) => e.path).sort());
    const fromFile = resolveConfig(values).config;
    expect(fromFile).toEqual(resolveConfig([]).config);
  });

  it('has a comment line right above every key', () => {
    const lines = shipped.split('\n');
    for (const { key } of CONFIG_KEYS) {
      const at = lines.findIndex((line) => line.startsWith(`${key} = `));
      expect(lines[at - 1], key).toMatch(/^# /);
    }
  });
});

describe('renderEffectiveToml', () => {
  const loaded = loadConfig({
    configPath: 'conf/config.toml',
    env: { APP_SERVER_PORT: '9001', APP_AUTH_ADMIN_PASSWORD: 'very-secret-pw' },
    flags: { 'metrics-interval-secs': '5m' },
  });
  const text = renderEffectiveToml(loaded.config, loaded.origins, loaded.file);

  it('prints each value with the source it came from', () => {
    expect(text).toContain('port = 9001');
    expect(text).toMatch(/port = 9001\s+# env APP_SERVER_PORT\n/);
    expect(text).toMatch(/interval_secs = "5m"\s+# flag --metrics-interval-secs\n/);
    expect(text).toMatch(/retention_days = "7d"\s+# file conf\/config.toml \(same as the default\)\n/);
  });

  it('is itself valid TOML that gives the same configuration back', () => {
    const reread = resolveConfig(fileValues(text, 'effective.toml').values.filter((v) => !v.entry.spec.secret)).config;
    expect(reread.server).toEqual(loaded.config.server);
    expect(reread.metrics).toEqual(loaded.config.metrics);
    expect(parseToml(text)).toBeTypeOf('object');
  });

  it('hides secrets but shows that they are set', () => {
    expect(text).not.toContain('very-secret-pw');
    expect(text).toMatch(/admin_password = "<hidden>"\s+# env APP_AUTH_ADMIN_PASSWORD/);
    expect(text).toMatch(/key = ""\s+# file/);
  });

  it('says "default" for keys no source set', () => {
    const defaults = resolveConfig(envValues({}).values);
    expect(renderEffectiveToml(defaults.config, defaults.origins, null)).toMatch(/host = "127.0.0.1"\s+# default\n/);
  });
});

describe('effectiveJson', () => {
  it('gives value and origin per key, secrets hidden', () => {
    const resolved = resolveConfig(envValues({ APP_AUTH_ADMIN_PASSWORD: 'very-secret-pw', APP_LOG_LEVEL: 'debug' }).values);
    const json = effectiveJson(resolved.config, resolved.origins);
    expect(json.log?.level).toEqual({ value: 'debug', origin: 'env APP_LOG_LEVEL' });
    expect(json.auth?.admin_password).toEqual({ value: '<hidden>', origin: 'env APP_AUTH_ADMIN_PASSWORD' });
    expect(json.server?.port).toEqual({ value: 8080, origin: 'default' });
  });
});

describe('docs/configuration.md', () => {
  const doc = readFileSync(new URL('../../docs/configuration.md', import.meta.url), 'utf8');

  it('has a row for every key with its variable, flag, default and whether a reload applies it', () => {
    for (const entry of CONFIG_KEYS) {
      const reload = entry.spec.reloadable ? 'yes' : 'restart';
      const row = `| \`${entry.path}\` | \`${entry.env}\` | \`--${entry.flag}\` | \`${JSON.stringify(entry.spec.show(entry.spec.default))}\` | ${reload} | `;
      expect(doc, entry.path).toContain(row);
    }
  });
});
