/**
 * One simulated cluster's fixed attributes and its history of events. Values at an instant
 * come from `fe-values.ts` and `be-values.ts`, which read this model and never change it.
 */
import { type SimClusterSpec, HISTORY_SEC } from './cluster-spec.js';
import { EventLog } from './event-log.js';
import { between, hashInts, intBetween, SeasonalRate } from './random.js';
import { DORIS_BUILD_STRINGS, type SimDorisVersion, type VersionProfile, versionProfile } from './versions.js';

const DAY_SEC = 86_400;

export interface FeAttributes {
  readonly index: number;
  /** Where this FE's HTTP server listens; filled in when the servers start. */
  host: string;
  httpPort: number;
  /** When the FE joined the cluster (the number in its `Name`). */
  readonly joinedMs: number;
  /** When it last started before the simulator did. */
  readonly initialStartMs: number;
  /** Its share of the cluster's queries. */
  readonly weight: number;
  readonly heapMaxBytes: number;
  readonly heapPeriodSec: number;
  readonly youngGcPerSec: number;
  readonly gcMsEach: number;
  readonly users: readonly { readonly name: string; readonly share: number }[];
}

export interface BeAttributes {
  readonly index: number;
  readonly id: number;
  /** A loopback address of its own, so a BE `/metrics` server can listen on it. */
  readonly ip: string;
  httpPort: number;
  readonly cores: number;
  readonly memLimitBytes: number;
  readonly totalBytes: number;
  readonly baseDataBytes: number;
  readonly dataGrowthBytesPerSec: number;
  readonly otherUsedBytes: number;
  readonly diskSkewPct: number;
  readonly baseTablets: number;
  readonly tabletsPerDay: number;
  readonly initialStartMs: number;
  readonly heartbeatPhaseSec: number;
  /** Busy share of the CPU (0–1); its integral gives the `/proc/stat` jiffies. */
  readonly cpuBusy: SeasonalRate;
  readonly netSend: SeasonalRate;
  readonly netReceive: SeasonalRate;
  readonly diskRead: SeasonalRate;
  readonly diskWrite: SeasonalRate;
}

/** A Doris compute group (compute-storage mode): its `cluster_id` and `cluster_name` labels and its share of the queries. */
export interface ComputeGroup {
  readonly id: string;
  readonly name: string;
  readonly share: number;
}

export interface Database {
  readonly name: string;
  readonly tables: number;
  readonly baseBytes: number;
}

export class ClusterModel {
  readonly profile: VersionProfile;
  readonly events = new EventLog();
  readonly clusterId: number;
  /** Epoch ms at which the curves start; counters count from an FE's start, never from here. */
  readonly originMs: number;
  readonly fes: FeAttributes[];
  readonly bes: BeAttributes[];
  readonly databases: readonly Database[];
  /** Queries per second of the whole cluster. */
  readonly traffic: SeasonalRate;
  readonly errors: SeasonalRate;
  readonly transactions: SeasonalRate;
  readonly loads: SeasonalRate;
  readonly requestRatio: number;
  readonly timeoutShare: number;
  readonly slowShare: number;
  readonly latencyBaseMs: number;
  readonly latencyShape: { readonly p95: number; readonly p99: number; readonly p999: number };
  readonly journalPerSec: number;
  readonly journalBase: number;
  readonly routineLoadRunning: number;
  /** Doris in compute-storage (shared_data) mode runs its queries in compute groups; none otherwise. */
  readonly computeGroups: readonly ComputeGroup[];
  /** The mysql listener port, shown as every FE's `QueryPort`; filled in when it starts. */
  queryPort = 9030;
  /** The password the FE accepts; a `wrong_password` fault changes it. */
  password: string;

  constructor(
    readonly spec: SimClusterSpec,
    readonly username: string,
    password: string,
    /** When the simulator started: FEs and BEs have been up for days before it. */
    readonly startedMs: number,
  ) {
    const s = spec.seed;
    this.password = password;
    this.profile = versionProfile(spec.version);
    this.clusterId = intBetween(100_000_000, 2_000_000_000, s, 1);
    this.originMs = startedMs - HISTORY_SEC * 1000;
    const weights = Array.from({ length: spec.fes }, (_, i) => between(0.6, 1.4, s, 2, i));
    const weightSum = weights.reduce((a, b) => a + b, 0);
    this.fes = weights.map((w, i) => this.feAttributes(i, w / weightSum));
    this.bes = Array.from({ length: spec.bes }, (_, j) => this.beAttributes(j));
    const dbCount = intBetween(5, 20, s, 3);
    this.databases = [
      { name: '_statistics_', tables: 6, baseBytes: 40e6 },
      { name: 'information_schema', tables: 60, baseBytes: 0 },
      ...Array.from({ length: dbCount }, (_, d) => ({
        name: ['ods', 'dwd', 'dws', 'ads', 'dim', 'ssb', 'tpcds', 'logs', 'events', 'billing'][d % 10] + (d >= 10 ? `_${d}` : ''),
        tables: intBetween(1, 500, s, 4, d),
        baseBytes: between(1e9, 4e11, s, 5, d),
      })),
    ];
    const qps = between(5, 300, s, 6);
    this.traffic = new SeasonalRate(qps, s, 7, [
      { amplitude: 0.35, periodSec: DAY_SEC },
      { amplitude: 0.15, periodSec: between(300, 900, s, 8) },
    ]);
    this.errors = new SeasonalRate(qps * between(0.001, 0.03, s, 9), s, 10, [{ amplitude: 0.5, periodSec: 1800 }]);
    this.transactions = new SeasonalRate(between(0.5, 20, s, 11), s, 12, [{ amplitude: 0.4, periodSec: 3600 }]);
    this.loads = new SeasonalRate(between(0.05, 2, s, 13), s, 14, [{ amplitude: 0.5, periodSec: 7200 }]);
    this.requestRatio = between(1.2, 3, s, 15);
    this.timeoutShare = between(0.1, 0.5, s, 16);
    this.slowShare = between(0.005, 0.05, s, 17);
    this.latencyBaseMs = between(50, 300, s, 18);
    this.latencyShape = { p95: between(3, 6, s, 19), p99: between(1.5, 3, s, 20), p999: between(2, 4, s, 21) };
    this.journalPerSec = between(1, 50, s, 22);
    this.journalBase = intBetween(1_000_000, 50_000_000, s, 23);
    this.routineLoadRunning = intBetween(0, 20, s, 24);
    const groupShare = between(0.3, 0.7, s, 25);
    this.computeGroups =
      spec.engine === 'doris' && spec.mode === 'shared_data'
        ? [
            { id: `${this.clusterId}_cg0`, name: 'compute_cluster', share: groupShare },
            { id: `${this.clusterId}_cg1`, name: 'etl_group', share: 1 - groupShare },
          ]
        : [];
  }

