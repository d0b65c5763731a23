/**
 * The cumulative counters the collector remembers per FE and per BE between collections, and
 * the arithmetic on them: increases that survive restarts, per-second rates over each node's
 * own interval.
 */
import type { MetricReader } from './metric-reader.js';

/** Counter readings of one node at one instant; null where the node does not expose it. */
export type CounterReadings = Readonly<Record<string, number | null>>;

export interface NodeMemory {
  readonly atMs: number;
  readonly counters: CounterReadings;
}

/** FE counters by snapshot-delta name; values are summed over every series of the family. */
export const FE_COUNTERS: Readonly<Record<string, (m: MetricReader) => number | null>> = {
  queries: (m) => m.sum('query_total'),
  requests: (m) => m.sum('request_total'),
  query_errors: (m) => m.sum('query_err'),
  query_timeouts: (m) => m.sum('query_timeout'),
  slow_queries: (m) => m.sum('slow_query'),
  queued_queries: (m) => m.sum('query_queue_total'),
  query_queue_timeouts: (m) => m.sum('query_queue_timeout'),
  txn_begin: (m) => m.sum('txn_begin'),
  txn_success: (m) => m.sum('txn_success'),
  txn_failed: (m) => m.sum('txn_failed'),
  txn_reject: (m) => m.sum('txn_reject'),
  loads_finished: (m) => m.sum('load_finished'),
  routine_load_rows: (m) => m.sum('routine_load_rows'),
  edit_log_writes: (m) => m.sum('edit_log_write'),
  young_gc_count: (m) => m.rawFirst('jvm_young_gc', { type: 'count' }),
  young_gc_time_ms: (m) => m.rawFirst('jvm_young_gc', { type: 'time' }),
  old_gc_count: (m) => m.rawFirst('jvm_old_gc', { type: 'count' }),
  old_gc_time_ms: (m) => m.rawFirst('jvm_old_gc', { type: 'time' }),
  tcp_retrans_segs: (m) => m.first('snmp', { name: 'tcp_retrans_segs' }),
  tcp_out_segs: (m) => m.first('snmp', { name: 'tcp_out_segs' }),
};

/** BE counters, summed over devices; CPU jiffies by mode. */
export const BE_COUNTERS: Readonly<Record<string, (m: MetricReader) => number | null>> = {
  cpu_idle: (m) => m.sum('cpu', { mode: 'idle' }),
  cpu_all: (m) => m.sum('cpu'),
  net_sent: (m) => m.sum('network_send_bytes'),
  net_received: (m) => m.sum('network_receive_bytes'),
  io_read: (m) => m.sum('disk_bytes_read'),
  io_written: (m) => m.sum('disk_bytes_written'),
};

export function readCounters(reader: MetricReader, which: Readonly<Record<string, (m: MetricReader) => number | null>>): CounterReadings {
  return Object.fromEntries(Object.entries(which).map(([name, read]) => [name, read(reader)]));
}

/** Increase between two readings; a drop means the node restarted, so the new value is the increase. */
export function counterIncrease(before: number, after: number): number {
  return after >= before ? after - before : after;
}

/** Σ over nodes seen both times of the increase of `name`; null when no node was seen twice. */
export function sumIncrease(now: ReadonlyMap<string, NodeMemory>, before: ReadonlyMap<string, NodeMemory>, name: string): number | null {
  let total: number | null = null;
  for (const [key, current] of now) {
    const previous = before.get(key)?.counters[name];
    const value = current.counters[name];
    if (previous === undefined || previous === null || value === null || value === undefined) continue;
    total = (total ?? 0) + counterIncrease(previous, value);
  }
  return total;
}

/** Σ over nodes seen both times of increase ÷ that node's own seconds between the readings. */
export function sumRate(now: ReadonlyMap<string, NodeMemory>, before: ReadonlyMap<string, NodeMemory>, name: string): { rate: number; nodes: Set<string> } {
  let rate = 0;
  const nodes = new Set<string>();
  for (const [key, current] of now) {
    const prior = before.get(key);
    const previous = prior?.counters[name];
    const value = current.counters[name];
    if (prior === undefined || previous === undefined || previous === null || value === null || value === undefined) continue;
    const seconds = (current.atMs - prior.atMs) / 1000;
    if (seconds <= 0) continue;
    rate += counterIncrease(previous, value) / seconds;
    nodes.add(key);
  }
  return { rate, nodes };
}
