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
    [{ status: 'FAILED', code: '1', msg: 'Access denied' }, /reported a failure: Access denied/],
    [{ msg: 'Unauthorized', code: 401, data: null, count: 0 }, /reported code 401: Unauthorized/],
    [{ some: 'object' }, /expected a JSON array of rows, got an object/],
    ['text', /got string/],
    [[{ TabletNum: 42 }], /row 1, column TabletNum: expected a string, got number/],
    [[['1'], { a: '1' }], /all objects of strings or all arrays of strings/],
  ])('rejects %j with a message', (body, message) => {
    expect(() => procTableFromJson(body)).toThrow(ProcBodyError);
    expect(() => procTableFromJson(body)).toThrow(message);
  });
});
