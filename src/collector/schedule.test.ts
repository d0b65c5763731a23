import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { backoffIntervals, clusterOffsetMs, collectionLagMs, effectiveIntervalMs, nextSlotMs } from './schedule.js';

describe('collection schedule', () => {
  it('gives each cluster a stable offset inside the interval', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1_000_000 }), fc.integer({ min: 1000, max: 3_600_000 }), (id, interval) => {
        const offset = clusterOffsetMs(id, interval);
        expect(offset).toBeGreaterThanOrEqual(0);
        expect(offset).toBeLessThan(interval);
        expect(clusterOffsetMs(id, interval)).toBe(offset);
      }),
    );
  });

  it('spreads a fleet over the interval instead of bunching it at the start', () => {
    const interval = 60_000;
    const buckets = new Array<number>(6).fill(0);
    for (let id = 1; id <= 1200; id += 1) buckets[Math.floor(clusterOffsetMs(id, interval) / 10_000)]! += 1;
    // 1,200 clusters in six 10-second slices: each slice gets a fair share (±30 %).
    for (const n of buckets) expect(n).toBeGreaterThan(140);
    for (const n of buckets) expect(n).toBeLessThan(260);
  });

  it('finds the next slot strictly after a time, one interval apart', () => {
    const interval = 30_000;
    const a = nextSlotMs(7, interval, 1_000_000);
    expect(a).toBeGreaterThan(1_000_000);
    expect(a - 1_000_000).toBeLessThanOrEqual(interval);
    expect(nextSlotMs(7, interval, a)).toBe(a + interval);
    expect(a % interval).toBe(clusterOffsetMs(7, interval));
  });

  it('waits longer after each consecutive failure, up to the cap', () => {
    expect([0, 1, 2, 3, 4, 5, 6, 10].map((n) => backoffIntervals(n))).toEqual([1, 1, 2, 4, 8, 10, 10, 10]);
    expect(backoffIntervals(3, { factor: 3, maxIntervals: 100 })).toBe(9);
  });

  it('rounds the interval of a cluster up to whole global intervals', () => {
    expect(effectiveIntervalMs(30_000, null)).toBe(30_000);
    expect(effectiveIntervalMs(30_000, 120)).toBe(120_000);
    expect(effectiveIntervalMs(30_000, 100)).toBe(120_000);
    expect(effectiveIntervalMs(30_000, 5)).toBe(30_000);
  });

  it('says how far behind a collection is: waiting past its instant, or how late the last one started', () => {
    const now = 1_000_000;
    expect(collectionLagMs({ nextAttemptAt: now + 5_000, running: false, lagMs: 0 }, now)).toBe(0);
    expect(collectionLagMs({ nextAttemptAt: now - 7_000, running: false, lagMs: 0 }, now)).toBe(7_000);
    expect(collectionLagMs({ nextAttemptAt: now + 5_000, running: false, lagMs: 2_500 }, now)).toBe(2_500);
    expect(collectionLagMs({ nextAttemptAt: now - 7_000, running: true, lagMs: 2_500 }, now)).toBe(2_500);
  });
});
