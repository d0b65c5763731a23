/**
 * What one simulated FE reports at an instant: counters since its start, gauges, JVM figures.
 * Pure functions of the model and the instant. The ranges are estimates for a mid-size cluster
 * (documented defaults and alert thresholds), not measurements of a real one.
 */
import type { ClusterModel, FeAttributes } from './cluster-model.js';
import { between, intBetween, wander } from './random.js';

/** StarRocks' `metric/MetricCalculator.java` refreshes the rate gauges every 15 s. */
const RATE_WINDOW_SEC = 15;

export interface FeCounters {
  readonly queryTotal: number;
  readonly requestTotal: number;
  readonly querySuccess: number;
  readonly queryErr: number;
  readonly queryTimeout: number;
  readonly slowQuery: number;
  readonly txnBegin: number;
  readonly txnSuccess: number;
  readonly txnFailed: number;
  readonly txnReject: number;
  readonly loadAdd: number;
  /** Journal entries this FE wrote as leader, and replayed as follower, since its start. */
  readonly journalWritten: number;
  readonly journalReplayed: number;
  readonly routineLoadRows: number;
  readonly loadFinished: number;
  readonly youngGcCount: number;
  readonly youngGcTimeMs: number;
  readonly oldGcCount: number;
  readonly oldGcTimeMs: number;
  readonly tcpInSegs: number;
  readonly tcpOutSegs: number;
  readonly tcpRetransSegs: number;
  readonly tcpInErrs: number;
  /** Doris' `{user}` breakdowns of `query_total` and `query_err`, one per `fe.users` entry. */
  readonly queryTotalByUser: readonly number[];
  readonly queryErrByUser: readonly number[];
  /** Doris compute-storage mode: `request_total`, `query_total`, `query_err` per `model.computeGroups` entry. */
  readonly byComputeGroup: readonly { readonly requestTotal: number; readonly queryTotal: number; readonly queryErr: number }[];
}

export interface FeLatency {
  readonly p75: number;
  readonly p95: number;
  readonly p98: number;
  readonly p99: number;
  readonly p999: number;
  readonly mean: number;
}

export interface FeValues {
  readonly fe: FeAttributes;
  readonly alive: boolean;
  readonly leader: boolean;
  readonly startMs: number;
  readonly counters: FeCounters;
  readonly qps: number;
  readonly rps: number;
  readonly errRate: number;
  readonly latency: FeLatency;
  /** `query_latency{type=...}` gauges: all zero unless the cluster has them switched on. */
  readonly latencyGauges: { readonly mean: number; readonly p50: number; readonly p75: number; readonly p90: number; readonly p95: number; readonly p99: number; readonly p999: number };
  readonly heapUsed: number;
  readonly heapCommitted: number;
  readonly nonHeapCommitted: number;
  readonly nonHeapUsed: number;
  readonly directBufferCount: number;
  readonly directBufferBytes: number;
  readonly threads: number;
  readonly threadPeak: number;
  readonly connectionsByUser: readonly { readonly user: string; readonly count: number }[];
  /** The rate gauges of each compute group (Doris compute-storage mode), as `MetricCalculator` computes them. */
  readonly computeGroupRates: readonly { readonly qps: number; readonly rps: number; readonly errRate: number }[];
  readonly maxJournalId: number;
  readonly metaLogCount: number;
}

export function feValues(model: ClusterModel, index: number, tMs: number): FeValues {
  const fe = model.fes[index];
  if (!fe) throw new RangeError(`no FE ${index}`);
  const s = model.spec.seed;
  const startMs = model.events.feStartedAt(index, tMs, fe.initialStartMs);
  const leader = model.leaderAt(tMs) === index;
  const counters = feCounters(model, fe, startMs, tMs);
  const t = model.sec(tMs);
  const upSec = Math.max(0, (tMs - startMs) / 1000);

  // The rate gauges hold the last completed 15 s window: Δcounter / (window + 1), as the FE computes them.
  const windowEnd = Math.floor(tMs / 1000 / RATE_WINDOW_SEC) * RATE_WINDOW_SEC * 1000;
  const windowStart = windowEnd - RATE_WINDOW_SEC * 1000;
  const windowCounters = windowStart < startMs ? null : [feCounters(model, fe, startMs, windowStart), feCounters(model, fe, startMs, windowEnd)] as const;
  const rate = (pick: (c: FeCounters) => number): number => (windowCounters === null ? 0 : (pick(windowCounters[1]) - pick(windowCounters[0])) / (RATE_WINDOW_SEC + 1));

  const l75 = Math.round(model.latencyBaseMs * between(0.9, 1.1, s, 60, index) * (0.8 + 0.4 * wander(s, 61 + index, t, 120)));
  const p95 = Math.round(l75 * model.latencyShape.p95);
  const p99 = Math.max(Math.round(p95 * model.latencyShape.p99), Math.round(p95 * 1.3) + 1);
  const latency: FeLatency = {
    p75: l75,
    p95,
    p98: Math.round(p95 * 1.3),
    p99,
    p999: Math.round(p99 * model.latencyShape.p999),
    mean: l75 * 0.6,
  };
  const gauge = (low: number, high: number, key: number): number =>
    model.spec.latencyGauges ? Math.round(between(low, high, s, key) * (0.7 + 0.6 * wander(s, key, t, 45)) * 10) / 10 : 0;
  const latencyGauges = {
    mean: gauge(100, 800, 70),
    p50: gauge(30, 200, 71),
    p75: gauge(150, 600, 72),
    p90: gauge(400, 1200, 73),
    p95: gauge(600, 2000, 74),
    p99: gauge(1000, 10_000, 75),
    p999: gauge(5000, 30_000, 76),
  };

  // Heap use climbs from 25 % to 75 % of max and drops at each collection: a sawtooth.
  const phase = (upSec / fe.heapPeriodSec) % 1;
  const heapUsed = Math.round(fe.heapMaxBytes * (0.25 + 0.5 * phase));
  const nonHeapCommitted = Math.round(between(150, 400, s, 80, index) * 1024 ** 2);
  const threads = Math.round(300 + 1200 * wander(s, 81 + index, t, 600));
  const connectionTotal = Math.round(20 + 480 * wander(s, 90 + index, t, 300));
  let assigned = 0;
  const connectionsByUser = fe.users.map((u, i) => {
    const count = i === fe.users.length - 1 ? connectionTotal - assigned : Math.floor(connectionTotal * u.share);
    assigned += count;
    return { user: u.name, count };
  });

  const leaderJournal = model.journalBase + Math.floor(model.journalPerSec * t);
  const lag = leader ? 0 : intBetween(0, 200, s, 95, index, Math.floor(t / 10));

  return {
    fe,
    alive: model.events.feAlive(index, tMs),
    leader,
    startMs,
    counters,
    qps: rate((c) => c.queryTotal),
    rps: rate((c) => c.requestTotal),
    errRate: rate((c) => c.queryErr),
    latency,
    latencyGauges,
    heapUsed,
    heapCommitted: fe.heapMaxBytes,
    nonHeapCommitted,
    nonHeapUsed: Math.round(nonHeapCommitted * (0.85 + 0.1 * wander(s, 82 + index, t, 900))),
    directBufferCount: intBetween(10, 200, s, 83, index),
    directBufferBytes: Math.round(between(10, 300, s, 84, index) * 1024 ** 2),
    threads,
    threadPeak: 1500 + intBetween(0, 80, s, 85, index),
    connectionsByUser,
    computeGroupRates: model.computeGroups.map((_, g) => {
      const group = (c: FeCounters) => c.byComputeGroup[g]!;
      return { qps: rate((c) => group(c).queryTotal), rps: rate((c) => group(c).requestTotal), errRate: rate((c) => group(c).queryErr) };
    }),
    maxJournalId: Math.max(0, leaderJournal - lag),
    metaLogCount: (leaderJournal - lag) % 50_000,
  };
}

