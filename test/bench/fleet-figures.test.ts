/** The fleet benchmark's reading of stored rows: which slots were missed and how late the others were. */
import { describe, expect, it } from 'vitest';
import { percentile, slotFigures, type StoredRow } from '../../bench/fleet-figures.js';

const I = 30_000;
const offsets: Record<number, number> = { 1: 5_000, 2: 20_000 };
const offsetOf = (id: number): number => offsets[id] ?? 0;
const rows = (id: number, times: number[]): StoredRow[] => times.map((collectedAt) => ({ clusterId: id, collectedAt }));

describe('slotFigures', () => {
  it('counts every slot of the window as served, with its lag, when each cluster is collected just after its slot', () => {
    // Window [60 s, 180 s): cluster 1's slots 65, 95, 125 s (155 s would need rows up to 185 s); cluster 2's 80, 110, 140 s.
    const stored = [...rows(1, [65_200, 95_400, 125_100, 155_000]), ...rows(2, [80_000, 110_900, 140_300])];
    const f = slotFigures(stored, [1, 2], I, offsetOf, 60_000, 180_000);
    expect(f.slots).toBe(6);
    expect(f.missed).toBe(0);
    expect([...f.lagsMs].sort((a, b) => a - b)).toEqual([0, 100, 200, 300, 400, 900]);
    expect(f.meanGapMs).toBeCloseTo((155_000 - 65_200 + 140_300 - 80_000) / 5);
  });

  it('counts a slot no row served within an interval as missed, as when a 30 s fleet is collected every 63 s', () => {
    const f = slotFigures(rows(1, [65_000, 128_000, 191_000]), [1], I, offsetOf, 60_000, 240_000);
    // Slots 65, 95, 125, 155, 185 s: 65 and 125 (row at 128) and 185 (row at 191) served; 95 and 155 missed.
    expect(f.slots).toBe(5);
    expect(f.missed).toBe(2);
    expect(f.lagsMs).toEqual([0, 3_000, 6_000]);
    expect(f.meanGapMs).toBe(63_000);
  });

  it('does not let a row collected before a slot serve it, and counts a cluster with no row at all', () => {
    const f = slotFigures(rows(1, [64_000]), [1, 2], I, offsetOf, 60_000, 120_000);
    // Cluster 1: slot 65 s (95 s needs rows up to 125 s); cluster 2: slot 80 s.
    expect(f).toEqual({ slots: 2, missed: 2, lagsMs: [], meanGapMs: null });
  });
});

describe('percentile', () => {
  it('is the nearest-rank value, and null for no values', () => {
    const values = Array.from({ length: 100 }, (_, i) => 100 - i);
    expect(percentile(values, 50)).toBe(50);
    expect(percentile(values, 99)).toBe(99);
    expect(percentile(values, 100)).toBe(100);
    expect(percentile([7], 99)).toBe(7);
    expect(percentile([], 50)).toBeNull();
  });
});
