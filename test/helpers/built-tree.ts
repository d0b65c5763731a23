/**
 * The built tree (dist/, from `npm run build`), for the tests that run the package as a user
 * does: `npx stellar`, `npm start`, the conformance suite through `stellar inspect metrics`.
 * They skip when dist/ is missing or older than src/ or web/ (`scripts/ensure-build.mjs
 * --check` decides, by the rule `npm start` builds by) and never build it themselves: a build
 * replaces dist/ under the other tests running at the same time. CI builds first and sets
 * STELLAR_REQUIRE_BUILD=1 (.ci/run), so there a stale or missing dist/ fails the run.
 */
import { spawn, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { onTestFinished } from 'vitest';
import { skipReason } from './requirements.js';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));

const check = spawnSync(process.execPath, ['scripts/ensure-build.mjs', '--check'], { cwd: ROOT, encoding: 'utf8' });
/** Why the built package cannot be run here, or null when dist/ is current. */
export const builtTreeSkipReason = skipReason(check.status === 0 ? null : check.stderr.trim() || `ensure-build.mjs --check failed (${String(check.status)})`, 'STELLAR_REQUIRE_BUILD');

export interface Finished {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs a command in the project's root to its end without blocking the test's event loop
 * (spawnSync would, and a run of minutes then starves vitest's worker).
 */
export function runToEnd(command: string, args: readonly string[], env: Record<string, string> = {}): Promise<Finished> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (text: string) => (stdout += text));
    child.stderr.setEncoding('utf8').on('data', (text: string) => (stderr += text));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/**
 * Starts a command that runs the service (`npm start`, `npx stellar start`) in its own process
 * group, so npm, its shell and node stop together, and resolves with the URL it logs once
 * listening. The group is stopped when the test finishes, passed, failed or timed out.
 */
export async function startListening(command: string, args: readonly string[], options: { cwd: string; env: Record<string, string> }): Promise<{ url: string; output: () => string }> {
  const child = spawn(command, args, { cwd: options.cwd, env: { ...process.env, ...options.env }, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let running = true;
  const exited = new Promise<void>((resolve) =>
    child.on('close', () => {
      running = false;
      resolve();
    }),
  );
  onTestFinished(async () => {
    if (running && child.pid !== undefined) process.kill(-child.pid, 'SIGTERM');
    await exited;
  });
  let output = '';
  const url = await new Promise<string>((resolve, reject) => {
    const read = (text: string) => {
      output += text;
      const listening = /is listening on (http:\/\/[^"\s]+)/.exec(output);
      if (listening?.[1] !== undefined) resolve(listening[1]);
    };
    child.stdout.setEncoding('utf8').on('data', read);
    child.stderr.setEncoding('utf8').on('data', read);
    child.on('close', (code) => reject(new Error(`${[command, ...args].join(' ')} exited (${String(code)}) before listening:\n${output}`)));
  });
  return { url, output: () => output };
}
