import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ERROR_KINDS, StellarError, validationError, type ErrorKind } from './errors.js';

describe('docs/errors.md', () => {
  const doc = readFileSync(new URL('../docs/errors.md', import.meta.url), 'utf8');
  const rows = [...doc.matchAll(/^\| `(STELLAR_ERR_[A-Z_]+)` \| (HTTP \d+|exit \d+) \| (.+) \|$/gm)].map((m) => ({
    code: m[1],
    status: m[2],
    meaning: m[3],
  }));

  it('lists every error code once, with its status or exit code and meaning', () => {
    const expected = Object.entries(ERROR_KINDS).map(([code, kind]: [string, ErrorKind]) => ({
      code,
      status: kind.status !== undefined ? `HTTP ${kind.status}` : `exit ${kind.exitCode}`,
      meaning: kind.meaning,
    }));
    expect(rows).toEqual(expected);
  });
});

describe('StellarError', () => {
  it('takes its HTTP status and exit code from its kind', () => {
    expect(new StellarError('STELLAR_ERR_CLUSTER_NAME_TAKEN', 'x').statusCode).toBe(409);
    expect(new StellarError('STELLAR_ERR_CONFIG', 'x').exitCode).toBe(2);
    expect(new StellarError('STELLAR_ERR_STORAGE', 'x').exitCode).toBe(1);
  });

  it('every API error is a 4xx except the one for bugs (500) and the one for a database that cannot write (503)', () => {
    const serverSide: Record<string, number> = { STELLAR_ERR_INTERNAL: 500, STELLAR_ERR_STORAGE_UNAVAILABLE: 503 };
    for (const [code, kind] of Object.entries(ERROR_KINDS) as [string, ErrorKind][]) {
      if (kind.status === undefined) continue;
      if (code in serverSide) expect(kind.status, code).toBe(serverSide[code]);
      else expect(kind.status >= 400 && kind.status < 500, code).toBe(true);
    }
  });

  it('builds validation messages that name every field', () => {
    const error = validationError([
      { field: 'name', message: 'is required' },
      { field: 'tags[1]', message: 'must not be empty' },
    ]);
    expect(error.message).toBe('name: is required; tags[1]: must not be empty');
    expect(error.statusCode).toBe(400);
  });
});
