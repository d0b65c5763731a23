import { describe, expect, it } from 'vitest';
import { parseInstant } from './instant.js';

const NOW = Date.UTC(2026, 10, 24, 12, 0, 0);

describe('parseInstant', () => {
  it('reads ISO 8601 with an offset, dates as UTC midnight, and epoch ms', () => {
    expect(parseInstant('2026-11-24T12:00:00Z')).toBe(NOW);
    expect(parseInstant('2026-11-24T12:00:00.000Z')).toBe(NOW);
    expect(parseInstant('2026-11-24T14:00:00+02:00')).toBe(NOW);
    expect(parseInstant('2026-11-24T12:00Z')).toBe(NOW);
    expect(parseInstant('2026-11-24')).toBe(Date.UTC(2026, 10, 24));
    expect(parseInstant(String(NOW))).toBe(NOW);
    expect(parseInstant('0')).toBe(0);
  });

  it('refuses times without an offset, dates not in the calendar, and anything else', () => {
    for (const bad of ['2026-11-24T12:00:00', '2026-02-30', '2026-13-01', 'yesterday', 'tomorrow', '', '-5', '1e12', '12.5', 'NaN', '2026-11-24 12:00:00Z', '10000-01-01']) {
      expect(parseInstant(bad), bad).toBeNull();
    }
  });
});
