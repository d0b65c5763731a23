/** The soak's plan and verdict (bench/soak-plan.ts): what `npm run soak` and CI fail on. */
import { describe, expect, it } from 'vitest';
import { countSlots, DEFAULT_SOAK, FAULT_ROTATION, faultSwitches, parseSoakArgs, percentile, planFaults, slopePerMinute, SoakArgError, soakFailures, slotOf } from '../../bench/soak-plan.js';

describe('soak arguments', () => {
  it('reads --minutes, --clusters and --faulty (also as --flag=N), with defaults for the rest', () => {
    expect(parseSoakArgs(['--minutes', '3', '--clusters=30', '--faulty', '20'])).toEqual({ ...DEFAULT_SOAK, minutes: 3, clusters: 30, faultyPercent: 20 });
    expect(parseSoakArgs([])).toEqual(DEFAULT_SOAK);
  });

  it('refuses an unknown flag, a missing, fractional or out-of-range number, naming the flag and the accepted values', () => {
    expect(() => parseSoakArgs(['--hours', '1'])).toThrow(SoakArgError);
    expect(() => parseSoakArgs(['--faulty', '120'])).toThrow('--faulty 120 is not accepted; give a whole number from 0 to 100');
    expect(() => parseSoakArgs(['--minutes', '1.5'])).toThrow('--minutes 1.5 is not accepted');
    expect(() => parseSoakArgs(['--clusters'])).toThrow('--clusters (missing) is not accepted');
  });
});

describe('fault plan', () => {
  const plan = planFaults({ clusters: 30, faultyPercent: 20, seed: 7, startMs: 0, endMs: 180_000, roundMs: 20_000 });

  it('leaves the first round clean, then faults 20 % of the clusters for the first half of each round', () => {
    const rounds = new Map<number, number[]>();
    for (const w of plan) rounds.set(w.fromMs, [...(rounds.get(w.fromMs) ?? []), w.cluster]);
    expect([...rounds.keys()]).toEqual([20_000, 40_000, 60_000, 80_000, 100_000, 120_000, 140_000, 160_000]);
    for (const clusters of rounds.values()) expect(new Set(clusters).size).toBe(6);
    expect(plan.every((w) => w.toMs - w.fromMs === 10_000)).toBe(true);
    // Different clusters from round to round, and every fault of the rotation met.
    expect(new Set(plan.map((w) => w.cluster)).size).toBeGreaterThan(6);
    expect(new Set(plan.map((w) => w.fault))).toEqual(new Set(FAULT_ROTATION));
  });

  it('is the same for the same seed, and switches each fault on, then off', () => {
    expect(planFaults({ clusters: 30, faultyPercent: 20, seed: 7, startMs: 0, endMs: 180_000, roundMs: 20_000 })).toEqual(plan);
    const switches = faultSwitches(plan);
    expect(switches).toHaveLength(2 * plan.length);
    expect(switches.map((s) => s.atMs)).toEqual([...switches.map((s) => s.atMs)].sort((a, b) => a - b));
    const first = plan[0]!;
    expect(switches.filter((s) => s.cluster === first.cluster && s.atMs >= first.fromMs && s.atMs <= first.toMs).slice(0, 2)).toEqual([
      { atMs: first.fromMs, cluster: first.cluster, faults: [first.fault] },
      { atMs: first.toMs, cluster: first.cluster, faults: [] },
    ]);
  });

  it('faults nobody at 0 % and everybody at 100 %', () => {
    expect(planFaults({ clusters: 5, faultyPercent: 0, seed: 1, startMs: 0, endMs: 60_000, roundMs: 20_000 })).toEqual([]);
    const all = planFaults({ clusters: 5, faultyPercent: 100, seed: 1, startMs: 0, endMs: 60_000, roundMs: 20_000 });
    expect(all.filter((w) => w.fromMs === 20_000).map((w) => w.cluster).sort()).toEqual([0, 1, 2, 3, 4]);
  });
});

describe('rows per slot', () => {
  const base = { offsetMs: 300, intervalMs: 2000, fromMs: 10_000, toMs: 30_000, graceMs: 4000, faults: [] };
  // Slots due at 10 300, 12 300, … 28 300: ten of them.
  const onTime = Array.from({ length: 10 }, (_, k) => 10_300 + k * 2000 + 40);

  it('places a collection in the slot it was due in, even a little late or a millisecond early', () => {
    expect(slotOf(10_300, 300, 2000)).toBe(5);
    expect(slotOf(12_299, 300, 2000)).toBe(5 + 1);
    expect(slotOf(12_000, 300, 2000)).toBe(5);
  });

  it('counts every healthy slot with its row, and no duplicate', () => {
    expect(countSlots({ ...base, collectedAt: onTime })).toEqual({ healthySlots: 10, healthyWritten: 10, faultySlots: 0, faultyWritten: 0, duplicates: 0 });
  });

  it('finds a missing row and a second row in one slot', () => {
    const rows = [...onTime.slice(0, 4), ...onTime.slice(5), onTime[7]! + 500];
    expect(countSlots({ ...base, collectedAt: rows })).toMatchObject({ healthySlots: 10, healthyWritten: 9, duplicates: 1 });
  });

  it('does not expect rows in slots during a fault or within the grace after it', () => {
    const faults = [{ cluster: 0, fault: 'fe_down', fromMs: 14_000, toMs: 18_000 }];
    // Faulty: due 12 300 (its interval reaches into the fault) to 20 300 (within the 4 s after it).
    const rows = onTime.filter((at) => at < 12_000 || at > 22_000);
    expect(countSlots({ ...base, faults, collectedAt: rows })).toEqual({ healthySlots: 5, healthyWritten: 5, faultySlots: 5, faultyWritten: 0, duplicates: 0 });
  });
});

describe('verdict', () => {
  const slots = { healthySlots: 1000, healthyWritten: 1000, faultySlots: 100, faultyWritten: 40, duplicates: 0 };

  it('passes a run within every bound', () => {
    expect(soakFailures({ slots, rssGrowthMb: 10, healthzP99Ms: 30 })).toEqual([]);
  });

  it('fails on missing rows beyond the tolerance, duplicates, RSS growth and a slow /healthz, one line each', () => {
    const failures = soakFailures({ slots: { ...slots, healthyWritten: 990, duplicates: 2 }, rssGrowthMb: 200, healthzP99Ms: 2500 });
    expect(failures).toEqual([
      '10 of 1000 healthy slots have no row (1.00 %; tolerance 0.5 %)',
      '2 duplicate rows (two rows of one cluster in one slot)',
      'RSS trend grew 200 MB over the run (bound 64 MB)',
      '/healthz p99 2500 ms (bound 1000 ms)',
    ]);
    expect(soakFailures({ slots: { ...slots, healthyWritten: 996 }, rssGrowthMb: 0, healthzP99Ms: 0 })).toEqual([]);
    expect(soakFailures({ slots, rssGrowthMb: 0, healthzP99Ms: NaN })).toHaveLength(1);
  });

  it('computes the p99 by nearest rank and the RSS trend per minute', () => {
    const latencies = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(percentile(latencies, 99)).toBe(99);
    expect(percentile([5], 99)).toBe(5);
    expect(slopePerMinute([{ atMs: 0, value: 100 }, { atMs: 30_000, value: 105 }, { atMs: 60_000, value: 110 }])).toBeCloseTo(10);
    expect(slopePerMinute([{ atMs: 0, value: 100 }])).toBe(0);
  });
});
