/** bin/stellar.sh as an operator uses it: start, status, restart, reload, stop, and a failed start. */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';

/** One installation's state: its own data directory, pid file, log and (ephemeral) port. */
function installation() {
  const dir = mkdtempSync(join(tmpdir(), 'stellar-sh-'));
  const pidFile = join(dir, 'run', 'stellar.pid');
  const logFile = join(dir, 'log', 'stellar.log');
  const flags = ['--server-port', '0', '--server-data-dir', join(dir, 'data'), '--log-format', 'json'];
  const sh = (args: string[], env: Record<string, string> = {}) => {
    const result = spawnSync('bash', ['bin/stellar.sh', ...args], {
      env: { ...process.env, STELLAR_PID_FILE: pidFile, STELLAR_LOG_FILE: logFile, STELLAR_STOP_TIMEOUT: '20', ...env },
      encoding: 'utf8',
      timeout: 120_000,
    });
    return { code: result.status, stdout: result.stdout, stderr: result.stderr };
  };
  const pid = () => Number(readFileSync(pidFile, 'utf8'));
  /** The URL of the newest "is listening on" line of the log. */
  const url = () => [...readFileSync(logFile, 'utf8').matchAll(/is listening on (http:\/\/[^"\s]+)/g)].at(-1)?.[1];
  const started = { dir, pidFile, flags, sh, pid, url };
  installations.push(started);
  return started;
}

// The script builds dist/ when it is older than src/; done once here, not inside whichever test starts first.
beforeAll(() => {
  const build = spawnSync(process.execPath, ['scripts/ensure-build.mjs'], { encoding: 'utf8', timeout: 600_000 });
  if (build.status !== 0) throw new Error(`building dist/ failed: ${build.stderr}`);
}, 600_000);

let installations: Array<{ dir: string; sh: (args: string[]) => unknown }> = [];
afterEach(() => {
  for (const { dir, sh } of installations) {
    sh(['stop']);
    rmSync(dir, { recursive: true, force: true });
  }
  installations = [];
});

const alive = (p: number) => {
  try {
    process.kill(p, 0);
    return true;
  } catch {
    return false;
  }
};

describe('bin/stellar.sh', () => {
  it('starts the service in the background and shows the one-time admin password', async () => {
    const { dir, flags, sh, pid, url } = installation();
    const started = sh(['start', ...flags]);
    expect(started.code, started.stderr).toBe(0);
    expect(started.stdout).toMatch(/^Stellar started \(pid \d+\); log: /);
    const password = readFileSync(join(dir, 'data', 'initial-admin-password'), 'utf8').trim();
    expect(started.stdout).toContain(`    ${password}\n`);
    expect(alive(pid())).toBe(true);
    expect((await fetch(`${url()}/healthz`)).status).toBe(200);
  });

  it('reports the status and does not start twice', () => {
    const { flags, sh, pid } = installation();
    expect(sh(['start', ...flags]).code).toBe(0);
    expect(sh(['status'])).toEqual({ code: 0, stdout: `Stellar is running (pid ${pid()})\n`, stderr: '' });
    expect(sh(['start', ...flags]).stdout).toBe(`Stellar is already running (pid ${pid()})\n`);
  });

  it('restarts with a new process, keeping the data', async () => {
    const { flags, sh, pid, url } = installation();
    expect(sh(['start', ...flags]).code).toBe(0);
    const before = pid();
    const restarted = sh(['restart', ...flags]);
    expect(restarted.code, restarted.stderr).toBe(0);
    expect(restarted.stdout).toContain(`Stellar stopped (pid ${before})`);
    expect(restarted.stdout).not.toContain('generated password');
    expect(pid()).not.toBe(before);
    expect(alive(before)).toBe(false);
    expect((await fetch(`${url()}/readyz`)).status).toBe(200);
  });

  it('reloads the configuration in place, says what it applied, and refuses a bad file with exit code 1', () => {
    const { dir, flags, sh, pid } = installation();
    const config = join(dir, 'stellar.toml');
    writeFileSync(config, '[metrics]\ninterval_secs = 30\n');
    expect(sh(['start', ...flags, '--config', config]).code).toBe(0);
    const running = pid();

    writeFileSync(config, '[metrics]\ninterval_secs = "1m"\n');
    const reloaded = sh(['reload']);
    expect(reloaded.code, reloaded.stderr).toBe(0);
    expect(reloaded.stdout).toMatch(/"applied":\["metrics.interval_secs"\].*"msg":"configuration reloaded"/);

    writeFileSync(config, '[metrics]\ninterval_secs = "soon"\n');
    const refused = sh(['reload']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('configuration reload refused');
    expect(refused.stderr).toContain(`config error: metrics.interval_secs = \\"soon\\" from file ${config}`);
    // The same process, running on.
    expect(sh(['status'])).toEqual({ code: 0, stdout: `Stellar is running (pid ${running})\n`, stderr: '' });
  });

  it('stops the service, removes the pid file, and then reports it as not running', () => {
    const { flags, sh, pid, pidFile } = installation();
    expect(sh(['start', ...flags]).code).toBe(0);
    const running = pid();
    expect(sh(['stop'])).toEqual({ code: 0, stdout: `Stellar stopped (pid ${running})\n`, stderr: '' });
    expect(alive(running)).toBe(false);
    expect(existsSync(pidFile)).toBe(false);
    expect(sh(['status'])).toEqual({ code: 3, stdout: 'Stellar is not running\n', stderr: '' });
    expect(sh(['stop'])).toEqual({ code: 0, stdout: 'Stellar is not running\n', stderr: '' });
  });

  it('fails to start on a bad setting with the exit code and error line of the service', () => {
    const { flags, sh, pidFile } = installation();
    const failed = sh(['start', ...flags], { APP_METRICS_INTERVAL_SECS: '5 parsecs' });
    expect(failed.code).toBe(2);
    expect(failed.stderr).toContain('Stellar failed to start (exit code 2)');
    expect(failed.stderr).toContain('stellar: config error: metrics.interval_secs = "5 parsecs" from env APP_METRICS_INTERVAL_SECS: has an unknown unit "parsecs"');
    expect(existsSync(pidFile)).toBe(false);
  });

  it('passes other commands to the stellar CLI', () => {
    const { sh } = installation();
    const config = sh(['config', '--server-port', '9123']);
    expect(config.code).toBe(0);
    expect(config.stdout).toMatch(/port = 9123\s+# flag --server-port/);
  });
});
