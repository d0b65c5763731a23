/**
 * `npm run soak -- --minutes N --clusters N --faulty P`: the real service (`stellar start`, as a
 * process of its own) collects a simulated fleet on loopback at a short interval for N minutes
 * while faults switch on and off on P % of the clusters (bench/soak-plan.ts). It prints the
 * service's RSS over time, `/healthz` p99 (probed every 250 ms from here), rows expected versus
 * written per cluster per slot (read from the database), and the errors the service logged;
 * it exits 1 when a bound of SOAK_BOUNDS is passed, 2 on bad arguments. CI runs 2 minutes.
 *
 * It runs the built service (dist/) when it is current, else the sources under tsx.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import Sqlite from 'better-sqlite3';
import { clusterOffsetMs } from '../src/collector/schedule.js';
import { parseFaults } from '../src/simulator/faults.js';
import { startSimulatedFleet } from '../src/simulator/fleet.js';
import { memory } from './fleet-proc.js';
import { countSlots, faultSwitches, parseSoakArgs, percentile, planFaults, slopePerMinute, type SlotCount, SOAK_BOUNDS, SoakArgError, soakFailures, type SoakOptions } from './soak-plan.js';

const ROOT = new URL('..', import.meta.url).pathname;
const PASSWORD = 'stellar-soak';
const AUTHORIZATION = `Basic ${Buffer.from(`admin:${PASSWORD}`).toString('base64')}`;
/** The clusters' connection_timeout, seconds: a hung FE holds a collection this long. */
const CONNECTION_TIMEOUT_SECS = 1;
/** metrics.backoff_max_intervals: a failing cluster is retried within this many intervals. */
const BACKOFF_MAX_INTERVALS = 4;
const PROBE_EVERY_MS = 250;
/** A probe that has not answered by then counts as this long (and as a failure). */
const PROBE_TIMEOUT_MS = 5000;
const RSS_EVERY_MS = 2000;
const REPORT_EVERY_MS = 15_000;
/** RSS before this much of the measured run is warm-up (caches, JIT, SQLite's page cache) and not in the trend. */
const WARM_UP_MS = 30_000;

interface Service {
  readonly child: ChildProcess;
  readonly url: string;
  readonly log: string[];
  exited(): boolean;
}

