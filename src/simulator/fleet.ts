/**
 * A fleet of simulated clusters in one process: the entry point of the tests, the benchmarks,
 * `stellar simulate` and `stellar demo`.
 */
import type { SimClusterSpec } from './cluster-spec.js';
import { ConnectionCounts } from './connection-counts.js';
import { type Fault, parseFaults } from './faults.js';
import { hashInts } from './random.js';
import { SimulatedCluster, type SimClusterDetails } from './simulated-cluster.js';
import type { SimDorisVersion, SimEngine, SimMode, SimNodeKind, SimVersion } from './versions.js';

export interface FleetOptions {
  readonly clusters: number;
  readonly fes?: number;
  readonly bes?: number;
  readonly version?: SimVersion;
  readonly engine?: SimEngine;
  readonly mode?: SimMode;
  readonly dorisVersion?: SimDorisVersion;
  readonly nodeKind?: SimNodeKind;
  readonly seed?: number;
  /** First port of a consecutive block (FEs then MySQL, cluster after cluster); null for ephemeral ports. */
  readonly basePort?: number | null;
  readonly host?: string;
  readonly username?: string;
  readonly password?: string;
  readonly latencyGauges?: boolean;
  /** Show this address for every FE in the frontends list instead of the one it listens on. */
  readonly advertiseHost?: string;
  /** Each FE on an address of its own (FE i on 127.0.0.(i + 1)) instead of all on `host`. */
  readonly distinctFeHosts?: boolean;
  readonly beMetrics?: boolean;
  /** `[CLUSTERS:]FAULTS[;…]`, see `parseFleetFaults`. */
  readonly faults?: string;
  readonly clock?: () => number;
  /** Per-cluster shapes, overriding the uniform ones above (the demo mixes sizes and versions). */
  readonly specs?: readonly Partial<SimClusterSpec>[];
}

export interface SimulatedFleet {
  readonly clusters: readonly SimulatedCluster[];
  details(): SimClusterDetails[];
  close(): Promise<void>;
}

/** Clusters started at once: enough to start a thousand quickly, few enough to keep fds sane. */
const START_CONCURRENCY = 64;

export class FleetOptionError extends Error {}

export async function startSimulatedFleet(options: FleetOptions): Promise<SimulatedFleet> {
  const count = options.clusters;
  const fes = options.fes ?? 3;
  const bes = options.bes ?? 10;
  checkRange('clusters', count, 1, 5000);
  checkRange('fes', fes, 1, 9);
  checkRange('bes', bes, 0, 200);
  const seed = options.seed ?? 1;
  const faultsByCluster = parseFleetFaults(options.faults ?? '', count);
  const specs: SimClusterSpec[] = Array.from({ length: count }, (_, i) => ({
    name: `sim-${String(i + 1).padStart(count >= 1000 ? 4 : 2, '0')}`,
    engine: options.engine ?? 'starrocks',
    mode: options.mode ?? 'shared_nothing',
    version: options.version ?? '3.3',
    ...(options.dorisVersion === undefined ? {} : { dorisVersion: options.dorisVersion }),
    ...(options.nodeKind === undefined ? {} : { nodeKind: options.nodeKind }),
    fes,
    bes,
    seed: hashInts(seed, i),
    latencyGauges: options.latencyGauges ?? false,
    beMetrics: options.beMetrics ?? false,
    ...options.specs?.[i],
  }));
  for (const spec of specs) {
    if (spec.engine === 'starrocks' && spec.version === '2.4' && spec.mode === 'shared_data') {
      throw new FleetOptionError(`${spec.name}: StarRocks 2.4 has no shared-data mode (it came with 3.0)`);
    }
  }
  let nextPort = options.basePort ?? null;
  const portsOf = specs.map((spec) => {
    if (nextPort === null) return null;
    const ports = Array.from({ length: spec.fes + 1 }, (_, k) => (nextPort ?? 0) + k);
    nextPort += spec.fes + 1;
    return ports;
  });
  if (nextPort !== null && nextPort - 1 > 65_535) {
    throw new FleetOptionError(`--base-port ${options.basePort} leaves no room for ${count} clusters (ports up to ${nextPort - 1} needed)`);
  }

  // One count for the whole fleet, so `GET /_sim/connections` on any FE answers for every FE.
  const connections = new ConnectionCounts();
  const clusters: SimulatedCluster[] = new Array<SimulatedCluster>(count);
  const started: SimulatedCluster[] = [];
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < count) {
      const i = next++;
      const spec = specs[i] as SimClusterSpec;
      const cluster = await SimulatedCluster.start(spec, {
        host: options.host ?? '127.0.0.1',
        ports: portsOf[i] ?? null,
        username: options.username ?? 'root',
        password: options.password ?? '',
        clock: options.clock ?? Date.now,
        faults: faultsByCluster[i] ?? [],
        connections,
        ...(options.advertiseHost === undefined ? {} : { advertiseHost: options.advertiseHost }),
        ...(options.distinctFeHosts === true ? { distinctFeHosts: true } : {}),
      });
      clusters[i] = cluster;
      started.push(cluster);
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.min(START_CONCURRENCY, count) }, worker));
  } catch (error) {
    await Promise.all(started.map((c) => c.close()));
    throw error;
  }
  return {
    clusters,
    details: () => clusters.map((c) => c.details()),
    close: async () => {
      await Promise.all(clusters.map((c) => c.close()));
    },
  };
}

/**
 * `--faults` for a fleet: `;`-separated groups of `[CLUSTERS:]FAULTS`, where CLUSTERS is a
 * 1-based cluster number, a range `2-5` or `*` (the default), and FAULTS a comma-separated
 * list of `kind[@target][=value]`. Example: `1:fe_down@1;3-4:slow=1500,be_dead@2`.
 */
export function parseFleetFaults(text: string, clusterCount: number): Fault[][] {
  const result: Fault[][] = Array.from({ length: clusterCount }, () => []);
  for (const group of text.split(';').map((g) => g.trim()).filter((g) => g !== '')) {
    const match = /^(?:(\*|\d+(?:-\d+)?):)?(.*)$/.exec(group);
    const which = match?.[1] ?? '*';
    const faults = parseFaults(match?.[2] ?? '');
    const [low, high] = which === '*' ? [1, clusterCount] : which.split('-').map(Number).concat(NaN).slice(0, 2);
    const last = Number.isNaN(high) ? low : high;
    if (low === undefined || last === undefined || low < 1 || last > clusterCount || low > last) {
      throw new FleetOptionError(`fault group "${group}" names clusters ${which}, but there are clusters 1 to ${clusterCount}`);
    }
    for (let c = low; c <= last; c += 1) result[c - 1]?.push(...faults);
  }
  return result;
}

function checkRange(name: string, value: number, low: number, high: number): void {
  if (!Number.isInteger(value) || value < low || value > high) {
    throw new FleetOptionError(`--${name} ${value} is not accepted; give a whole number from ${low} to ${high}`);
  }
}

