/**
 * scripts/audit.mjs, CI's `npm audit --omit=dev`: fails on a high or critical advisory, passes
 * lesser ones, and says in one line that nothing was checked when the registry's audit endpoint
 * answers an error. Judged on saved `npm audit --json` answers (`--report FILE`), in the shapes
 * npm prints them.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runToEnd } from '../helpers/built-tree.js';

const dir = mkdtempSync(join(tmpdir(), 'stellar-audit-'));

async function judge(report: unknown): Promise<{ code: number | null; stdout: string }> {
  const file = join(dir, `${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(file, typeof report === 'string' ? report : JSON.stringify(report));
  const { code, stdout } = await runToEnd(process.execPath, ['scripts/audit.mjs', '--report', file]);
  return { code, stdout };
}

const counts = (over: Record<string, number>) => ({ info: 0, low: 0, moderate: 0, high: 0, critical: 0, total: 0, ...over });
const advisory = (name: string, severity: string, title: string) => ({
  name,
  severity,
  isDirect: false,
  via: [{ source: 1, name, dependency: name, title, url: `https://github.com/advisories/GHSA-${name}`, severity, range: '<2.0.0' }],
  effects: [],
  range: '<2.0.0',
  nodes: [`node_modules/${name}`],
  fixAvailable: true,
});

describe('scripts/audit.mjs', () => {
  it('fails on a high or critical advisory of a production dependency, naming the package, the advisory and its address', async () => {
    const result = await judge({
      auditReportVersion: 2,
      vulnerabilities: { 'bad-parser': advisory('bad-parser', 'high', 'Prototype pollution'), 'slow-regex': advisory('slow-regex', 'moderate', 'ReDoS') },
      metadata: { vulnerabilities: counts({ moderate: 1, high: 1, total: 2 }), dependencies: { prod: 120, dev: 0, optional: 0, peer: 0, peerOptional: 0, total: 120 } },
    });
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('1 production dependency has a high or critical advisory (0 critical, 1 high, 1 moderate, 0 low)');
    expect(result.stdout).toContain('bad-parser (high, <2.0.0): Prototype pollution https://github.com/advisories/GHSA-bad-parser; a fix is available');
    expect(result.stdout).not.toContain('slow-regex (');
  });

  it('passes when the advisories are moderate or low, and says how many there are', async () => {
    const result = await judge({
      auditReportVersion: 2,
      vulnerabilities: { 'slow-regex': advisory('slow-regex', 'moderate', 'ReDoS') },
      metadata: { vulnerabilities: counts({ moderate: 1, total: 1 }), dependencies: { prod: 120, total: 120 } },
    });
    expect(result).toEqual({ code: 0, stdout: 'npm audit: no high or critical advisory in the production dependencies (0 critical, 0 high, 1 moderate, 0 low)\n' });
  });

  it('continues with one line when the audit endpoint answers an error or nothing readable', async () => {
    const refused = await judge({ message: '405 Method Not Allowed - POST https://registry.npmjs.org/-/npm/v1/security/advisories/bulk', method: 'POST', statusCode: 405, body: '', error: { summary: '', detail: '' } });
    expect(refused).toEqual({ code: 0, stdout: "npm audit: not checked: the registry's audit endpoint answered 405 Method Not Allowed - POST https://registry.npmjs.org/-/npm/v1/security/advisories/bulk\n" });
    const offline = await judge({ error: { code: 'ENOTFOUND', summary: 'request to https://registry.npmjs.org/-/npm/v1/security/advisories/bulk failed', detail: '' } });
    expect(offline.code).toBe(0);
    expect(offline.stdout).toBe("npm audit: not checked: the registry's audit endpoint answered request to https://registry.npmjs.org/-/npm/v1/security/advisories/bulk failed\n");
    expect((await judge('')).stdout).toBe('npm audit: not checked: the audit answered no report (no output)\n');
  });
});
