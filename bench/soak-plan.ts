/**
 * The soak's pure parts (`npm run soak`, bench/soak.ts): its arguments, which clusters get which
 * fault when, which collection slots count as healthy, and the verdict over what was measured.
 * Times are epoch milliseconds unless named otherwise.
 */
import { unit } from '../src/simulator/random.js';

export interface SoakOptions {
  readonly minutes: number;
  readonly clusters: number;
  /** Share of the clusters given a fault in each round, in %. */
  readonly faultyPercent: number;
  /** The service's `metrics.interval_secs`: short, so a few minutes hold many slots. */
  readonly intervalSecs: number;
  readonly seed: number;
}

export const DEFAULT_SOAK: SoakOptions = { minutes: 2, clusters: 20, faultyPercent: 20, intervalSecs: 2, seed: 1 };

export class SoakArgError extends Error {}

const FLAGS: Record<string, { key: keyof SoakOptions; low: number; high: number }> = {
  '--minutes': { key: 'minutes', low: 1, high: 24 * 60 },
  '--clusters': { key: 'clusters', low: 1, high: 2000 },
  '--faulty': { key: 'faultyPercent', low: 0, high: 100 },
  '--interval': { key: 'intervalSecs', low: 1, high: 60 },
  '--seed': { key: 'seed', low: 0, high: 2 ** 31 - 1 },
};

/** `--minutes N --clusters N --faulty P [--interval S] [--seed N]`, each a whole number (`--flag=N` too). */
export function parseSoakArgs(argv: readonly string[]): SoakOptions {
  const options: Record<keyof SoakOptions, number> = { ...DEFAULT_SOAK };
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i] ?? '';
    const [flag = '', inline] = arg.split('=', 2);
    const spec = FLAGS[flag];
    if (spec === undefined) throw new SoakArgError(`unknown argument "${arg}"; accepted: ${Object.keys(FLAGS).join(', ')}, each followed by a whole number`);
    const text = inline ?? argv[++i];
    const value = Number(text);
    if (text === undefined || !/^\d+$/.test(text) || value < spec.low || value > spec.high) {
      throw new SoakArgError(`${flag} ${text ?? '(missing)'} is not accepted; give a whole number from ${spec.low} to ${spec.high}`);
    }
    options[spec.key] = value;
  }
  return options;
}

/** A fault in force on one cluster (0-based index into the fleet) from `fromMs` until `toMs`. */
export interface FaultWindow {
  readonly cluster: number;
  readonly fault: string;
  readonly fromMs: number;
  readonly toMs: number;
}

/**
 * Faults taken in turn, so a soak of a few minutes meets each: a dead FE, a dead BE, an FE slower
 * than the collection interval, one that never answers (until the cluster's connection timeout),
 * broken bodies, and a changed password.
 */
export const FAULT_ROTATION = ['fe_down', 'be_dead@1', 'slow=1500', 'http_500', 'hang', 'truncated', 'garbage', 'wrong_password', 'empty', 'fe_down@all'] as const;

/** Each round, the faulty clusters have their fault for this share of it, then none. */
const FAULT_SHARE_OF_ROUND = 0.5;

/**
 * Rounds of `roundMs` from `startMs` to `endMs`, the first one clean (the service warms up): in
 * each later round a different `faultyPercent` % of the clusters (chosen by a seeded shuffle) get
 * the next fault of FAULT_ROTATION for the first half of the round; the second half is clean.
 */
export function planFaults(options: { clusters: number; faultyPercent: number; seed: number; startMs: number; endMs: number; roundMs: number }): FaultWindow[] {
  const { clusters, faultyPercent, startMs, endMs, roundMs } = options;
  const perRound = Math.round((clusters * faultyPercent) / 100);
  const windows: FaultWindow[] = [];
  for (let round = 1; startMs + round * roundMs < endMs; round += 1) {
    const fromMs = startMs + round * roundMs;
    const toMs = Math.min(endMs, fromMs + roundMs * FAULT_SHARE_OF_ROUND);
    shuffled(clusters, options.seed, round)
      .slice(0, perRound)
      .forEach((cluster, k) => windows.push({ cluster, fault: FAULT_ROTATION[(round + k) % FAULT_ROTATION.length] ?? 'fe_down', fromMs, toMs }));
  }
  return windows;
}

/** When to change a cluster's faults, and to what (`[]` clears them), in time order. */
export interface FaultSwitch {
  readonly atMs: number;
  readonly cluster: number;
  readonly faults: readonly string[];
}

export function faultSwitches(windows: readonly FaultWindow[]): FaultSwitch[] {
  const switches = windows.flatMap((w) => [
    { atMs: w.fromMs, cluster: w.cluster, faults: [w.fault] },
    { atMs: w.toMs, cluster: w.cluster, faults: [] },
  ]);
  // A window's end and the next one's start at the same instant on one cluster: the start wins.
  return switches.sort((a, b) => a.atMs - b.atMs || a.faults.length - b.faults.length);
}

/** The cluster's collection slot a row collected at `collectedAt` belongs to (slot k starts at k × interval + offset). */
export function slotOf(collectedAt: number, offsetMs: number, intervalMs: number): number {
  // A timer may fire a millisecond early; a collection never starts an eighth of an interval early.
  return Math.floor((collectedAt - offsetMs + intervalMs / 8) / intervalMs);
}

export interface SlotCount {
  /** Slots whose cluster was healthy (see countSlots) and the rows written in them. */
  readonly healthySlots: number;
  readonly healthyWritten: number;
  /** Slots with a fault in force or just after one, and the rows written in them. */
  readonly faultySlots: number;
  readonly faultyWritten: number;
  /** Rows beyond the first in one slot. */
  readonly duplicates: number;
}

