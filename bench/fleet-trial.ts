/**
 * One trial of the fleet benchmark: a simulated fleet of N clusters × 3 FEs, Stellar collecting
 * it at its default settings and, when asked, Prometheus scraping the same FEs at the same
 * interval beside it. After a warm-up (the start-up collection of every cluster at once, then
 * one steady cycle) it measures a window of whole cycles: CPU and memory of each process from
 * /proc, Stellar's rows from its database, Prometheus's scrapes from its own /metrics, and the
 * connections the simulator accepted from each.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import Sqlite from 'better-sqlite3';
import { clusterOffsetMs } from '../src/collector/schedule.js';
import { median, percentile, slotFigures, type StoredRow } from './fleet-figures.js';
import { busyPercent, cpuMs, machineTimes, memory } from './fleet-proc.js';
import { type Child, PROBE_AGENT, type Prometheus, registerClusters, startPrometheus, startSimulator, startStellar } from './fleet-processes.js';

export interface TrialPlan {
  readonly clusters: number;
  readonly intervalSecs: number;
  readonly warmupCycles: number;
  readonly windowCycles: number;
  readonly prometheus: boolean;
}

export interface ProcessFigures {
  readonly cpuMs: number;
  /** Median resident memory over the window, MB. */
  readonly rssMb: number;
  /** The highest resident memory since start, MB. */
  readonly peakMb: number;
}

export interface TrialResult {
  readonly plan: TrialPlan;
  readonly windowMs: number;
  readonly stellar: ProcessFigures & {
    readonly clusterCycles: number;
    readonly cpuPerClusterCycleMs: number;
    readonly slots: number;
    readonly missed: number;
    readonly lagP50Ms: number | null;
    readonly lagP99Ms: number | null;
    readonly lagMaxMs: number | null;
    /** Mean time between a cluster's collections, s. */
    readonly everySecs: number | null;
    /** Rows whose collect_status is not ok (failed or partial). */
    readonly notOk: number;
    readonly newConnections: number;
    /** Log lines at warn or above during the window. */
    readonly warnings: number;
    /** p99 of `lag_ms` of the API's collection state, when the API has it. */
    readonly apiLagP99Ms: number | null;
  };
  readonly prometheus: (ProcessFigures & { readonly scrapes: number; readonly cpuPerScrapeMs: number; readonly newConnections: number; readonly targetsDown: number }) | null;
  readonly simulator: ProcessFigures & { readonly processes: number; readonly machinePercent: number };
  /** How busy the machine's cores were over the window, everything included, %. */
  readonly machineBusyPercent: number;
}

/** Stellar's lag criterion for "keeps its interval". */
export const LAG_LIMIT_MS = 2000;

const CORES = cpus().length;

