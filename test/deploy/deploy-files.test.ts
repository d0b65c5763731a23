/**
 * The deployment files (deploy/) name only what Stellar has: configuration variables it reads,
 * the command its package installs, the paths its build makes. The image itself is built by
 * .ci/run where a container engine runs; the systemd unit is checked by systemd-analyze where
 * it is installed.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CONFIG_KEYS } from '../../src/config/schema.js';
import { ROOT } from '../helpers/built-tree.js';
import { skipNote } from '../helpers/requirements.js';

const read = (path: string) => readFileSync(join(ROOT, path), 'utf8');
const dockerfile = read('deploy/docker/Dockerfile');
const compose = read('deploy/docker/compose.yaml');
const unit = read('deploy/systemd/stellar.service');
const pkg = JSON.parse(read('package.json')) as { bin: Record<string, string>; files: string[] };
const CONFIG_ENV = new Set(CONFIG_KEYS.map((k) => k.env));

describe('deploy/', () => {
  it('sets only configuration variables Stellar reads', () => {
    const named = [...`${dockerfile}\n${compose}`.matchAll(/\b(APP_[A-Z0-9_]+)\b/g)].map((m) => m[1]!);
    expect(named.length).toBeGreaterThan(3);
    expect(named.filter((name) => !CONFIG_ENV.has(name))).toEqual([]);
  });

  it('runs the package’s own command: the bin in the image, `stellar start` in the unit', () => {
    expect(pkg.bin.stellar).toBe('dist/cli/main.js');
    expect(dockerfile).toContain(`CMD ["node", "${pkg.bin.stellar}", "start"]`);
    // Everything the image copies from the build is in the package too (what a release ships).
    for (const [, path] of dockerfile.matchAll(/^COPY --from=build \/src\/(\S+) /gm)) {
      // npm always packs package.json; node_modules is the image's own install.
      if (path !== 'node_modules' && path !== 'package.json') expect(pkg.files.some((f) => f.replace(/\/$/, '').split('/')[0] === path), path).toBe(true);
    }
    expect(unit).toMatch(/^ExecStart=\/opt\/stellar\/node_modules\/\.bin\/stellar start --config \S+$/m);
    // `systemctl reload stellar` sends what `stellar start` reloads its configuration on.
    expect(unit).toMatch(/^ExecReload=\/bin\/kill -HUP \$MAINPID$/m);
  });

  it('keeps the image’s data folder on its volume, and compose’s on a named one', () => {
    const dataDir = /APP_SERVER_DATA_DIR=(\S+)/.exec(dockerfile)?.[1];
    expect(dockerfile).toContain(`VOLUME ["${dataDir}"]`);
    expect(compose).toContain(`stellar-data:${dataDir}`);
  });

  const analyze = spawnSync('systemd-analyze', ['--version'], { encoding: 'utf8' });
  const noSystemd = analyze.status === 0 ? null : 'systemd-analyze is not installed';
  it.skipIf(noSystemd !== null)(`has a unit systemd accepts${skipNote(noSystemd)}`, () => {
    const verify = spawnSync('systemd-analyze', ['verify', join(ROOT, 'deploy/systemd/stellar.service')], { encoding: 'utf8' });
    // The only complaint allowed: the command is not installed on this machine.
    const complaints = `${verify.stdout}${verify.stderr}`.split('\n').filter((line) => line.trim() !== '' && !line.includes('is not executable'));
    expect(complaints).toEqual([]);
  });
});
