/**
 * Reads and roll-ups at fleet scale (`npm run bench -- reads [--quick] [--seconds S] [--no-backfill]`): a week
 * of 30 s snapshots for 1,000 clusters (100 with --quick), built once and cached
 * (reads-week.ts), served by the built service (`stellar start`, its own process) and loaded
 * with wrk over loopback sockets (reads-wrk.ts). Phases:
 * 1. alone: only the requests (collection off): GET /healthz (the HTTP floor), the overview of a
 *    random cluster over 1 h, 24 h, 7 d and 30 d, the fleet (every cluster, then a page of 200);
 * 2. while collecting: the same requests on a copy of the week while the service collects
 *    every cluster from the simulator (its own process) and, at 00:15 of its clock, rolls up
 *    the day before for every cluster;
 * 3. back-fill: a copy with the tiers emptied and every cluster pending in tier_backfill (as
 *    after an upgrade): how long until the service has added the week to the tiers, and how
 *    long /healthz took meanwhile;
 * then `stellar aggregate` of one day for every cluster, and the database's size.
 * The event loop's delay in the serving process (a monitorEventLoopDelay histogram per phase)
 * comes from bench/serving-probe.mjs, loaded with --import, as does its clock: set back so the
 * cached week ends when the service starts.
 */
import Database from 'better-sqlite3';
import { execFileSync } from 'node:child_process';
import { closeSync, cpSync, fsyncSync, mkdirSync, openSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Agent, request } from 'undici';
import { ensureBuild, startSimulator, startStellar, type Stellar } from './fleet-processes.js';
import { busyPercent, machineTimes } from './fleet-proc.js';
import { cachedWeek, type Week } from './reads-week.js';
import { ensureWrk, runWrk, type WrkResult, type WrkTarget } from './reads-wrk.js';

const ROOT = new URL('..', import.meta.url).pathname;
const MAIN = join(ROOT, 'dist', 'cli', 'main.js');
const PROBE = join(ROOT, 'bench', 'serving-probe.mjs');
const DAY_MS = 86_400_000;
/** The daily roll-up runs this long after midnight (daily-job.ts ROLLUP_SETTLE_MS). */
const ROLLUP_AFTER_MIDNIGHT_MS = 15 * 60_000;

/** What the issue measured before the tiers (p50 / p99 ms), on the same kind of machine. */
const BEFORE_TIERS: Record<string, readonly [number, number]> = { '1h': [5.4, 10.5], '24h': [51, 513], '7d': [354, 864], fleet: [962, 1440] };
const TARGET_P99_MS: Record<string, number> = { '1h': 20, '24h': 20, '7d': 20, '30d': 20, fleet: 50 };

interface LoopDelay {
  readonly count: number;
  readonly p50: number;
  readonly p99: number;
  readonly max: number;
  /** The longest pauses over 50 ms, with when they ended (ISO, real time) and how much of each was the garbage collector's. */
  readonly pauses: readonly { endedAt: string; ms: number; gcMs: number }[];
}

interface Served extends Stellar {
  /** The event loop's delay since the last call (the histogram starts again). */
  loopDelay(): Promise<LoopDelay>;
}

async function serve(dir: string, dataDir: string, week: Week, env: Record<string, string>, logName: string): Promise<Served> {
  const delayFile = join(dir, `${logName}.loop-delay.json`);
  const stellar = await startStellar(dir, 30, {
    dataDir,
    logName: `${logName}.log`,
    nodeArgs: ['--import', PROBE],
    env: { ...env, STELLAR_BENCH_LOOP_DELAY_FILE: delayFile, STELLAR_BENCH_CLOCK_OFFSET_MS: String(Date.now() - week.endMs) },
  });
  const loopDelay = async (): Promise<LoopDelay> => {
    rmSync(delayFile, { force: true });
    process.kill(stellar.pid, 'SIGUSR2');
    for (let i = 0; i < 100; i += 1) {
      await new Promise((r) => setTimeout(r, 20));
      try {
        return JSON.parse(readFileSync(delayFile, 'utf8')) as LoopDelay;
      } catch {
        // not written yet
      }
    }
    throw new Error('the serving process wrote no event-loop figures');
  };
  await loopDelay();
  return { ...stellar, loopDelay };
}

