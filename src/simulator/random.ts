/**
 * Deterministic randomness for the simulator. Every value a simulated cluster shows is a pure
 * function of its seed and the instant asked about, so two renders of the same instant agree
 * and the ground truth can be recomputed for any pair of instants without replaying history.
 */

/** A 32-bit hash of integers (splitmix-style avalanche), uniform enough for simulation. */
export function hashInts(...values: readonly number[]): number {
  let h = 0x9e3779b9;
  for (const v of values) {
    h = Math.imul(h ^ (v | 0), 0x85ebca6b);
    h ^= h >>> 13;
    h = Math.imul(h ^ Math.floor(v / 4294967296), 0xc2b2ae35);
    h ^= h >>> 16;
  }
  return h >>> 0;
}

/** A uniform number in [0, 1) fixed by the inputs. */
export function unit(...values: readonly number[]): number {
  return hashInts(...values) / 4294967296;
}

/** A uniform number in [low, high) fixed by the inputs. */
export function between(low: number, high: number, ...values: readonly number[]): number {
  return low + (high - low) * unit(...values);
}

/** An integer in [low, high] fixed by the inputs. */
export function intBetween(low: number, high: number, ...values: readonly number[]): number {
  return low + Math.floor((high - low + 1) * unit(...values));
}

/**
 * Smooth value noise in [0, 1]: random knots every `periodSec`, joined by a cosine ease, so a
 * gauge wanders without jumps and without any state.
 */
export function wander(seed: number, key: number, tSec: number, periodSec: number): number {
  const x = tSec / periodSec;
  const k = Math.floor(x);
  const f = x - k;
  const ease = (1 - Math.cos(Math.PI * f)) / 2;
  const a = unit(seed, key, k);
  const b = unit(seed, key, k + 1);
  return a + (b - a) * ease;
}

/**
 * A seasonal rate and its exact integral: base × (1 + Σ amplitude·sin(2πt/period + phase)).
 * Counters are floor(integral), so the number of events between two instants is known exactly.
 */
export class SeasonalRate {
  private readonly terms: readonly { amplitude: number; omega: number; phase: number }[];

  constructor(
    readonly base: number,
    seed: number,
    key: number,
    waves: readonly { amplitude: number; periodSec: number }[],
  ) {
    this.terms = waves.map((w, i) => ({
      amplitude: w.amplitude,
      omega: (2 * Math.PI) / w.periodSec,
      phase: 2 * Math.PI * unit(seed, key, i),
    }));
  }

  at(tSec: number): number {
    let factor = 1;
    for (const w of this.terms) factor += w.amplitude * Math.sin(w.omega * tSec + w.phase);
    return this.base * factor;
  }

  /** ∫ rate dt from a fixed origin to `tSec`; only differences of it mean anything. */
  integral(tSec: number): number {
    let sum = tSec;
    for (const w of this.terms) sum -= (w.amplitude / w.omega) * Math.cos(w.omega * tSec + w.phase);
    return this.base * sum;
  }

  /** Events between two instants, as a counter would count them. */
  between(fromSec: number, toSec: number): number {
    return this.integral(toSec) - this.integral(fromSec);
  }
}