async function startService(dataDir: string, intervalSecs: number): Promise<Service> {
  const built = spawnSync(process.execPath, [join(ROOT, 'scripts', 'ensure-build.mjs'), '--check'], { encoding: 'utf8' }).status === 0;
  const args = built ? [join(ROOT, 'dist', 'cli', 'main.js'), 'start'] : ['--import', import.meta.resolve('tsx'), join(ROOT, 'src', 'cli', 'main.ts'), 'start'];
  console.log(`service: ${built ? 'dist/ (built)' : 'src/ under tsx (dist/ is missing or stale)'}`);
  const env = {
    ...process.env,
    APP_SERVER_PORT: '0',
    APP_SERVER_DATA_DIR: dataDir,
    APP_AUTH_ADMIN_PASSWORD: PASSWORD,
    APP_LOG_FORMAT: 'json',
    APP_METRICS_INTERVAL_SECS: String(intervalSecs),
    APP_METRICS_BACKOFF_MAX_INTERVALS: String(BACKOFF_MAX_INTERVALS),
  };
  // Its own working directory: no conf/config.toml is read, defaults apply but for the above.
  const child = spawn(process.execPath, args, { cwd: dataDir, env, stdio: ['ignore', 'pipe', 'pipe'] });
  const log: string[] = [];
  let partial = '';
  const take = (chunk: Buffer): void => {
    const lines = (partial + chunk.toString()).split('\n');
    partial = lines.pop() ?? '';
    log.push(...lines);
  };
  child.stdout.on('data', take);
  child.stderr.on('data', take);
  let exited = false;
  child.on('exit', () => (exited = true));
  const deadline = Date.now() + 120_000;
  for (;;) {
    const url = log.map((line) => /is listening on (http:\/\/[^\s"]+)/.exec(line)?.[1]).find((u) => u !== undefined);
    if (url !== undefined) return { child, url, log, exited: () => exited };
    if (exited || Date.now() > deadline) throw new Error(`the service did not start:\n${log.slice(-20).join('\n')}`);
    await sleep(100);
  }
}

async function stopService(service: Service): Promise<void> {
  if (service.exited()) return;
  const exit = new Promise((resolve) => service.child.once('exit', resolve));
  service.child.kill('SIGTERM');
  const timer = setTimeout(() => service.child.kill('SIGKILL'), 30_000);
  await exit;
  clearTimeout(timer);
}

async function api(service: Service, method: string, path: string, body?: unknown): Promise<unknown> {
  const response = await fetch(`${service.url}${path}`, {
    method,
    headers: { authorization: AUTHORIZATION, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${path}: HTTP ${response.status} ${text.slice(0, 300)}`);
  return JSON.parse(text) as unknown;
}

/** Milliseconds /healthz took to answer, or PROBE_TIMEOUT_MS when it did not. */
async function probeHealthz(url: string): Promise<{ ms: number; ok: boolean }> {
  const started = performance.now();
  try {
    const response = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(PROBE_TIMEOUT_MS) });
    await response.arrayBuffer();
    return { ms: performance.now() - started, ok: response.ok };
  } catch {
    return { ms: PROBE_TIMEOUT_MS, ok: false };
  }
}

/** The service's log lines at warn and above, by message. */
function loggedProblems(log: readonly string[]): { errors: Map<string, number>; warnings: Map<string, number> } {
  const errors = new Map<string, number>();
  const warnings = new Map<string, number>();
  for (const line of log) {
    let entry: { level?: number; msg?: string };
    try {
      entry = JSON.parse(line) as { level?: number; msg?: string };
    } catch {
      continue;
    }
    const into = (entry.level ?? 0) >= 50 ? errors : (entry.level ?? 0) >= 40 ? warnings : null;
    const msg = entry.msg ?? '(no message)';
    into?.set(msg, (into.get(msg) ?? 0) + 1);
  }
  return { errors, warnings };
}

const clock = (ms: number): string => `${Math.floor(ms / 60_000)}:${String(Math.floor((ms % 60_000) / 1000)).padStart(2, '0')}`;

async function soak(options: SoakOptions): Promise<number> {
  const intervalMs = options.intervalSecs * 1000;
  const dir = mkdtempSync(join(tmpdir(), 'stellar-soak-'));
  console.log(`soak: ${options.minutes} min, ${options.clusters} clusters, ${options.faultyPercent} % faulty per round, interval ${options.intervalSecs} s, seed ${options.seed}; data in ${dir}`);
  const fleet = await startSimulatedFleet({ clusters: options.clusters, fes: 3, bes: 3, seed: options.seed });
  const service = await startService(dir, options.intervalSecs);
  const pid = service.child.pid ?? 0;
  const timers: NodeJS.Timeout[] = [];
  try {
    const ids: number[] = [];
    for (const d of fleet.details()) {
      const body = { name: d.name, fe_host: d.fe_host, fe_http_port: d.fe_http_port, fe_query_port: d.fe_query_port, username: d.username, password: d.password, connection_timeout: CONNECTION_TIMEOUT_SECS };
      ids.push(((await api(service, 'POST', '/api/clusters', body)) as { id: number }).id);
    }
    // A cluster is collected at once when it is added, off its slot: measure from two intervals on.
    const startMs = Date.now() + 2 * intervalMs;
    const endMs = startMs + options.minutes * 60_000;
    const roundMs = Math.max(20_000, 10 * intervalMs);
    const plan = planFaults({ clusters: options.clusters, faultyPercent: options.faultyPercent, seed: options.seed, startMs, endMs, roundMs });
    for (const s of faultSwitches(plan)) {
      const apply = (): void => {
        fleet.clusters[s.cluster]?.setFaults(parseFaults([...s.faults])).catch((error: unknown) => console.error(`soak: could not set faults [${s.faults.join(', ')}] on cluster ${s.cluster + 1}: ${String(error)}`));
      };
      timers.push(setTimeout(apply, s.atMs - Date.now()));
    }

    const probes: { atMs: number; ms: number; ok: boolean }[] = [];
    const rss: { atMs: number; value: number }[] = [];
    let nextProbe = Date.now();
    let nextRss = Date.now();
    let nextReport = startMs + REPORT_EVERY_MS;
    console.log('\n  time   RSS MB   /healthz p99 (last 15 s)   faults on');
    while (Date.now() < endMs) {
      if (service.exited()) throw new Error(`the service exited during the soak:\n${service.log.slice(-20).join('\n')}`);
      const now = Date.now();
      if (now >= nextRss) {
        rss.push({ atMs: now, value: memory(pid).rssMb });
        nextRss += RSS_EVERY_MS;
      }
      if (now >= nextReport) {
        const recent = probes.filter((p) => p.atMs >= nextReport - REPORT_EVERY_MS).map((p) => p.ms);
        const on = plan.filter((w) => w.fromMs <= now && w.toMs > now).length;
        console.log(`  ${clock(now - startMs).padStart(5)}  ${(rss.at(-1)?.value ?? NaN).toFixed(0).padStart(6)}   ${percentile(recent, 99).toFixed(0).padStart(10)} ms   ${String(on).padStart(13)}`);
        nextReport += REPORT_EVERY_MS;
      }
      if (now >= nextProbe) {
        // One probe at a time: a service that does not answer is measured, not flooded.
        probes.push({ atMs: now, ...(await probeHealthz(service.url)) });
        nextProbe = Math.max(nextProbe + PROBE_EVERY_MS, Date.now());
      }
      await sleep(Math.max(1, Math.min(nextProbe, nextRss) - Date.now()));
    }
    // The last slots' collections finish (a hung FE holds one up to the connection timeout) and are written.
    await sleep(intervalMs + CONNECTION_TIMEOUT_SECS * 1000 + 2000);
    await stopService(service);

    const db = new Sqlite(join(dir, 'stellar.db'), { readonly: true });
    const select = db.prepare<[number, number, number], { collected_at: number }>('select collected_at from metrics_snapshots where cluster_id = ? and collected_at >= ? and collected_at < ?');
    const slots: SlotCount[] = ids.map((id, i) =>
      countSlots({
        offsetMs: clusterOffsetMs(id, intervalMs),
        intervalMs,
        fromMs: startMs,
        toMs: endMs,
        graceMs: (BACKOFF_MAX_INTERVALS + 1) * intervalMs + CONNECTION_TIMEOUT_SECS * 1000,
        faults: plan.filter((w) => w.cluster === i),
        collectedAt: select.all(id, startMs, endMs).map((r) => Number(r.collected_at)),
      }),
    );
    db.close();
    const total = slots.reduce((a, s) => ({
      healthySlots: a.healthySlots + s.healthySlots,
      healthyWritten: a.healthyWritten + s.healthyWritten,
      faultySlots: a.faultySlots + s.faultySlots,
      faultyWritten: a.faultyWritten + s.faultyWritten,
      duplicates: a.duplicates + s.duplicates,
    }));
    const measured = rss.filter((s) => s.atMs >= startMs + Math.min(WARM_UP_MS, (endMs - startMs) / 4));
    const spanMs = (measured.at(-1)?.atMs ?? 0) - (measured[0]?.atMs ?? 0);
    const rssGrowthMb = (slopePerMinute(measured) * spanMs) / 60_000;
    const inRun = probes.filter((p) => p.atMs >= startMs);
    const healthzP99Ms = percentile(inRun.map((p) => p.ms), 99);
    const { errors, warnings } = loggedProblems(service.log);

    console.log(`\nRSS: ${rss[0]?.value.toFixed(0)} MB at start, ${measured[0]?.value.toFixed(0)} MB after warm-up, ${rss.at(-1)?.value.toFixed(0)} MB at the end, peak ${Math.max(...rss.map((s) => s.value)).toFixed(0)} MB; fitted trend ${rssGrowthMb >= 0 ? '+' : ''}${rssGrowthMb.toFixed(1)} MB over ${clock(spanMs)}`);
    console.log(`/healthz: ${inRun.length} probes, p50 ${percentile(inRun.map((p) => p.ms), 50).toFixed(1)} ms, p99 ${healthzP99Ms.toFixed(1)} ms, max ${Math.max(...inRun.map((p) => p.ms)).toFixed(1)} ms, ${inRun.filter((p) => !p.ok).length} failed`);
    console.log(`rows: healthy slots ${total.healthySlots}, written ${total.healthyWritten} (missing ${total.healthySlots - total.healthyWritten}); faulty slots ${total.faultySlots}, written ${total.faultyWritten}; duplicates ${total.duplicates}`);
    console.log(`fault windows: ${plan.length} (${new Set(plan.map((w) => w.fault)).size} kinds) on ${new Set(plan.map((w) => w.cluster)).size} clusters`);
    const top = (m: Map<string, number>): string => [...m].sort((a, b) => b[1] - a[1]).slice(0, 5).map(([msg, n]) => `\n  ${n} × ${msg}`).join('');
    console.log(`logged: ${[...errors.values()].reduce((a, b) => a + b, 0)} errors${top(errors)}`);
    console.log(`logged: ${[...warnings.values()].reduce((a, b) => a + b, 0)} warnings${top(warnings)}`);

    const failures = soakFailures({ slots: total, rssGrowthMb, healthzP99Ms });
    if (failures.length > 0) {
      console.log(`\nFAILED (bounds: bench/soak-plan.ts SOAK_BOUNDS; data kept in ${dir}):\n${failures.map((f) => `  ${f}`).join('\n')}`);
      return 1;
    }
    console.log(`\npassed: missing ≤ ${100 * SOAK_BOUNDS.missingShare} %, no duplicate, RSS trend ≤ ${SOAK_BOUNDS.rssGrowthMb} MB, /healthz p99 ≤ ${SOAK_BOUNDS.healthzP99Ms} ms`);
    rmSync(dir, { recursive: true, force: true });
    return 0;
  } finally {
    for (const t of timers) clearTimeout(t);
    await stopService(service);
    await fleet.close();
  }
}

let options: SoakOptions;
try {
  options = parseSoakArgs(process.argv.slice(2));
} catch (error) {
  if (!(error instanceof SoakArgError)) throw error;
  console.error(`soak: ${error.message}`);
  process.exit(2);
}
process.exitCode = await soak(options);
