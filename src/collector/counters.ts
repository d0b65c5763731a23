/**
 * The cumulative counters the collector remembers per FE and per BE between collections (the
 * ones the field catalogue names), and the arithmetic on them: increases that survive
 * restarts, per-second rates over each node's own interval.
 */
import type { Counter } from '../shared/fields/field-spec.js';
import type { MetricReader } from './metric-reader.js';

/** Counter readings of one node at one instant, by counter key; null where the node does not expose it. */
export type CounterReadings = Readonly<Record<string, number | null>>;

export interface NodeMemory {
  /** When the node's answer arrived (epoch ms). */
  readonly atMs: number;
  readonly counters: CounterReadings;
}

export function readCounters(reader: MetricReader, counters: readonly Counter[]): CounterReadings {
  const out: Record<string, number | null> = {};
  for (const c of counters) {
    // An infinite or NaN counter is no reading: remembered, it would make the next increase infinite too.
    const value = reader.read(c.read);
    out[c.key] = value !== null && Number.isFinite(value) ? value : null;
  }
  return out;
}

/** Increase between two readings; a drop means the node restarted, so the new value is the increase. */
export function counterIncrease(before: number, after: number): number {
  return after >= before ? after - before : after;
}

/** Σ over nodes seen both times of the counter's increase; null when no node was seen twice. */
export function sumIncrease(now: ReadonlyMap<string, NodeMemory>, before: ReadonlyMap<string, NodeMemory>, key: string): number | null {
  let total: number | null = null;
  for (const [node, current] of now) {
    const previous = before.get(node)?.counters[key];
    const value = current.counters[key];
    if (previous === undefined || previous === null || value === null || value === undefined) continue;
    total = (total ?? 0) + counterIncrease(previous, value);
  }
  return total;
}

/** Σ over nodes seen both times of increase ÷ that node's own seconds between the readings. */
export function sumRate(now: ReadonlyMap<string, NodeMemory>, before: ReadonlyMap<string, NodeMemory>, key: string): { rate: number; nodes: Set<string> } {
  let rate = 0;
  const nodes = new Set<string>();
  for (const [node, current] of now) {
    const prior = before.get(node);
    const previous = prior?.counters[key];
    const value = current.counters[key];
    if (prior === undefined || previous === undefined || previous === null || value === null || value === undefined) continue;
    const seconds = (current.atMs - prior.atMs) / 1000;
    if (seconds <= 0) continue;
    rate += counterIncrease(previous, value) / seconds;
    nodes.add(node);
  }
  return { rate, nodes };
}