  get engine(): 'starrocks' | 'doris' {
    return this.spec.engine;
  }

  get dorisVersion(): SimDorisVersion {
    return this.spec.dorisVersion ?? '3.0';
  }

  get buildString(): string {
    return this.spec.engine === 'doris' ? DORIS_BUILD_STRINGS[this.dorisVersion] : this.profile.buildString;
  }

  /** Whether the nodes are listed (and counted) as compute nodes rather than backends: see `SimClusterSpec.nodeKind`. */
  get nodesAreComputeNodes(): boolean {
    if (this.spec.engine === 'doris') return false;
    return (this.spec.nodeKind ?? (this.spec.mode === 'shared_data' ? 'compute_node' : 'backend')) === 'compute_node';
  }

  /** Seconds since the curves' origin: small numbers keep the integrals exact in doubles. */
  sec(tMs: number): number {
    return (tMs - this.originMs) / 1000;
  }

  leaderAt(tMs: number): number {
    return this.events.leaderAt(tMs, 0);
  }

  private feAttributes(index: number, weight: number): FeAttributes {
    const s = this.spec.seed;
    const heapGiB = [8, 8, 8, 16, 32][intBetween(0, 4, s, 30, index)] ?? 8;
    const userCount = intBetween(3, 10, s, 31, index);
    const names = ['root', 'sr_admin', 'etl', 'bi_reader', 'flink_sink', 'devops_user', 'airflow', 'grafana', 'tauc_cdc', 'analyst'];
    const rawShares = Array.from({ length: userCount }, (_, u) => between(0.1, 1, s, 32, index, u));
    const total = rawShares.reduce((a, b) => a + b, 0);
    return {
      index,
      host: '127.0.0.1',
      httpPort: 8030,
      joinedMs: this.startedMs - Math.round(between(60, 400, s, 33, index) * DAY_SEC * 1000),
      initialStartMs: this.startedMs - Math.round(between(0.5, 30, s, 34, index) * DAY_SEC * 1000),
      weight,
      heapMaxBytes: heapGiB * 1024 ** 3,
      heapPeriodSec: between(60, 300, s, 35, index),
      youngGcPerSec: between(0.1, 2, s, 36, index),
      gcMsEach: between(5, 50, s, 37, index),
      users: rawShares.map((share, u) => ({ name: names[u] ?? `user${u}`, share: share / total })),
    };
  }

  private beAttributes(index: number): BeAttributes {
    const s = this.spec.seed;
    const cores = [16, 32, 48, 64][intBetween(0, 3, s, 40, index)] ?? 16;
    const h = hashInts(s, 41);
    const rate = (key: number, low: number, high: number, period: number): SeasonalRate =>
      new SeasonalRate(between(low, high, s, key, index), s, key * 100 + index, [
        { amplitude: 0.6, periodSec: period },
        { amplitude: 0.3, periodSec: period / 3 },
      ]);
    return {
      index,
      id: 10001 + index,
      ip: `127.${1 + (h % 200)}.${(h >>> 8) % 256}.${11 + index}`,
      httpPort: 8040,
      cores,
      memLimitBytes: Math.round(cores * 4 * 1024 ** 3 * 0.9),
      totalBytes: between(4, 16, s, 42, index) * 1024 ** 4,
      baseDataBytes: between(200, 3000, s, 43, index) * 1024 ** 3,
      dataGrowthBytesPerSec: between(0.1, 2, s, 44, index) * 1024 ** 2,
      otherUsedBytes: between(0.01, 0.05, s, 45, index) * 4 * 1024 ** 4,
      diskSkewPct: between(0, 6, s, 46, index),
      baseTablets: intBetween(5_000, 40_000, s, 47, index),
      tabletsPerDay: between(0, 200, s, 48, index),
      initialStartMs: this.startedMs - Math.round(between(1, 60, s, 49, index) * DAY_SEC * 1000),
      heartbeatPhaseSec: between(0, 5, s, 50, index),
      // Busy share base ≤ 0.5 with ±90 % waves keeps the CPU between 5 % and 95 %.
      cpuBusy: rate(51, 0.1, 0.5, 1800),
      netSend: rate(52, 1e6, 5e7, 900),
      netReceive: rate(53, 1e6, 5e7, 900),
      diskRead: rate(54, 1e6, 2e8, 1200),
      diskWrite: rate(55, 1e6, 1e8, 1200),
    };
  }
}
