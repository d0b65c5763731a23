import { describe, expect, it } from 'vitest';
import { capacityString, cpuPercentString, displayedBytes, feTimeString, javaDouble, percentString, prettyBytesString } from './java-format.js';

describe('Java number formats', () => {
  it.each([
    [0, '0.0'],
    [12.5, '12.5'],
    [3, '3.0'],
    [0.001, '0.001'],
    [0.0005, '5.0E-4'],
    [9_999_999, '9999999.0'],
    [12_345_678, '1.2345678E7'],
    [3.47781984e9, '3.47781984E9'],
    [Number.NaN, 'NaN'],
  ])('javaDouble(%s) = %s', (value, text) => {
    expect(javaDouble(value)).toBe(text);
  });

  it.each([
    [13_573, false, '13.255 KB'],
    [0, true, '0.000 '],
    [0, false, '0.000 B'],
    [1.968 * 1024 ** 4, false, '1.968 TB'],
    [2048 * 1024 ** 4, false, '2048.000 TB'],
  ])('capacityString(%s, %s) = %j', (bytes, emptyUnit, text) => {
    expect(capacityString(bytes, emptyUnit)).toBe(text);
  });

  it('formats percentages, memory limits and times as the FE does', () => {
    expect(percentString(44.7239)).toBe('44.72 %');
    expect(cpuPercentString(35.24)).toBe('35.2 %');
    expect(cpuPercentString(0)).toBe('0.0 %');
    expect(prettyBytesString(27.423 * 1024 ** 3)).toBe('27.423GB');
    expect(feTimeString(Date.UTC(2023, 4, 27, 18, 37, 17))).toBe('2023-05-27 18:37:17');
    expect(feTimeString(null)).toBe('NULL');
  });

  it('displayedBytes is what a reader of the capacity string gets back', () => {
    const bytes = 1.23456 * 1024 ** 4;
    expect(displayedBytes(bytes)).toBe(1.235 * 1024 ** 4);
  });
});
