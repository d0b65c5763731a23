import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { renderFieldTable } from './metrics-doc.js';

describe('docs/metrics.md', () => {
  it('lists every snapshot field as the catalogue defines it (npm run docs:metrics rewrites it)', () => {
    const doc = readFileSync(new URL('../../docs/metrics.md', import.meta.url), 'utf8');
    const start = doc.indexOf('<!-- fields:start -->\n') + '<!-- fields:start -->\n'.length;
    expect(doc.slice(start, doc.indexOf('<!-- fields:end -->'))).toBe(renderFieldTable());
  });
});
