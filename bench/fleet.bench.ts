/**
 * Stellar at fleet scale (`npm run bench -- fleet [--quick]`): does one instance keep its
 * 30 s interval over 100, 1,000 and the largest fleet it can, and what does a cluster-cycle cost
 * next to Prometheus scraping the same FEs' /metrics in the same run? Each fleet is a trial of
 * its own (fleet-trial.ts): the simulator, Stellar and Prometheus in processes of their own,
 * side by side, as the issue measured them (the baseline then shares the machine's moments with
 * Stellar, which matters on a shared machine more than the CPU Prometheus takes from it). The
 * largest fleet is searched for with Stellar alone beside the simulator (doubling, then
 * bisecting, within a time budget), then measured once more with Prometheus beside it.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { dirname, join } from 'node:path';
import { type ChartRow, fleetChartSvg, type SearchPoint } from './fleet-chart.js';
import { ensureBuild, ensurePrometheus } from './fleet-processes.js';
import { keepsInterval, LAG_LIMIT_MS, runTrial, type TrialPlan, type TrialResult } from './fleet-trial.js';

const ROOT = new URL('..', import.meta.url).pathname;

interface FleetBenchOptions {
  readonly quick: boolean;
  readonly sizes: readonly number[];
  readonly intervalSecs: number;
  readonly warmupCycles: number;
  readonly windowCycles: number;
  readonly search: boolean;
  readonly searchMax: number;
  readonly searchBudgetMin: number;
  readonly chart: string;
  readonly json: string | null;
}

function parseOptions(args: readonly string[]): FleetBenchOptions {
  const quick = args.includes('--quick');
  const value = (name: string): string | undefined => {
    const at = args.indexOf(`--${name}`);
    return at >= 0 ? args[at + 1] : undefined;
  };
  const int = (name: string, fallback: number): number => {
    const raw = value(name);
    if (raw === undefined) return fallback;
    if (!/^\d+$/.test(raw) || Number(raw) < 1) throw new Error(`--${name} ${raw}: give a whole number of at least 1`);
    return Number(raw);
  };
  const sizes = value('sizes')?.split(',').map((s) => {
    if (!/^\d+$/.test(s) || Number(s) < 1) throw new Error(`--sizes ${value('sizes')}: give clusters as whole numbers, e.g. 100,1000`);
    return Number(s);
  });
  return {
    quick,
    sizes: sizes ?? (quick ? [100, 300] : [100, 1000]),
    intervalSecs: int('interval', 30),
    warmupCycles: int('warmup', quick ? 1 : 2),
    windowCycles: int('cycles', quick ? 2 : 4),
    search: args.includes('--search') || (!quick && !args.includes('--no-search')),
    searchMax: int('search-max', 8000),
    searchBudgetMin: int('search-budget', 90),
    chart: value('chart') ?? join(ROOT, 'docs', 'fleet-bench.svg'),
    json: value('json') ?? null,
  };
}

const log = (line: string): void => console.error(line);

/** Doubling from 1,000 clusters until a fleet is not kept, then bisecting to within 10 %. */
async function searchLargest(o: FleetBenchOptions, plan: Omit<TrialPlan, 'clusters' | 'prometheus'>): Promise<{ largest: number; trials: TrialResult[] }> {
  const trials: TrialResult[] = [];
  const deadline = Date.now() + o.searchBudgetMin * 60_000;
  const trialMs = (plan.warmupCycles + plan.windowCycles) * plan.intervalSecs * 1000 + 60_000;
  const kept = async (clusters: number): Promise<boolean | null> => {
    if (Date.now() + trialMs > deadline) return null;
    log(`search: ${clusters} clusters, Stellar alone beside the simulator`);
    let result: TrialResult;
    try {
      result = await runTrial({ ...plan, clusters, prometheus: false }, log);
    } catch (error) {
      // The harness, not Stellar, gave out (e.g. the simulator's shards did not come up on this
      // machine): the search ends at the largest fleet measured, and the report says why.
      log(`  not measured: ${error instanceof Error ? error.message : String(error)}; the search stops at the largest fleet kept so far`);
      return null;
    }
    trials.push(result);
    log(`  ${keepsInterval(result) ? 'kept' : 'not kept'}: ${stellarLine(result)}`);
    return keepsInterval(result);
  };
  // Doubling: the first fleet not kept bounds the search from above.
  let low = 0;
  let high = Math.min(1000, o.searchMax);
  for (;;) {
    const ok = await kept(high);
    if (ok === null) return { largest: low, trials };
    if (!ok) break;
    low = high;
    if (high >= o.searchMax) return { largest: low, trials };
    high = Math.min(o.searchMax, high * 2);
  }
  while (high - low > Math.max(50, low * 0.1)) {
    const mid = Math.round((low + high) / 2 / 50) * 50;
    const ok = await kept(mid);
    if (ok === null) break;
    if (ok) low = mid;
    else high = mid;
  }
  return { largest: low, trials };
}

