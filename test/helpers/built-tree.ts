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