/**
 * One cluster's slots due in [fromMs, toMs) against its rows. A slot is healthy when none of the
 * cluster's faults was in force from `graceMs` before it (a fault's failures push the next
 * attempts out by the backoff, and a hung request lasts up to the connection timeout) to its end.
 */
export function countSlots(options: { offsetMs: number; intervalMs: number; fromMs: number; toMs: number; graceMs: number; faults: readonly FaultWindow[]; collectedAt: readonly number[] }): SlotCount {
  const { offsetMs, intervalMs, fromMs, toMs, graceMs, faults } = options;
  const rowsPerSlot = new Map<number, number>();
  for (const at of options.collectedAt) {
    if (at < fromMs || at >= toMs) continue;
    const slot = slotOf(at, offsetMs, intervalMs);
    rowsPerSlot.set(slot, (rowsPerSlot.get(slot) ?? 0) + 1);
  }
  let healthySlots = 0;
  let healthyWritten = 0;
  let faultySlots = 0;
  let faultyWritten = 0;
  let duplicates = 0;
  for (let slot = Math.ceil((fromMs - offsetMs) / intervalMs); slot * intervalMs + offsetMs < toMs; slot += 1) {
    const dueMs = slot * intervalMs + offsetMs;
    const rows = rowsPerSlot.get(slot) ?? 0;
    duplicates += Math.max(0, rows - 1);
    const faulty = faults.some((w) => w.fromMs < dueMs + intervalMs && w.toMs > dueMs - graceMs);
    if (faulty) {
      faultySlots += 1;
      faultyWritten += Math.min(rows, 1);
    } else {
      healthySlots += 1;
      healthyWritten += Math.min(rows, 1);
    }
  }
  return { healthySlots, healthyWritten, faultySlots, faultyWritten, duplicates };
}

/** The p-th percentile (0–100) by nearest rank; NaN for no values. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? NaN;
}

/** Least-squares slope of `value` over time, per minute; 0 for fewer than two samples. */
export function slopePerMinute(samples: readonly { atMs: number; value: number }[]): number {
  const n = samples.length;
  if (n < 2) return 0;
  const meanT = samples.reduce((s, x) => s + x.atMs, 0) / n;
  const meanV = samples.reduce((s, x) => s + x.value, 0) / n;
  let num = 0;
  let den = 0;
  for (const x of samples) {
    num += (x.atMs - meanT) * (x.value - meanV);
    den += (x.atMs - meanT) ** 2;
  }
  return den === 0 ? 0 : (num / den) * 60_000;
}

export interface SoakBounds {
  /** Healthy slots without a row, as a share of all healthy slots. */
  readonly missingShare: number;
  /** RSS growth over the measured part of the run (fitted trend × its length), in MB. */
  readonly rssGrowthMb: number;
  readonly healthzP99Ms: number;
}

/**
 * - Missing rows: 0.5 % of healthy slots. A healthy slot can still lose its row to the machine
 *   (a 2-core CI runner shared with the soak and the simulated fleet: a collection that starts
 *   more than an interval late is counted in the next slot); a real loss is every row of a
 *   cluster or of a stretch of time, far above this.
 * - RSS: the fitted trend after warm-up may add at most 64 MB over the run. V8 grows its heap in
 *   steps and gives memory back lazily, so a flat process shows tens of MB of sawtooth; a leak of
 *   a row, a socket or a buffer per collection grows by hundreds of MB in minutes at this rate.
 * - /healthz p99: 1 s. The check is that nothing holds the event loop for long, not latency:
 *   on a loaded 2-core CI machine the service shares the cores with the simulated fleet, this
 *   probe, SQLite's threads and other jobs, so tens of ms of scheduling delay are normal, while a
 *   parse or a query that blocks the loop shows as seconds.
 */
export const SOAK_BOUNDS: SoakBounds = { missingShare: 0.005, rssGrowthMb: 64, healthzP99Ms: 1000 };

export interface SoakFigures {
  readonly slots: SlotCount;
  readonly rssGrowthMb: number;
  readonly healthzP99Ms: number;
}

/** Why the soak fails: one line per bound passed; empty when it passes. */
export function soakFailures(figures: SoakFigures, bounds: SoakBounds = SOAK_BOUNDS): string[] {
  const failures: string[] = [];
  const { healthySlots, healthyWritten, duplicates } = figures.slots;
  const missing = healthySlots - healthyWritten;
  if (healthySlots === 0) failures.push('no healthy slot was measured: the run is too short for its interval');
  else if (missing / healthySlots > bounds.missingShare) {
    failures.push(`${missing} of ${healthySlots} healthy slots have no row (${((100 * missing) / healthySlots).toFixed(2)} %; tolerance ${100 * bounds.missingShare} %)`);
  }
  if (duplicates > 0) failures.push(`${duplicates} duplicate rows (two rows of one cluster in one slot)`);
  if (figures.rssGrowthMb > bounds.rssGrowthMb) failures.push(`RSS trend grew ${figures.rssGrowthMb.toFixed(0)} MB over the run (bound ${bounds.rssGrowthMb} MB)`);
  if (!(figures.healthzP99Ms <= bounds.healthzP99Ms)) failures.push(`/healthz p99 ${figures.healthzP99Ms.toFixed(0)} ms (bound ${bounds.healthzP99Ms} ms)`);
  return failures;
}

/** 0 … count − 1 in an order fixed by the seed and the round (Fisher–Yates over the simulator's hash). */
function shuffled(count: number, seed: number, round: number): number[] {
  const items = Array.from({ length: count }, (_, i) => i);
  for (let i = count - 1; i > 0; i -= 1) {
    const j = Math.floor(unit(seed, round, i) * (i + 1));
    [items[i], items[j]] = [items[j] as number, items[i] as number];
  }
  return items;
}
