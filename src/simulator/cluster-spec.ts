/** What one simulated cluster is: its shape, its flavour and its seed. */
import type { SimDorisVersion, SimEngine, SimMode, SimNodeKind, SimVersion } from './versions.js';

export interface SimClusterSpec {
  readonly name: string;
  readonly engine: SimEngine;
  readonly mode: SimMode;
  /** The StarRocks version; for Doris, the metric layout it shares. */
  readonly version: SimVersion;
  /** The Doris release whose node-list columns a Doris cluster shows; 3.0 when absent. */
  readonly dorisVersion?: SimDorisVersion;
  /**
   * What the nodes are listed as: compute nodes by default on a StarRocks shared-data cluster,
   * backends otherwise (a 3.0 shared-data cluster of BEs, or a shared-nothing cluster of CNs,
   * says so). Doris has no compute-node list: its nodes are always backends.
   */
  readonly nodeKind?: SimNodeKind;
  /** Frontends: the first is the leader at start; beyond three, the extra ones are observers. */
  readonly fes: number;
  /** Backends (shared_nothing) or compute nodes (shared_data). */
  readonly bes: number;
  readonly seed: number;
  /** Realistic `query_latency{type=...}` gauges instead of the default all-zero ones. */
  readonly latencyGauges: boolean;
  /** Serve `/metrics` on each BE's HTTP port too (network, disk IO and CPU families). */
  readonly beMetrics: boolean;
}

/** Seconds between the time origin of a cluster's curves and the simulator's start. */
export const HISTORY_SEC = 40 * 86_400;
