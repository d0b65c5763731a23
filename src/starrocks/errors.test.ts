import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SCRAPE_ERROR_KINDS, transportErrorKind } from './errors.js';

describe('ScrapeError kinds', () => {
  it('are each documented in docs/architecture.md with the same wording', () => {
    const whole = readFileSync(new URL('../../docs/architecture.md', import.meta.url), 'utf8');
    const doc = whole.slice(whole.indexOf('## The StarRocks client'), whole.indexOf('## The simulator'));
    const rows = [...doc.matchAll(/^\| `([a-z_]+)` \| (.+) \|$/gm)].map((m) => [m[1], m[2]]);
    expect(Object.fromEntries(rows)).toEqual(SCRAPE_ERROR_KINDS);
  });

  it.each([
    ['ECONNREFUSED', 'refused'],
    ['ENOTFOUND', 'refused'],
    ['UND_ERR_CONNECT_TIMEOUT', 'timeout'],
    ['UND_ERR_HEADERS_TIMEOUT', 'timeout'],
    ['ETIMEDOUT', 'timeout'],
    ['UND_ERR_SOCKET', 'network'],
    ['ECONNRESET', 'network'],
  ])('classifies %s as %s', (code, kind) => {
    expect(transportErrorKind(Object.assign(new Error('x'), { code }))).toBe(kind);
  });
});
