/**
 * Load over real sockets with wrk (Debian's package, installed when missing, as the fleet
 * benchmark installs Prometheus): one connection asking again as soon as it has its answer, for
 * a fixed time; `--latency` gives the percentiles. The cluster of an overview is picked at random
 * per request (a Lua script), so the reads do not all land on one cluster's cached pages.
 */
import { execFile, execFileSync, spawnSync } from 'node:child_process';
import { promisify } from 'node:util';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const WRK = '/usr/bin/wrk';

export function ensureWrk(): string {
  if (!existsSync(WRK)) {
    console.log('installing Debian’s wrk package (apt-get) …');
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    execFileSync('apt-get', ['update', '-q'], { stdio: 'inherit', env });
    execFileSync('apt-get', ['install', '-y', '-q', '--no-install-recommends', 'wrk'], { stdio: 'inherit', env });
  }
  // `wrk --version` prints its version, then its usage, and exits 1.
  const printed = spawnSync(WRK, ['--version'], { encoding: 'utf8' }).stdout;
  return printed.split('\n')[0]?.replace(/ Copyright.*/, '') ?? 'wrk';
}

export interface WrkResult {
  readonly requests: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly maxMs: number;
  readonly non2xx: number;
}

export interface WrkTarget {
  /** A path; `{id}` is replaced by a random cluster id of `ids` per request. */
  readonly path: string;
  readonly ids?: readonly number[];
}

const toMs = (value: string, unit: string): number => Number(value) * ({ us: 0.001, ms: 1, s: 1000, m: 60_000 }[unit] ?? NaN);

function latency(output: string, label: string): number {
  const m = new RegExp(`^\\s*${label}\\s+([\\d.]+)(us|ms|s|m)\\b`, 'm').exec(output);
  if (!m) throw new Error(`wrk printed no ${label}:\n${output}`);
  return toMs(m[1] ?? '', m[2] ?? '');
}

/**
 * Runs wrk without blocking this process: its event loop must keep draining the service's log
 * pipe, or the service blocks writing to it (stdout to a pipe is synchronous on Linux) and its
 * event loop stalls for the benchmark's sake.
 */
export async function runWrk(baseUrl: string, target: WrkTarget, authorization: string, seconds: number, dir: string, connections = 1): Promise<WrkResult> {
  const script = join(dir, 'wrk-request.lua');
  const ids = target.ids ?? [];
  writeFileSync(
    script,
    [
      `local ids = {${ids.join(',')}}`,
      `local path = ${JSON.stringify(target.path)}`,
      `wrk.headers["Authorization"] = ${JSON.stringify(authorization)}`,
      'request = function()',
      '  local p = path',
      '  if #ids > 0 then p = string.gsub(path, "{id}", tostring(ids[math.random(#ids)])) end',
      '  return wrk.format("GET", p)',
      'end',
      '',
    ].join('\n'),
  );
  const { stdout: output } = await promisify(execFile)(WRK, ['-t1', `-c${connections}`, `-d${seconds}s`, '--timeout', '10s', '--latency', '-s', script, baseUrl], { encoding: 'utf8' });
  const requests = Number(/(\d+) requests in/.exec(output)?.[1] ?? NaN);
  const non2xx = Number(/Non-2xx or 3xx responses: (\d+)/.exec(output)?.[1] ?? 0);
  const max = /^\s*Latency\s+\S+\s+\S+\s+([\d.]+)(us|ms|s|m)/m.exec(output);
  return { requests, p50Ms: latency(output, '50%'), p99Ms: latency(output, '99%'), maxMs: max ? toMs(max[1] ?? '', max[2] ?? '') : NaN, non2xx };
}
