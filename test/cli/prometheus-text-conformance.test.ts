/**
 * The Prometheus text-format conformance suite: the input cases of the Prometheus projects' own
 * parser tests (prometheus/prometheus model/textparse, prometheus/common expfmt,
 * prometheus/client_python, node_exporter's textfile fixtures) and large real payloads, fed to
 * the built `stellar inspect metrics FILE` one by one. Its runner exits 0 when every check that
 * a StarRocks or Doris FE or BE can produce agrees; the others are reported, not required.
 * The cases are public data kept beside the repository (fixtures.ts) and need python3.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { builtTreeSkipReason, runToEnd } from '../helpers/built-tree.js';
import { conformanceSkipReason, PROMETHEUS_CONFORMANCE_DIR } from '../helpers/fixtures.js';
import { skipNote, skipReason } from '../helpers/requirements.js';

const python = spawnSync('python3', ['--version']);
const pythonSkipReason = skipReason(python.status === 0 ? null : 'python3 is not installed: the conformance suite is a Python program', 'STELLAR_REQUIRE_SHARED');
const reason = conformanceSkipReason ?? pythonSkipReason ?? builtTreeSkipReason;

describe.skipIf(reason !== null)(`Prometheus text-format conformance${skipNote(reason)}`, () => {
  // Hundreds of cases, each a process of the CLI: minutes on a busy machine.
  it('every case that matters for StarRocks and Doris agrees with the references', async () => {
    const run = await runToEnd('python3', [join(PROMETHEUS_CONFORMANCE_DIR, 'run.py')]);
    const summary = run.stdout.trimEnd().split('\n').at(-1) ?? '';
    expect(run.code, `${run.stdout}\n${run.stderr}`).toBe(0);
    const [, agreeing, matters] = /^\d+\/\d+ agree \(matters: (\d+)\/(\d+)\)/.exec(summary) ?? [];
    expect(Number(matters)).toBeGreaterThan(0);
    expect(agreeing).toBe(matters);
  }, 30 * 60_000);
});
