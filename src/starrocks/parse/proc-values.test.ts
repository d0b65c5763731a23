import { describe, expect, it } from 'vitest';
import { parseBoolean, parseCapacity, parseFeTime, parseInteger, parsePercent, parseText } from './proc-values.js';

describe('node-list cell formats', () => {
  it.each([
    ['1.234 TB', 1.234 * 1024 ** 4],
    ['25.122 GB', 25.122 * 1024 ** 3],
    ['13.255 KB', 13.255 * 1024],
    ['0.000 B', 0],
    ['0.000 ', 0],
    ['27.423GB', 27.423 * 1024 ** 3],
    ['2048.000 TB', 2048 * 1024 ** 4],
    ['NULL', null],
    ['', null],
    ['12 parsecs', null],
    [null, null],
  ])('parseCapacity(%j) = %s', (cell, bytes) => {
    expect(parseCapacity(cell)).toBe(bytes);
  });

  it.each([
    ['44.72 %', 44.72],
    ['0.0 %', 0],
    ['12.3%', 12.3],
    ['N/A', null],
    ['NULL', null],
    ['high', null],
  ])('parsePercent(%j) = %s', (cell, pct) => {
    expect(parsePercent(cell)).toBe(pct);
  });

  it('reads integers, booleans, texts and FE times', () => {
    expect(parseInteger('21753')).toBe(21753);
    expect(parseInteger('12.5')).toBeNull();
    expect(parseBoolean('true')).toBe(true);
    expect(parseBoolean('false')).toBe(false);
    expect(parseBoolean('maybe')).toBeNull();
    expect(parseText(' rack:r1 ')).toBe('rack:r1');
    expect(parseText('NULL')).toBeNull();
    expect(parseFeTime('2023-05-27 18:37:17')).toBe(Date.UTC(2023, 4, 27, 18, 37, 17));
    expect(parseFeTime('2023-05-27 18:37:17', 480)).toBe(Date.UTC(2023, 4, 27, 10, 37, 17));
    expect(parseFeTime('NULL')).toBeNull();
  });
});