/**
 * A copy of the cached data folder for a phase that writes, flushed to disk before the service
 * opens it: else the first WAL checkpoint's fsync writes out the whole fresh copy, seconds in
 * which the service's event loop stands still for the benchmark's sake, not its own.
 */
function copyData(week: Week, to: string): void {
  cpSync(week.dataDir, to, { recursive: true });
  for (const name of readdirSync(to)) {
    const fd = openSync(join(to, name), 'r');
    fsyncSync(fd);
    closeSync(fd);
  }
}

interface Kind {
  readonly name: string;
  readonly target: WrkTarget;
}

function kinds(ids: readonly number[]): Kind[] {
  const overview = (range: string): Kind => ({ name: range, target: { path: `/api/clusters/{id}/overview?time_range=${range}`, ids } });
  return [
    { name: 'healthz', target: { path: '/healthz' } },
    overview('1h'),
    overview('24h'),
    overview('7d'),
    overview('30d'),
    { name: 'fleet', target: { path: '/api/fleet/overview' } },
    { name: 'fleet page', target: { path: '/api/fleet/overview?limit=200' } },
  ];
}

async function loadEach(stellar: Served, list: readonly Kind[], seconds: number, dir: string): Promise<Map<string, WrkResult>> {
  const out = new Map<string, WrkResult>();
  for (const kind of list) {
    // A second of the same requests first, not counted: the first answers of a fresh process
    // carry V8's compilation of the route and SQLite's of each statement (hundreds of ms), which
    // would be the p99 of a few hundred requests. The warm-up's slowest answer is printed apart.
    const warmUp = await runWrk(stellar.url, kind.target, stellar.authorization, 1, dir);
    const result = await runWrk(stellar.url, kind.target, stellar.authorization, seconds, dir);
    if (result.non2xx > 0) throw new Error(`${kind.name}: ${result.non2xx} answers were not 2xx`);
    // As it comes, so a run cut short still leaves its figures.
    console.log(`  ${kind.name}: p50 ${f(result.p50Ms)} ms, p99 ${f(result.p99Ms)} ms, ${result.requests} requests (after a 1 s warm-up whose slowest answer took ${f(warmUp.maxMs)} ms)`);
    out.set(kind.name, result);
  }
  return out;
}

function rollupLogged(logFile: string): { days: number; time: number } | undefined {
  for (const line of readFileSync(logFile, 'utf8').split('\n')) {
    if (!line.includes('rolled up daily rows')) continue;
    const entry = JSON.parse(line) as { days: number; time: number };
    return entry;
  }
  return undefined;
}

