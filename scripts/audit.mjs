// `node scripts/audit.mjs`: `npm audit --omit=dev` for CI (.ci/run). Exit 1 when a dependency
// that ships (not a dev dependency) has a high or critical advisory, naming each; exit 0 when
// none has. When the registry's audit endpoint cannot be reached or answers an error (a mirror
// or proxy without it answers 405), one line says the advisories were not checked and the exit
// is 0: CI must not fail for a registry's outage, and the line shows in the CI log.
// `--report FILE` judges a saved `npm audit --json` answer instead of asking the registry.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

const FAILING = ['high', 'critical'];

/** What npm printed → the exit code and the lines to print. */
function judge(text) {
  let report;
  try {
    report = JSON.parse(text);
  } catch {
    return { code: 0, lines: [`npm audit: not checked: the audit answered no report (${firstLine(text) || 'no output'})`] };
  }
  const counts = report?.metadata?.vulnerabilities;
  if (counts === undefined || report.error !== undefined) {
    const why = report?.message ?? report?.error?.summary ?? report?.error?.code ?? 'no report';
    return { code: 0, lines: [`npm audit: not checked: the registry's audit endpoint answered ${firstLine(String(why))}`] };
  }
  const failing = Object.values(report.vulnerabilities ?? {}).filter((v) => FAILING.includes(v.severity));
  const summary = ['critical', 'high', 'moderate', 'low'].map((s) => `${counts[s] ?? 0} ${s}`).join(', ');
  if (failing.length === 0) return { code: 0, lines: [`npm audit: no high or critical advisory in the production dependencies (${summary})`] };
  return {
    code: 1,
    lines: [
      `npm audit: ${failing.length} production ${failing.length === 1 ? 'dependency has' : 'dependencies have'} a high or critical advisory (${summary}):`,
      ...failing.map((v) => `  ${v.name} (${v.severity}, ${v.range ?? 'any version'}): ${advisories(v)}${v.fixAvailable ? '; a fix is available (npm audit fix)' : ''}`),
    ],
  };
}

/** The advisories' titles and addresses; an entry whose advisory is in another package names it. */
function advisories(v) {
  return (v.via ?? []).map((via) => (typeof via === 'string' ? `through ${via}` : `${via.title ?? 'advisory'} ${via.url ?? ''}`.trim())).join('; ');
}

function firstLine(text) {
  return text.trim().split('\n')[0]?.slice(0, 200) ?? '';
}

const at = process.argv.indexOf('--report');
let output;
if (at >= 0) {
  output = readFileSync(process.argv[at + 1] ?? '', 'utf8');
} else {
  const run = spawnSync('npm', ['audit', '--omit=dev', '--json'], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (run.error) {
    console.error(`npm audit: could not run npm: ${run.error.message}`);
    process.exit(1);
  }
  output = run.stdout;
}
const { code, lines } = judge(output);
for (const line of lines) console.log(line);
process.exit(code);
