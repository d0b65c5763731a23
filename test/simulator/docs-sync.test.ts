/** docs/simulator.md lists every fault kind and every simulated version, so the docs cannot drift. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { FAULT_KINDS } from '../../src/simulator/faults.js';
import { SIM_DORIS_VERSIONS, SIM_VERSIONS } from '../../src/simulator/versions.js';

const doc = readFileSync(new URL('../../docs/simulator.md', import.meta.url), 'utf8');

describe('docs/simulator.md', () => {
  it('has a row for every fault kind, and no row for a kind that does not exist', () => {
    const rows = [...doc.matchAll(/^\| `([a-z_0-9]+)(?:@N|=N)?`/gm)].map((m) => m[1]);
    expect(rows.sort()).toEqual(Object.keys(FAULT_KINDS).sort());
  });

  it('describes every simulated version', () => {
    for (const version of SIM_VERSIONS) expect(doc).toMatch(new RegExp(`^\\| ${version.replace('.', '\\.')} \\|`, 'm'));
    for (const version of SIM_DORIS_VERSIONS) expect(doc).toMatch(new RegExp(`^\\| Doris ${version.replace('.', '\\.')} \\|`, 'm'));
  });
});