async function collectingPhase(week: Week, ids: readonly number[], seconds: number, dir: string) {
  const dataDir = join(dir, 'collecting-data');
  copyData(week, dataDir);
  const simulator = await startSimulator(week.clusters, dir);
  // The cached clusters point nowhere: point each at its simulated cluster, through the API of
  // a service that does not collect, so the measured one collects them from its first moment.
  const setup = await startStellar(dir, 30, { dataDir, env: { APP_METRICS_ENABLED: 'false' }, logName: 'setup.log' });
  try {
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < ids.length) {
        const k = next++;
        const sim = simulator.clusters[k];
        if (sim === undefined) continue;
        const { fe_host, fe_http_port, fe_query_port, username, password } = sim;
        await setup.api('PUT', `/api/clusters/${ids[k]}`, { fe_host, fe_http_port, fe_query_port, username, password });
      }
    };
    await Promise.all(Array.from({ length: 8 }, worker));
  } finally {
    await setup.stop();
  }
  const stellar = await serve(dir, dataDir, week, { APP_METRICS_ENABLED: 'true' }, 'collecting');
  try {
    const startup = await stellar.loopDelay();
    const results = await loadEach(stellar, kinds(ids), seconds, dir);
    // Keep loading (the fleet) until the service's own roll-up of the day before has run.
    const deadline = Date.now() + 180_000;
    while (rollupLogged(stellar.logFile) === undefined && Date.now() < deadline) await runWrk(stellar.url, { path: '/api/fleet/overview?limit=200' }, stellar.authorization, 5, dir);
    const delay = await stellar.loopDelay();
    const rollup = rollupLogged(stellar.logFile);
    console.log(`  event loop: ${JSON.stringify(delay)}; roll-up: ${JSON.stringify(rollup ?? null)}`);
    const db = new Database(join(dataDir, 'stellar.db'), { readonly: true });
    const snapshots = db.prepare('select count(*) from metrics_snapshots where collected_at >= ?').pluck().get(week.endMs) as number;
    db.close();
    return {
      results,
      startup,
      delay,
      collected: snapshots,
      rollup: rollup && { days: rollup.days, ms: rollup.time - (Math.floor(week.endMs / DAY_MS) * DAY_MS + ROLLUP_AFTER_MIDNIGHT_MS) },
      dataDir,
    };
  } finally {
    await stellar.stop();
    await simulator.stop();
  }
}

async function backfillPhase(week: Week, dir: string) {
  const dataDir = join(dir, 'backfill-data');
  copyData(week, dataDir);
  const dbFile = join(dataDir, 'stellar.db');
  const db = new Database(dbFile);
  // As after an upgrade to tiers: no tier rows, so no tier blocks either (packed after the back-fill).
  db.exec("delete from metrics_5m; delete from metrics_1h; delete from tier_backfill; delete from tier_blocks; delete from stellar_meta where key like 'tier_blocks_%';");
  db.exec('insert into tier_backfill (cluster_id, "before", done_until) select cluster_id, max(collected_at) + 1, min(collected_at) from metrics_snapshots group by cluster_id');
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
  execFileSync('sync');
  const started = performance.now();
  const stellar = await serve(dir, dataDir, week, { APP_METRICS_ENABLED: 'true' }, 'backfill');
  const reader = new Database(dbFile, { readonly: true });
  const pending = reader.prepare('select count(*) from tier_backfill').pluck();
  const agent = new Agent({ connections: 1 });
  const healthz: number[] = [];
  try {
    while ((pending.get() as number) > 0) {
      for (let i = 0; i < 10; i += 1) {
        const t = performance.now();
        const res = await request(`${stellar.url}/healthz`, { dispatcher: agent });
        await res.body.text();
        healthz.push(performance.now() - t);
        await new Promise((r) => setTimeout(r, 100));
      }
    }
    const ms = performance.now() - started;
    const delay = await stellar.loopDelay();
    healthz.sort((a, b) => a - b);
    return { ms, delay, healthzMaxMs: healthz.at(-1) ?? NaN, healthzP99Ms: healthz[Math.floor(healthz.length * 0.99)] ?? NaN, probes: healthz.length };
  } finally {
    reader.close();
    await agent.close();
    await stellar.stop();
  }
}

function databaseSize(week: Week) {
  const db = new Database(week.dbFile, { readonly: true });
  const bytes = (name: string): number => (db.prepare('select sum(pgsize) from dbstat where name = ?').pluck().get(name) as number | null) ?? 0;
  const raw = bytes('metrics_snapshots') + bytes('sqlite_autoindex_metrics_snapshots_1');
  const size = { fileGb: statSync(week.dbFile).size / 1e9, bytesPerRawRow: raw / week.rows, tier5mMb: bytes('metrics_5m') / 1e6, tier1hMb: bytes('metrics_1h') / 1e6, dailyMb: bytes('daily_snapshots') / 1e6, blocksPerRawRow: (bytes('trend_blocks') + bytes('sqlite_autoindex_trend_blocks_1')) / week.rows, tierBlocksMb: (bytes('tier_blocks') + bytes('sqlite_autoindex_tier_blocks_1')) / 1e6 };
  db.close();
  return size;
}