const ms = (v: number | null): string => (v === null || !Number.isFinite(v) ? '–' : v >= 1000 ? `${(v / 1000).toFixed(2)} s` : `${v.toFixed(0)} ms`);
const fixed = (v: number, digits: number): string => (Number.isFinite(v) ? v.toFixed(digits) : '–');

function stellarLine(r: TrialResult): string {
  const s = r.stellar;
  const perCycle = s.newConnections / r.plan.windowCycles;
  return [
    `missed ${s.missed}/${s.slots}`.padEnd(17),
    `lag p50 ${ms(s.lagP50Ms)}`.padEnd(16),
    `p99 ${ms(s.lagP99Ms)}`.padEnd(12),
    `every ${s.everySecs === null ? '–' : `${s.everySecs.toFixed(1)} s`}`.padEnd(13),
    `CPU ${fixed(s.cpuPerClusterCycleMs, 2)} ms/cluster-cycle`.padEnd(29),
    `RSS ${fixed(s.rssMb, 0)}/${fixed(s.peakMb, 0)} MB`.padEnd(16),
    `new conn/cycle ${fixed(perCycle, 0)} (${fixed(s.newConnections / s.clusterCycles, 2)}/cluster-cycle)`.padEnd(42),
    `not ok ${s.notOk}, warnings ${s.warnings}`,
    s.apiLagP99Ms === null ? '' : `, API lag_ms p99 ${ms(s.apiLagP99Ms)}`,
  ].join(' ');
}

function report(o: FleetBenchOptions, rows: readonly { label: string; result: TrialResult }[], search: { largest: number; trials: TrialResult[] } | null): string {
  const out: string[] = [
    `Stellar at fleet scale: N clusters × 3 FEs at ${o.intervalSecs} s, default settings, ${o.warmupCycles} warm-up + ${o.windowCycles} measured cycles per fleet;`,
    `Stellar and Prometheus side by side (baseline: Prometheus's CPU for the same 3 FEs' /metrics, measured in the same run)`,
    '',
    'Stellar (slots: one per cluster per interval; missed: no row within an interval of its slot; lag: collected_at − slot)',
  ];
  for (const { label, result } of rows) out.push(`  ${label.padEnd(22)} ${stellarLine(result)}`);
  out.push('', 'Prometheus, and Stellar as a ratio to it');
  for (const { label, result } of rows) {
    const p = result.prometheus;
    if (p === null) continue;
    const perCycle = p.newConnections / result.plan.windowCycles;
    const ratio = result.stellar.cpuPerClusterCycleMs / (3 * p.cpuPerScrapeMs);
    out.push(
      `  ${label.padEnd(22)} ${`CPU ${fixed(p.cpuPerScrapeMs, 3)} ms/scrape (×3 = ${fixed(3 * p.cpuPerScrapeMs, 2)} ms)`.padEnd(40)} ` +
        `${`Stellar ${fixed(ratio, 2)} × baseline`.padEnd(24)} ${`RSS ${fixed(p.rssMb, 0)}/${fixed(p.peakMb, 0)} MB`.padEnd(16)} ` +
        `new conn/cycle ${fixed(perCycle, 0)} (${fixed(p.newConnections / p.scrapes, 2)}/scrape), ${p.scrapes} scrapes, targets down ${p.targetsDown}`,
    );
  }
  out.push('', 'The simulator and the machine');
  const all = [...rows.map((r) => r.result), ...(search?.trials ?? [])];
  for (const r of all) {
    const s = r.simulator;
    out.push(
      `  ${`${r.plan.clusters} clusters${r.plan.prometheus ? '' : ' (search)'}`.padEnd(22)} simulator ${s.processes} process(es), ${fixed(s.machinePercent, 1)} % of the machine, ` +
        `RSS ${fixed(s.rssMb, 0)} MB; Stellar ${fixed((100 * r.stellar.cpuMs) / r.windowMs / cpus().length, 1)} %; ` +
        `${r.prometheus ? `Prometheus ${fixed((100 * r.prometheus.cpuMs) / r.windowMs / cpus().length, 1)} %; ` : ''}machine busy ${fixed(r.machineBusyPercent, 0)} % (everything)`,
    );
  }
  if (search) {
    out.push('', `Largest fleet kept at ${o.intervalSecs} s (no missed cycle, no failed collection, p99 lag < ${LAG_LIMIT_MS / 1000} s), Stellar alone beside the simulator:`);
    for (const r of search.trials) out.push(`  ${String(r.plan.clusters).padEnd(6)} ${keepsInterval(r) ? 'kept    ' : 'not kept'} ${stellarLine(r)}`);
    out.push(`  → ${search.largest > 0 ? `${search.largest} clusters` : 'none of the fleets tried'}`);
  }
  return out.join('\n');
}

