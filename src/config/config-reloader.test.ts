import { describe, expect, it } from 'vitest';
import { loggerInto } from '../../test/helpers/test-app.js';
import { StellarError } from '../errors.js';
import { ConfigReloader } from './config-reloader.js';
import { fileValues, type LoadedConfig } from './sources.js';
import { resolveConfig } from './resolve.js';
import type { Config } from './schema.js';

/** What reading `text` as the config file gives, as loadConfig does (throws STELLAR_ERR_CONFIG). */
function loadedFrom(text: string): LoadedConfig {
  const { values, notes } = fileValues(text, 'stellar.toml');
  return { ...resolveConfig(values), file: 'stellar.toml', notes };
}

function reloaderOver(start: string, lines: string[] = []) {
  let file = start;
  const reloader = new ConfigReloader({ config: loadedFrom(start).config, load: () => loadedFrom(file), logger: loggerInto(lines, 'info') });
  return { reloader, write: (text: string) => (file = text) };
}

describe('ConfigReloader', () => {
  it('applies the changed reloadable keys, tells the participants which, and lists restart-only keys', async () => {
    const { reloader, write } = reloaderOver('[metrics]\ninterval_secs = 30\n');
    const seen: { interval: number; changed: string[] }[] = [];
    reloader.add({ name: 'probe', apply: (next: Config, changed) => void seen.push({ interval: next.metrics.interval_secs, changed: [...changed] }) });
    write('[metrics]\ninterval_secs = "5s"\n[server]\nport = 9999\n');
    expect(await reloader.reload('test')).toEqual({ applied: ['metrics.interval_secs'], restart_needed: ['server.port'], unchanged: false });
    expect(seen).toEqual([{ interval: 5, changed: ['metrics.interval_secs'] }]);
    expect(reloader.config.metrics.interval_secs).toBe(5);
    expect(reloader.config.server.port).toBe(8080);
  });

  it('says unchanged when the sources say what runs', async () => {
    const { reloader } = reloaderOver('[metrics]\ninterval_secs = 30\n');
    expect(await reloader.reload('test')).toEqual({ applied: [], restart_needed: [], unchanged: true });
  });

  it('refuses a bad value whole: nothing applied, the running configuration kept, the key named', async () => {
    const lines: string[] = [];
    const { reloader, write } = reloaderOver('[metrics]\ninterval_secs = 30\n', lines);
    let applied = 0;
    reloader.add({ name: 'probe', apply: () => void applied++ });
    write('[metrics]\ninterval_secs = 10\nmax_concurrency = "many"\n[log]\nlevel = "debug"\n');
    const error = await reloader.reload('test').catch((err: unknown) => err);
    expect(error).toBeInstanceOf(StellarError);
    expect((error as StellarError).code).toBe('STELLAR_ERR_CONFIG_INVALID');
    expect((error as StellarError).statusCode).toBe(400);
    expect((error as StellarError).message).toContain('metrics.max_concurrency = "many" from file stellar.toml: is not a whole number; accepted: a whole number from 1 to 1000');
    expect((error as StellarError).details).toEqual([{ field: 'metrics.max_concurrency', message: expect.stringContaining('accepted: a whole number from 1 to 1000') }]);
    expect(applied).toBe(0);
    expect(reloader.config.metrics.interval_secs).toBe(30);
    expect(reloader.config.log.level).toBe('info');
    expect(lines.join('')).toContain('configuration reload refused, the running configuration is kept');
  });

  it('refuses a file that does not parse', async () => {
    const { reloader, write } = reloaderOver('[metrics]\ninterval_secs = 30\n');
    write('[metrics\n');
    await expect(reloader.reload('test')).rejects.toMatchObject({ code: 'STELLAR_ERR_CONFIG_INVALID', message: expect.stringContaining('cannot parse stellar.toml at line 1') });
  });

  it('lets a participant refuse the reload before any applies (alert rules that do not validate)', async () => {
    const { reloader, write } = reloaderOver('');
    let applied = 0;
    reloader.add({ name: 'probe', apply: () => void applied++ });
    reloader.add({
      name: 'rules',
      check: () => {
        throw new StellarError('STELLAR_ERR_CONFIG_INVALID', 'rule "disk full": field for: is not a duration', [{ field: 'rules[0].for', message: 'is not a duration' }]);
      },
      apply: () => undefined,
    });
    write('[log]\nlevel = "debug"\n');
    await expect(reloader.reload('test')).rejects.toMatchObject({ code: 'STELLAR_ERR_CONFIG_INVALID', details: [{ field: 'rules[0].for', message: 'is not a duration' }] });
    expect(applied).toBe(0);
    expect(reloader.config.log.level).toBe('info');
  });

  it('runs reloads one at a time, each against what the one before applied', async () => {
    const { reloader, write } = reloaderOver('');
    const order: string[] = [];
    reloader.add({
      name: 'slow',
      apply: async (next) => {
        order.push(`start ${next.log.level}`);
        await new Promise((resolve) => setTimeout(resolve, 20));
        order.push(`end ${next.log.level}`);
      },
    });
    write('[log]\nlevel = "debug"\n');
    const first = reloader.reload('first');
    const second = reloader.reload('second');
    expect(await first).toMatchObject({ applied: ['log.level'] });
    expect(await second).toMatchObject({ applied: [], unchanged: true });
    expect(order).toEqual(['start debug', 'end debug', 'start debug', 'end debug']);
  });
});