const f = (ms: number): string => (ms < 1 ? ms.toFixed(2) : ms < 10 ? ms.toFixed(1) : ms.toFixed(0));

export async function readsBench(args: readonly string[]): Promise<string> {
  const quick = args.includes('--quick');
  const clusters = quick ? 100 : 1000;
  const secondsArg = args.indexOf('--seconds');
  const seconds = secondsArg >= 0 ? Number(args[secondsArg + 1]) : quick ? 5 : 10;
  ensureBuild();
  const wrkVersion = ensureWrk();
  const week = await cachedWeek(clusters, console.log);
  const dir = join(tmpdir(), `stellar-reads-${process.pid}`);
  mkdirSync(dir, { recursive: true });
  const busyFrom = machineTimes();
  try {
    const reader = new Database(week.dbFile, { readonly: true });
    const ids = reader.prepare('select id from clusters order by id').pluck().all() as number[];
    reader.close();
    console.log('phase 1: the requests alone …');
    const alone = await serve(dir, week.dataDir, week, { APP_METRICS_ENABLED: 'false' }, 'alone');
    let aloneResults: Map<string, WrkResult>;
    let aloneDelay: LoopDelay;
    try {
      aloneResults = await loadEach(alone, kinds(ids), seconds, dir);
      aloneDelay = await alone.loopDelay();
      console.log(`  event loop: ${JSON.stringify(aloneDelay)}`);
    } finally {
      await alone.stop();
    }
    console.log('phase 2: while collecting from the simulator and rolling up a day …');
    const collecting = await collectingPhase(week, ids, seconds, dir);
    const day = new Date(week.endMs - DAY_MS).toISOString().slice(0, 10);
    console.log(`stellar aggregate of ${day} …`);
    const t = performance.now();
    execFileSync(process.execPath, [MAIN, 'aggregate', '--from', day], { cwd: dir, env: { ...process.env, APP_SERVER_DATA_DIR: collecting.dataDir }, stdio: 'ignore' });
    const aggregateMs = performance.now() - t;
    rmSync(collecting.dataDir, { recursive: true, force: true });
    const backfill = args.includes('--no-backfill') ? null : (console.log('phase 3: back-fill of the week into empty tiers …'), await backfillPhase(week, dir));
    const size = databaseSize(week);
    const busy = busyPercent(busyFrom, machineTimes());
    return report({ clusters, week, seconds, wrkVersion, alone: aloneResults, aloneDelay, collecting, aggregateMs, day, backfill, size, busy });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function report(r: {
  clusters: number;
  week: Week;
  seconds: number;
  wrkVersion: string;
  alone: Map<string, WrkResult>;
  aloneDelay: LoopDelay;
  collecting: Awaited<ReturnType<typeof collectingPhase>>;
  aggregateMs: number;
  day: string;
  backfill: Awaited<ReturnType<typeof backfillPhase>> | null;
  size: ReturnType<typeof databaseSize>;
  busy: number;
}): string {
  const floor = r.alone.get('healthz');
  const lines = [
    `Reads and roll-ups at fleet scale: ${r.clusters} clusters, a week at 30 s (${r.week.rows.toLocaleString('en')} raw rows${r.week.buildMs > 0 ? `, built in ${(r.week.buildMs / 1000).toFixed(0)} s` : ', from the cache'}; every closed hour gathered by cluster and packed into trend blocks, as the service leaves it${r.week.gatherMs > 0 ? `: ${(r.week.gatherMs / 1000).toFixed(0)} s for the week, the catch-up of an upgraded installation` : ''}; every closed day of the tiers packed into tier blocks${r.week.tierBlocksMs > 0 ? `: ${(r.week.tierBlocksMs / 1000).toFixed(0)} s` : ''})`,
    `${r.wrkVersion}, 1 connection, ${r.seconds} s per request kind; ${cpus().length} cores, ${r.busy.toFixed(0)} % busy over the run (every process on the machine)`,
    `baseline: GET /healthz over the same sockets (the HTTP floor), and the issue's figures from before the tiers`,
    '',
    `  ${'request'.padEnd(12)} ${'alone p50/p99'.padStart(15)} ${'collecting p50/p99'.padStart(19)} ${'target p99'.padStart(10)} ${'before tiers'.padStart(13)} ${'p99 ÷ before'.padStart(12)} ${'p99 ÷ floor'.padStart(11)}`,
  ];
  for (const [name, a] of r.alone) {
    const c = r.collecting.results.get(name);
    const before = BEFORE_TIERS[name];
    const target = TARGET_P99_MS[name];
    lines.push(
      `  ${name.padEnd(12)} ${`${f(a.p50Ms)} / ${f(a.p99Ms)} ms`.padStart(15)} ${(c ? `${f(c.p50Ms)} / ${f(c.p99Ms)} ms` : '').padStart(19)} ${(target ? `≤ ${target} ms` : '').padStart(10)} ${(before ? `${before[0]} / ${before[1]}` : '').padStart(13)} ${(before ? `${(a.p99Ms / before[1]).toFixed(3)} ×` : '').padStart(12)} ${(floor ? `${(a.p99Ms / floor.p99Ms).toFixed(1)} ×` : '').padStart(11)}`,
    );
  }
  const d = (x: LoopDelay): string => `p50 ${x.p50} ms, p99 ${x.p99} ms, max ${x.max} ms${x.pauses.length > 0 ? ` (pauses: ${x.pauses.map((p) => `${p.ms} ms ending ${p.endedAt.slice(11, 23)}, ${p.gcMs} ms of it GC`).join(', ')})` : ''}`;
  const { collecting: c, backfill: b, size: s } = r;
  lines.push(
    '',
    `event-loop delay in the serving process (beyond the 5 ms sampling interval; target: no pause over 50 ms):`,
    `  requests alone: ${d(r.aloneDelay)}`,
    `  start-up with collection on (readiness to load): ${d(c.startup)}`,
    `  collecting + requests + the day's roll-up: ${d(c.delay)}`,
    `while collecting: ${c.collected.toLocaleString('en')} snapshots collected; the service's own roll-up of the day before: ${c.rollup ? `${c.rollup.days} cluster-days in ${(c.rollup.ms / 1000).toFixed(1)} s` : 'did not run within 3 minutes'}`,
    `stellar aggregate --from ${r.day} (${r.clusters} cluster-days, its own process, start-up included): ${(r.aggregateMs / 1000).toFixed(1)} s`,
    b === null
      ? 'back-fill: not run (--no-backfill)'
      : `back-fill of the week into empty tiers (service start to done): ${(b.ms / 1000).toFixed(1)} s; /healthz meanwhile p99 ${f(b.healthzP99Ms)} ms, max ${f(b.healthzMaxMs)} ms (${b.probes} probes); event loop ${d(b.delay)}`,
    `database: ${s.fileGb.toFixed(2)} GB; ${s.bytesPerRawRow.toFixed(0)} B per raw row (table + its unique index; ~460 before the tiers); 5-minute tier ${s.tier5mMb.toFixed(0)} MB, hourly ${s.tier1hMb.toFixed(1)} MB, daily ${s.dailyMb.toFixed(1)} MB; trend blocks ${s.blocksPerRawRow.toFixed(0)} B per raw row; tier blocks ${s.tierBlocksMb.toFixed(1)} MB`,
  );
  return lines.join('\n');
}