/** Counters of one FE: events since its last start, so a restart begins again at zero. */
function feCounters(model: ClusterModel, fe: FeAttributes, startMs: number, tMs: number): FeCounters {
  const from = model.sec(startMs);
  const to = Math.max(from, model.sec(tMs));
  const w = fe.weight;
  const queries = w * model.traffic.between(from, to);
  const errors = w * model.errors.between(from, to);
  const upSec = to - from;
  // Only the leader runs transactions and writes the journal: count over the spans it led since its start.
  let txns = 0;
  let ledSec = 0;
  let routineLoads = 0;
  for (const span of model.events.leadership(fe.index, startMs, tMs, 0)) {
    const [a, b] = [model.sec(span.fromMs), model.sec(span.toMs ?? tMs)];
    txns += model.transactions.between(a, b);
    routineLoads += model.loads.between(a, b);
    ledSec += b - a;
  }
  const journalWritten = Math.floor(model.journalPerSec * ledSec);
  const loads = w * model.loads.between(from, to);
  const youngGc = Math.floor(fe.youngGcPerSec * upSec);
  const oldGc = Math.floor(upSec / (6 * 3600));
  const outSegs = Math.floor(upSec * 2_000 * (0.5 + w));
  return {
    queryTotal: Math.floor(queries),
    requestTotal: Math.floor(queries * model.requestRatio),
    querySuccess: Math.floor(queries - errors),
    queryErr: Math.floor(errors),
    queryTimeout: Math.floor(errors * model.timeoutShare),
    slowQuery: Math.floor(queries * model.slowShare),
    txnBegin: Math.floor(txns),
    txnSuccess: Math.floor(txns * 0.97),
    txnFailed: Math.floor(txns * 0.02),
    txnReject: Math.floor(txns * 0.001),
    loadAdd: Math.floor(loads),
    journalWritten,
    journalReplayed: Math.max(0, Math.floor(model.journalPerSec * upSec) - journalWritten),
    routineLoadRows: Math.floor(routineLoads * 5_000 * model.routineLoadRunning),
    loadFinished: Math.floor(loads * 0.98),
    youngGcCount: youngGc,
    youngGcTimeMs: Math.floor(youngGc * fe.gcMsEach),
    oldGcCount: oldGc,
    oldGcTimeMs: oldGc * 850,
    tcpInSegs: Math.floor(outSegs * 1.1),
    tcpOutSegs: outSegs,
    tcpRetransSegs: Math.floor(outSegs * 0.0005),
    tcpInErrs: Math.floor(upSec / 3600),
    // Each a share of the FE's own counts: Doris counts a query in its user's and its compute group's series too.
    queryTotalByUser: fe.users.map((u) => Math.floor(queries * u.share)),
    queryErrByUser: fe.users.map((u) => Math.floor(errors * u.share)),
    byComputeGroup: model.computeGroups.map((g) => ({
      requestTotal: Math.floor(queries * model.requestRatio * g.share),
      queryTotal: Math.floor(queries * g.share),
      queryErr: Math.floor(errors * g.share),
    })),
  };
}

/** Running transactions per database (all but `information_schema`) at `tMs`: what the leader's transaction manager holds. */
export function runningTxnsByDb(model: ClusterModel, tMs: number): { readonly db: string; readonly running: number }[] {
  return model.databases.flatMap((db, d) => (db.name === 'information_schema' ? [] : [{ db: db.name, running: Math.round(10 * wander(model.spec.seed, 600 + d, model.sec(tMs), 60)) }]));
}