export function keepsInterval(r: TrialResult): boolean {
  return r.stellar.slots > 0 && r.stellar.missed === 0 && r.stellar.notOk === 0 && (r.stellar.lagP99Ms ?? Infinity) < LAG_LIMIT_MS;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export async function runTrial(plan: TrialPlan, log: (line: string) => void): Promise<TrialResult> {
  const dir = mkdtempSync(join(tmpdir(), `stellar-fleet-${plan.clusters}-`));
  const intervalMs = plan.intervalSecs * 1000;
  const started: Stoppable[] = [];
  try {
    const sim = await startSimulator(plan.clusters, dir);
    started.push(sim);
    const stellar = await startStellar(dir, plan.intervalSecs);
    started.push(stellar);
    const ids = await registerClusters(stellar, sim.clusters);
    log(`  ${plan.clusters} clusters registered; warming up for ${plan.warmupCycles} cycle(s), then measuring ${plan.windowCycles}`);
    const warmup = sleep(plan.warmupCycles * intervalMs);
    let prometheus: Prometheus | null = null;
    if (plan.prometheus) {
      prometheus = await startPrometheus(dir, sim.clusters, plan.intervalSecs);
      started.push(prometheus);
      // Prometheus spreads its targets' first scrapes over an interval too: the window starts once all have begun.
      await prometheus.allTargetsUp(sim.clusters.reduce((n, c) => n + c.frontends.length, 0));
    }
    await warmup;

    const measured: Child[] = [stellar, ...sim.shards, ...(prometheus ? [prometheus] : [])];
    const cpuAt = (): Map<Child, number> => new Map(measured.map((c) => [c, cpuMs(c.pid)]));
    const connectionsAt = async (): Promise<{ prometheus: number; stellar: number }> => {
      const { accepted, byClient } = await sim.connections();
      const of = (match: (client: string) => boolean): number => Object.entries(byClient).filter(([c]) => match(c)).reduce((s, [, n]) => s + n, 0);
      const prom = of((c) => c.startsWith('Prometheus/'));
      // Everything else the FEs accepted is Stellar's, whatever User-Agent it sends.
      return { prometheus: prom, stellar: accepted - prom - of((c) => c === PROBE_AGENT) };
    };
    const t0 = Date.now();
    const machine0 = machineTimes();
    const cpu0 = cpuAt();
    const conn0 = await connectionsAt();
    const scrapes0 = (await prometheus?.scrapes()) ?? 0;
    const rss = new Map<Child, number[]>(measured.map((c) => [c, []]));
    const windowEnd = t0 + plan.windowCycles * intervalMs;
    while (Date.now() < windowEnd) {
      for (const c of measured) rss.get(c)?.push(memory(c.pid).rssMb);
      await sleep(Math.min(2000, Math.max(0, windowEnd - Date.now())));
    }
    const cpu1 = cpuAt();
    const machine1 = machineTimes();
    const t1 = Date.now();
    const conn1 = await connectionsAt();
    const scrapes1 = (await prometheus?.scrapes()) ?? 0;
    const targetsDown = (await prometheus?.targetsDown()) ?? 0;
    const apiLags = ((await stellar.api('GET', '/api/clusters')) as { collection: { lag_ms?: unknown } | null }[])
      .map((c) => c.collection?.lag_ms)
      .filter((v): v is number => typeof v === 'number');
    const figures = (c: Child): ProcessFigures => ({
      cpuMs: (cpu1.get(c) ?? 0) - (cpu0.get(c) ?? 0),
      rssMb: median(rss.get(c) ?? []) ?? NaN,
      peakMb: memory(c.pid).peakMb,
    });
    const stellarFigures = figures(stellar);
    const promFigures = prometheus ? figures(prometheus) : null;
    const simFigures = sim.shards.map(figures);
    await stopAll(started);

    const rows = readRows(join(stellar.dataDir, 'stellar.db'), t0, t1);
    const inWindow = rows.filter((r) => r.collectedAt >= t0 && r.collectedAt < t1);
    const slots = slotFigures(inWindow, [...ids.values()], intervalMs, (id) => clusterOffsetMs(id, intervalMs), t0, t1);
    const clusterCycles = inWindow.length;
    const windowMs = t1 - t0;
    const simCpu = simFigures.reduce((s, f) => s + f.cpuMs, 0);
    return {
      plan,
      windowMs,
      stellar: {
        ...stellarFigures,
        clusterCycles,
        cpuPerClusterCycleMs: clusterCycles > 0 ? stellarFigures.cpuMs / clusterCycles : NaN,
        slots: slots.slots,
        missed: slots.missed,
        lagP50Ms: percentile(slots.lagsMs, 50),
        lagP99Ms: percentile(slots.lagsMs, 99),
        lagMaxMs: percentile(slots.lagsMs, 100),
        everySecs: slots.meanGapMs === null ? null : slots.meanGapMs / 1000,
        notOk: rows.filter((r) => r.collectedAt >= t0 && r.collectedAt < t1 && r.status !== 'ok').length,
        newConnections: conn1.stellar - conn0.stellar,
        warnings: countWarnings(stellar.logFile, t0, t1),
        apiLagP99Ms: percentile(apiLags, 99),
      },
      prometheus:
        promFigures === null
          ? null
          : {
              ...promFigures,
              scrapes: scrapes1 - scrapes0,
              cpuPerScrapeMs: scrapes1 > scrapes0 ? promFigures.cpuMs / (scrapes1 - scrapes0) : NaN,
              newConnections: conn1.prometheus - conn0.prometheus,
              targetsDown,
            },
      simulator: {
        cpuMs: simCpu,
        rssMb: simFigures.reduce((s, f) => s + f.rssMb, 0),
        peakMb: simFigures.reduce((s, f) => s + f.peakMb, 0),
        processes: simFigures.length,
        machinePercent: (100 * simCpu) / windowMs / CORES,
      },
      machineBusyPercent: busyPercent(machine0, machine1),
    };
  } finally {
    await stopAll(started);
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Stops the processes last started first (Prometheus and Stellar before the FEs they read). */
interface Stoppable {
  stop(): Promise<void>;
}

async function stopAll(started: Stoppable[]): Promise<void> {
  for (let child = started.pop(); child !== undefined; child = started.pop()) await child.stop();
}

function readRows(file: string, fromMs: number, toMs: number): (StoredRow & { status: string | null })[] {
  const db = new Sqlite(file, { readonly: true });
  try {
    return (
      db
        .prepare('SELECT cluster_id, collected_at, collect_status FROM metrics_snapshots WHERE collected_at >= ? AND collected_at < ?')
        .all(fromMs, toMs) as { cluster_id: number; collected_at: number; collect_status: string | null }[]
    ).map((r) => ({ clusterId: r.cluster_id, collectedAt: r.collected_at, status: r.collect_status }));
  } finally {
    db.close();
  }
}

/** Stellar's JSON log lines at warn (40) or above, timed within the window. */
function countWarnings(logFile: string, fromMs: number, toMs: number): number {
  let count = 0;
  for (const line of readFileSync(logFile, 'utf8').split('\n')) {
    if (!line.startsWith('{')) continue;
    try {
      const entry = JSON.parse(line) as { level?: number; time?: number };
      if ((entry.level ?? 0) >= 40 && (entry.time ?? 0) >= fromMs && (entry.time ?? 0) < toMs) count += 1;
    } catch {
      // not a log line (the admin banner, a stack trace)
    }
  }
  return count;
}
