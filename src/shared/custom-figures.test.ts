/** The custom figures of a span: what one snapshot adds, how two spans merge, and what a column that cannot be read holds. */
import { describe, expect, it } from 'vitest';
import { addCustomValues, type CustomFigure, customFiguresByBucket, customFiguresJson, mergeCustomFigures, parseCustomFigures, snapshotCustomFigures } from './custom-figures.js';

describe('custom figures', () => {
  it('counts each number of a snapshot once, and leaves out nulls, non-numbers and metrics without a value', () => {
    expect(JSON.parse(snapshotCustomFigures('{"a": 2.5, "b": null, "c": "x", "d": -1}')!)).toEqual({ a: [2.5, 1, 2.5], d: [-1, 1, -1] });
    expect(snapshotCustomFigures('{"b": null}')).toBeNull();
    expect(snapshotCustomFigures(null)).toBeNull();
  });

  it('merges spans exactly: sums and counts add up, the maximum is the higher', () => {
    const first = addCustomValues(new Map<string, CustomFigure>(), '{"a": 1, "b": 7}');
    addCustomValues(first, '{"a": 5}');
    const second = parseCustomFigures('{"a": [10, 3, 4], "c": [2, 2, 1.5]}');
    expect(Object.fromEntries(mergeCustomFigures(first, second))).toEqual({ a: [16, 5, 5], b: [7, 1, 7], c: [2, 2, 1.5] });
  });

  it('reads an unreadable column, or an unreadable figure in it, as nothing', () => {
    expect(parseCustomFigures('not json').size).toBe(0);
    expect(parseCustomFigures('[1, 2]').size).toBe(0);
    expect(Object.fromEntries(parseCustomFigures('{"a": [1, 1, 1], "b": [1, 0, 1], "c": "x", "d": [1, 2]}'))).toEqual({ a: [1, 1, 1] });
    expect(customFiguresJson(new Map())).toBeNull();
  });

  it('groups snapshots by bucket', () => {
    const rows = [
      { collected_at: 100, custom_values: '{"a": 1}' },
      { collected_at: 299, custom_values: '{"a": 3}' },
      { collected_at: 300, custom_values: null },
    ];
    const buckets = customFiguresByBucket(rows, (at) => Math.floor(at / 300) * 300);
    expect([...buckets.entries()].map(([at, figures]) => [at, customFiguresJson(figures)])).toEqual([
      [0, '{"a":[4,2,3]}'],
      [300, null],
    ]);
  });
});