export async function fleetBench(args: readonly string[] = []): Promise<string> {
  const o = parseOptions(args);
  ensureBuild();
  const prometheusVersion = ensurePrometheus();
  log(`fleet: ${prometheusVersion}; fleets ${o.sizes.join(', ')}${o.search ? ' and the largest (searched)' : ''}; ${o.quick ? 'quick' : 'full'} run`);
  const plan = { intervalSecs: o.intervalSecs, warmupCycles: o.warmupCycles, windowCycles: o.windowCycles };
  const rows: { label: string; result: TrialResult }[] = [];
  for (const clusters of o.sizes) {
    log(`fleet: ${clusters} clusters, Stellar and Prometheus side by side`);
    const result = await runTrial({ ...plan, clusters, prometheus: true }, log);
    log(`  ${stellarLine(result)}`);
    rows.push({ label: `${clusters} clusters`, result });
  }
  let search: { largest: number; trials: TrialResult[] } | null = null;
  if (o.search) {
    search = await searchLargest(o, plan);
    if (search.largest > 0) {
      log(`fleet: the largest, ${search.largest} clusters, with Prometheus beside it`);
      rows.push({ label: `largest, ${search.largest}`, result: await runTrial({ ...plan, clusters: search.largest, prometheus: true }, log) });
    }
  }
  const text = `${prometheusVersion}\n${report(o, rows, search)}`;
  const chartRows: ChartRow[] = rows.map(({ label, result: r }) => ({
    label,
    stellarCpuMs: r.stellar.cpuPerClusterCycleMs,
    prometheusCpuMs: r.prometheus ? 3 * r.prometheus.cpuPerScrapeMs : NaN,
    lagP50Ms: r.stellar.lagP50Ms ?? NaN,
    lagP99Ms: r.stellar.lagP99Ms ?? NaN,
    missed: r.stellar.missed,
    slots: r.stellar.slots,
  }));
  const points: SearchPoint[] = (search?.trials ?? []).map((r) => ({ clusters: r.plan.clusters, lagP99Ms: r.stellar.lagP99Ms ?? Infinity, kept: keepsInterval(r) }));
  const title = `npm run bench -- fleet${o.quick ? ' --quick' : ''} · ${new Date().toISOString().slice(0, 10)} · node ${process.version} · ${cpus().length} × ${cpus()[0]?.model ?? 'CPU'} · ${prometheusVersion.split(' (')[0]}`;
  mkdirSync(dirname(o.chart), { recursive: true });
  writeFileSync(o.chart, fleetChartSvg(title, chartRows, points));
  if (o.json !== null) writeFileSync(o.json, JSON.stringify({ options: o, prometheusVersion, rows, search }, null, 2) + '\n');
  return `${text}\n\nchart: ${o.chart}${o.json === null ? '' : `; figures: ${o.json}`}`;
}
