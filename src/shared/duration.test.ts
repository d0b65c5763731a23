import { describe, expect, it } from 'vitest';
import { DAY_UNITS, formatAmount, parseAmount, SECOND_UNITS } from './duration.js';

describe('parseAmount in seconds (metrics.interval_secs)', () => {
  it.each([
    [30, 30],
    ['30', 30],
    ['30s', 30],
    [' 30s ', 30],
    ['30 s', 30],
    ['5m', 300],
    ['1h', 3600],
    ['1d', 86_400],
    ['45sec', 45],
    ['45secs', 45],
    ['1second', 1],
    ['2seconds', 2],
    ['2min', 120],
    ['2mins', 120],
    ['1minute', 60],
    ['3minutes', 180],
    ['2hr', 7200],
    ['1hour', 3600],
    ['2hours', 7200],
    ['1day', 86_400],
    ['2days', 172_800],
  ])('accepts %j as %d seconds', (input, seconds) => {
    expect(parseAmount(input, SECOND_UNITS)).toEqual({ ok: true, value: seconds });
  });

  it.each([
    [0, 'must be greater than zero'],
    ['0', 'must be greater than zero'],
    ['0s', 'must be greater than zero'],
    [-5, 'must be greater than zero'],
    ['-5s', 'must be greater than zero'],
    ['-30', 'must be greater than zero'],
    [1.5, 'must be a whole number'],
    ['1.5', 'must be a whole number'],
    ['1.5h', 'has a fractional amount; write it in a smaller unit, e.g. "90m"'],
    ['0.5m', 'has a fractional amount; write it in a smaller unit, e.g. "30s"'],
    ['0.5s', 'has a fractional amount; only whole amounts are accepted'],
    ['5x', 'has an unknown unit "x"'],
    ['5S', 'has an unknown unit "S"'],
    ['1w', 'has an unknown unit "w"'],
    ['5 hrs', 'has an unknown unit "hrs"'],
    ['', 'is empty'],
    ['   ', 'is empty'],
    ['s', 'is not a whole number with an optional unit'],
    ['1h30m', 'is not a whole number with an optional unit'],
    ['1e3', 'is not a whole number with an optional unit'],
    ['abc', 'is not a whole number with an optional unit'],
    [Number.NaN, 'is not a finite number'],
    [Number.POSITIVE_INFINITY, 'is not a finite number'],
    [true, 'must be a number or a string, not a boolean'],
    [null, 'must be a number or a string, not null'],
    [[30], 'must be a number or a string, not an array'],
    ['99999999999999999999d', 'is too large'],
  ])('rejects %j: %s', (input, problem) => {
    expect(parseAmount(input, SECOND_UNITS)).toEqual({ ok: false, problem });
  });

  it('accepts TOML integers read as bigint, and rejects those too large to be exact', () => {
    expect(parseAmount(90n, SECOND_UNITS)).toEqual({ ok: true, value: 90 });
    expect(parseAmount(2n ** 64n, SECOND_UNITS)).toEqual({ ok: false, problem: 'is too large' });
  });
});

describe('parseAmount in days (metrics.retention_days)', () => {
  it.each([
    [7, 7],
    ['7', 7],
    ['7d', 7],
    ['1day', 1],
    ['30days', 30],
    ['2w', 14],
    ['1week', 7],
    ['3weeks', 21],
  ])('accepts %j as %d days', (input, days) => {
    expect(parseAmount(input, DAY_UNITS)).toEqual({ ok: true, value: days });
  });

  it.each([
    ['0d', 'must be greater than zero'],
    ['-1w', 'must be greater than zero'],
    ['1.5w', 'has a fractional amount; only whole amounts are accepted'],
    ['1.5d', 'has a fractional amount; only whole amounts are accepted'],
    ['12h', 'has an unknown unit "h"'],
    ['1m', 'has an unknown unit "m"'],
    ['1y', 'has an unknown unit "y"'],
  ])('rejects %j: %s', (input, problem) => {
    expect(parseAmount(input, DAY_UNITS)).toEqual({ ok: false, problem });
  });
});

describe('formatAmount', () => {
  it.each([
    [30, SECOND_UNITS, '30s'],
    [90, SECOND_UNITS, '90s'],
    [300, SECOND_UNITS, '5m'],
    [5400, SECOND_UNITS, '90m'],
    [7200, SECOND_UNITS, '2h'],
    [86_400, SECOND_UNITS, '1d'],
    [7, DAY_UNITS, '1w'],
    [10, DAY_UNITS, '10d'],
  ])('writes %d as %s', (value, units, text) => {
    expect(formatAmount(value, units)).toBe(text);
  });

  it('round-trips through parseAmount', () => {
    for (const value of [1, 59, 60, 61, 3599, 3600, 86_399, 86_400, 172_800]) {
      const text = formatAmount(value, SECOND_UNITS);
      expect(parseAmount(text, SECOND_UNITS)).toEqual({ ok: true, value });
    }
  });

  it('has no form for zero, negative or fractional values', () => {
    expect(formatAmount(0, SECOND_UNITS)).toBeUndefined();
    expect(formatAmount(-60, SECOND_UNITS)).toBeUndefined();
    expect(formatAmount(1.5, SECOND_UNITS)).toBeUndefined();
  });
});
