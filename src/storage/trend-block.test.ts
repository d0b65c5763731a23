/** A trend block gives back exactly what went in, in each column form, from any byte offset. */
import { describe, expect, it } from 'vitest';
import { type BlockSample, ColumnForm, columnValue, decodeTrendBlock, encodeTrendBlock } from './trend-block.js';

const HOUR = Date.UTC(2026, 11, 1, 8);
const FIELDS = ['empty', 'steady', 'count', 'rate', 'sparse', 'wide'];

function samples(): BlockSample[] {
  return Array.from({ length: 120 }, (_, i) => ({
    collectedAt: HOUR + i * 30_000 + (i % 7),
    reachable: i % 11 !== 0,
    values: [null, 3, i - 60, i / 3 + 0.1, i % 4 === 0 ? null : -i * 1.5, i === 5 ? 2 ** 40 : i],
  }));
}

const decodedValues = (data: Uint8Array, field: string, n: number) => {
  const column = decodeTrendBlock(data).column(field)!;
  return Array.from({ length: n }, (_, i) => columnValue(column, i));
};

describe('trend blocks', () => {
  it('give back every value, null, instant and reachability', () => {
    const input = samples();
    const block = decodeTrendBlock(encodeTrendBlock(HOUR, FIELDS, input));
    expect(block.samples).toBe(120);
    expect(block.fields).toEqual(FIELDS);
    expect(Array.from(block.offsets, (o) => HOUR + o)).toEqual(input.map((s) => s.collectedAt));
    expect(Array.from(block.reachable, (r) => r === 1)).toEqual(input.map((s) => s.reachable));
    FIELDS.forEach((field, f) => {
      const column = block.column(field)!;
      expect(Array.from({ length: 120 }, (_, i) => columnValue(column, i)), field).toEqual(input.map((s) => s.values[f]));
    });
  });

  it('store each column in the smallest form that keeps it exact', () => {
    const block = decodeTrendBlock(encodeTrendBlock(HOUR, FIELDS, samples()));
    expect(FIELDS.map((f) => block.column(f)!.form)).toEqual([
      ColumnForm.None,
      ColumnForm.Constant,
      ColumnForm.Int32,
      ColumnForm.Float64,
      ColumnForm.Float64,
      // 2^40 is an integer, but not a 32-bit one.
      ColumnForm.Float64,
    ]);
    // A column of integers and nulls stays integers.
    const counts = [{ collectedAt: HOUR, reachable: true, values: [7] }, { collectedAt: HOUR + 1, reachable: false, values: [null] }];
    const data = encodeTrendBlock(HOUR, ['alive'], counts);
    expect(decodeTrendBlock(data).column('alive')!.form).toBe(ColumnForm.Int32);
    expect(decodedValues(data, 'alive', 2)).toEqual([7, null]);
  });

  it('are small: an hour of integer and constant columns takes far less than 8 bytes a value', () => {
    const input = Array.from({ length: 120 }, (_, i) => ({ collectedAt: HOUR + i * 30_000, reachable: true, values: [3, 3, i, null] }));
    expect(encodeTrendBlock(HOUR, ['a', 'b', 'c', 'd'], input).byteLength).toBeLessThan(120 * 4 * 8 / 2);
  });

  it('read from bytes that do not start on an 8-byte boundary (as a driver may hand them over)', () => {
    const data = encodeTrendBlock(HOUR, FIELDS, samples());
    const shifted = new Uint8Array(data.byteLength + 3).subarray(3);
    shifted.set(data);
    expect(decodedValues(shifted, 'rate', 120)).toEqual(samples().map((s) => s.values[3]));
  });

  it('say which fields they do not hold, and refuse a sample outside their hour or an unknown version', () => {
    const data = encodeTrendBlock(HOUR, FIELDS, samples());
    expect(decodeTrendBlock(data).column('qps')).toBeUndefined();
    expect(() => encodeTrendBlock(HOUR, ['a'], [{ collectedAt: HOUR + 3_600_000, reachable: true, values: [1] }])).toThrow(/outside the 3600000 ms starting at/);
    const other = data.slice();
    other[0] = 9;
    expect(() => decodeTrendBlock(other)).toThrow(/version 9/);
  });

  it('hold an hour without samples', () => {
    const block = decodeTrendBlock(encodeTrendBlock(HOUR, ['a'], []));
    expect(block.samples).toBe(0);
    expect(block.column('a')!.form).toBe(ColumnForm.None);
  });
});
