import { describe, expect, it } from 'vitest';
import { JsonRowCounter } from './json-row-counter.js';

const count = (...chunks: string[]): number => {
  const counter = new JsonRowCounter();
  let rows = 0;
  for (const chunk of chunks) rows = counter.feed(Buffer.from(chunk));
  return rows;
};

describe('JsonRowCounter', () => {
  it('counts the rows of a bare array of objects or of arrays, as StarRocks sends them', () => {
    expect(count('[{"Host":"a","Alive":"true"},{"Host":"b","Alive":"false"}]')).toBe(2);
    expect(count('[["a","true"],["b","false"],["c",null]]')).toBe(3);
    expect(count('[]')).toBe(0);
  });

  it("counts the rows of Doris' envelope, and nothing after the rows array", () => {
    expect(count('{"msg":"success","code":0,"data":[["a"],["b"]],"count":2}')).toBe(2);
    expect(count('[["a"]] [["b"],["c"]]')).toBe(1);
  });

  it('ignores brackets, braces and escaped quotes inside strings', () => {
    expect(count('[{"ErrMsg":"[{not a row}] \\"[\\" ]"},{"Host":"b\\\\"}]')).toBe(2);
  });

  it('counts across chunk boundaries, wherever they fall (in a string, in an escape, in UTF-8)', () => {
    const body = '[{"Name":"é[\\"x"},{"Name":"ü{"},["z"]]';
    const bytes = Buffer.from(body);
    for (let cut = 1; cut < bytes.length; cut++) {
      const counter = new JsonRowCounter();
      counter.feed(bytes.subarray(0, cut));
      expect(counter.feed(bytes.subarray(cut)), `cut at ${cut}`).toBe(3);
    }
  });
});
