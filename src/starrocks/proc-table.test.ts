import { describe, expect, it } from 'vitest';
import { ProcBodyError, procTableFromJson } from './proc-table.js';

describe('procTableFromJson', () => {
  it('reads 3.1+ objects by title, in column order, keeping nulls', () => {
    expect(procTableFromJson([{ BackendId: '10003', IP: '10.0.0.1', ErrMsg: '' }, { BackendId: '10004', IP: '10.0.0.2', ErrMsg: null }])).toEqual({
      columns: ['BackendId', 'IP', 'ErrMsg'],
      rows: [['10003', '10.0.0.1', ''], ['10004', '10.0.0.2', null]],
    });
  });

  it('reads pre-3.1 row arrays and Doris envelopes without titles', () => {
    expect(procTableFromJson([['10003', 'x']])).toEqual({ columns: null, rows: [['10003', 'x']] });
    expect(procTableFromJson({ msg: 'success', code: 0, data: [['1', 'h']], count: 0 })).toEqual({ columns: null, rows: [['1', 'h']] });
    expect(procTableFromJson([])).toEqual({ columns: null, rows: [] });
  });

  it.each([
    [{ status: 'FAILED', code: '1', msg: 'Access denied' }, 'query_failed', /reported a failure: Access denied/],
    [{ msg: 'Unauthorized', code: 401, data: null, count: 0 }, 'auth', /reported code 401 \(Unauthorized\)/],
    // Doris' 403 is BAD_REQUEST (RestApiStatusCode), not a refused login.
    [{ msg: 'Bad Request', code: 403, data: 'Unknown proc node: /nope', count: 0 }, 'query_failed', /reported code 403 \(Bad Request\): Unknown proc node/],
    [{ msg: 'internal error', code: 500, data: null, count: 0 }, 'query_failed', /reported code 500 \(internal error\)/],
    [{ some: 'object' }, 'malformed', /expected a JSON array of rows, got an object/],
    ['text', 'malformed', /got string/],
    [null, 'malformed', /got null/],
    [[{ TabletNum: 42 }], 'malformed', /row 1, column TabletNum: expected a string, got number/],
    [[['1', 2]], 'malformed', /all objects of strings or all arrays of strings/],
    [[['1'], { a: '1' }], 'malformed', /all objects of strings or all arrays of strings/],
  ])('rejects %j as %s with a message', (body, kind, message) => {
    let thrown: unknown;
    try {
      procTableFromJson(body);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ProcBodyError);
    expect(thrown).toMatchObject({ kind, message: expect.stringMatching(message) });
  });
});
