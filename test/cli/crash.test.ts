/**
 * `stellar start` killed outright (SIGKILL) 20 times while it collects, rolls days up and sweeps
 * rows past retention, and started again each time: the database stays whole (`PRAGMA
 * integrity_check`), no row committed before a kill is lost, nothing is written twice (a
 * snapshot, its 5-minute bucket's count, a daily row), and after a last clean run the daily
 * rows equal what the days' snapshots say, computed here from the rows the test wrote.
 *
 * Before each start the test writes two more old days of snapshots (one a minute per cluster,
 * as the collector writes them, with their tier buckets): past `retention_days`, so each start
 * has days to roll up, raw rows to delete and 5-minute buckets to delete once rolled up. The
 * kills take turns: as collection starts, as the first of the new days' daily rows appears (the
 * roll-up under way), as the last one does (the sweep begins), and seconds later among collections.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Sqlite from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { slotOf } from '../../bench/soak-plan.js';
import { clusterOffsetMs } from '../../src/collector/schedule.js';
import { dayOf, dayStart } from '../../src/shared/day.js';
import { startSimulatedFleet, type SimulatedFleet } from '../../src/simulator/fleet.js';
import { openStorage } from '../../src/storage/open-storage.js';
import { builtTreeSkipReason, ROOT } from '../helpers/built-tree.js';
import { dataDirWithClusters } from '../helpers/data-dir.js';
import { type StoredSnapshot, writeSnapshots } from '../helpers/write-snapshots.js';

const DAY_MS = 86_400_000;
const KILLS = 20;
const INTERVAL_SECS = 2;
const RETENTION_DAYS = 3;
const RETENTION_5M_DAYS = 5;
/**
 * When each kill comes, in turn: so many ms after "collecting metrics", or as soon as the test
 * sees the first daily row of the days written for this start (`mid-rollup`), or every old
 * day rolled up (`rolled-up`: the sweep of rows past retention comes next).
 */
const KILL_POINTS: readonly (number | 'mid-rollup' | 'rolled-up')[] = [0, 'mid-rollup', 'rolled-up', 700, 2500];

const running: ChildProcess[] = [];
let fleet: SimulatedFleet;
const dataDir = join(mkdtempSync(join(tmpdir(), 'stellar-crash-')), 'data');
const dbFile = join(dataDir, 'stellar.db');
const ids: number[] = [];

afterAll(async () => {
  for (const child of running.splice(0)) child.kill('SIGKILL');
  await fleet?.close();
});

beforeAll(async () => {
  fleet = await startSimulatedFleet({ clusters: 3, fes: 1, bes: 1 });
  ids.push(...(await dataDirWithClusters(dataDir, fleet.details())));
});

interface Service {
  readonly child: ChildProcess;
  output(): string;
  exit: Promise<number | null>;
}

/** `stellar start` on the test's data directory: the built package when dist/ is current, else the sources under tsx. */
function startService(): Service {
  const args = builtTreeSkipReason === null ? [join(ROOT, 'dist', 'cli', 'main.js'), 'start'] : ['--import', 'tsx', join(ROOT, 'src', 'cli', 'main.ts'), 'start'];
  const env = {
    ...process.env,
    APP_SERVER_PORT: '0',
    APP_SERVER_DATA_DIR: dataDir,
    APP_AUTH_ADMIN_PASSWORD: 'crash-test-pw',
    APP_LOG_FORMAT: 'json',
    APP_METRICS_INTERVAL_SECS: String(INTERVAL_SECS),
    APP_METRICS_RETENTION_DAYS: String(RETENTION_DAYS),
    APP_METRICS_RETENTION_5M_DAYS: String(RETENTION_5M_DAYS),
  };
  const child = spawn(process.execPath, args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  running.push(child);
  let text = '';
  child.stdout?.on('data', (chunk: Buffer) => (text += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (text += chunk.toString()));
  const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, output: () => text, exit };
}

async function waitFor(what: string, probe: () => boolean, service: Service): Promise<void> {
  const deadline = Date.now() + 120_000;
  while (!probe()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; output:\n${service.output()}`);
    if (service.child.exitCode !== null) throw new Error(`the service exited (${service.child.exitCode}) waiting for ${what}; output:\n${service.output()}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** What one cluster-day of written snapshots must roll up to. */
interface ExpectedDay {
  samples: number;
  reachable: number;
  cpu: number[];
  gc: number;
}
const expected = new Map<string, ExpectedDay>();

/** One snapshot a minute for each cluster on the day: every tenth one failed (no values), the others with a CPU share and a GC count. */
async function writeOldDay(day: string): Promise<void> {
  const start = dayStart(day, 'UTC');
  const rows: StoredSnapshot[] = [];
  for (const [c, id] of ids.entries()) {
    const sums: ExpectedDay = { samples: 0, reachable: 0, cpu: [], gc: 0 };
    for (let m = 0; m < 1440; m += 1) {
      const failed = m % 10 === 0;
      const cpu = ((m * 7 + c * 13) % 90) + 0.25;
      const gc = (m + c) % 5;
      rows.push(failed ? { cluster_id: id, collected_at: start + m * 60_000 + 7_000, collect_status: 'failed' } : { cluster_id: id, collected_at: start + m * 60_000 + 7_000, avg_cpu_usage: cpu, young_gc_count: gc });
      sums.samples += 1;
      if (!failed) {
        sums.reachable += 1;
        sums.cpu.push(cpu);
        sums.gc += gc;
      }
    }
    expected.set(`${id} ${day}`, sums);
  }
  const storage = openStorage({ url: 'stellar.db', dataDir });
  try {
    expect((await writeSnapshots(storage, rows)).every(Boolean)).toBe(true);
  } finally {
    await storage.close();
  }
}

type Key = string;
/** Rows the kill must not take: the collector's snapshots (inside raw retention) and every daily row. */
function committed(db: Sqlite.Database): { snapshots: Set<Key>; daily: Set<Key> } {
  const since = Date.now() - RETENTION_DAYS * DAY_MS + 3_600_000;
  const snapshots = db.prepare<[number], { cluster_id: number; collected_at: number }>('select cluster_id, collected_at from metrics_snapshots where collected_at >= ?').all(since);
  const daily = db.prepare<[], { cluster_id: number; snapshot_date: string }>('select cluster_id, snapshot_date from daily_snapshots').all();
  return { snapshots: new Set(snapshots.map((r) => `${r.cluster_id} ${r.collected_at}`)), daily: new Set(daily.map((r) => `${r.cluster_id} ${r.snapshot_date}`)) };
}

/** Where the start-up maintenance was when read: old days without their daily rows, rows past retention left, or done. */
function maintenancePhase(db: Sqlite.Database): 'rollup' | 'sweep' | 'collecting' {
  const rolled = new Set(db.prepare<[], { k: string }>("select cluster_id || ' ' || snapshot_date as k from daily_snapshots").all().map((r) => r.k));
  if (![...expected.keys()].every((k) => rolled.has(k))) return 'rollup';
  const stale = db.prepare<[number], { n: number }>('select count(*) as n from metrics_snapshots where collected_at < ?').get(Date.now() - RETENTION_DAYS * DAY_MS)?.n ?? 0;
  return stale > 0 ? 'sweep' : 'collecting';
}

function withDb<T>(read: (db: Sqlite.Database) => T): T {
  const db = new Sqlite(dbFile, { readonly: true });
  try {
    return read(db);
  } finally {
    db.close();
  }
}

/** Whether a cluster's daily row of one of these days is written. */
function someRolledUp(days: readonly string[]): boolean {
  const rolled = withDb((db) => db.prepare<[], { k: string }>("select cluster_id || ' ' || snapshot_date as k from daily_snapshots").all().map((r) => r.k));
  return days.some((day) => ids.some((id) => rolled.includes(`${id} ${day}`)));
}

function integrity(db: Sqlite.Database): string {
  return db.prepare<[], { integrity_check: string }>('pragma integrity_check').all().map((r) => r.integrity_check).join('; ');
}

/** Keys present more than once: snapshots per cluster and instant, and per collection slot; tier buckets; daily rows. */
function duplicates(db: Sqlite.Database): string[] {
  const found: string[] = [];
  const twice = (sql: string) => db.prepare<[], { k: string }>(sql).all().map((r) => r.k);
  found.push(...twice("select cluster_id || ' ' || collected_at as k from metrics_snapshots group by cluster_id, collected_at having count(*) > 1"));
  found.push(...twice("select 'daily ' || cluster_id || ' ' || snapshot_date as k from daily_snapshots group by cluster_id, snapshot_date having count(*) > 1"));
  found.push(...twice("select '5m ' || cluster_id || ' ' || bucket_start as k from metrics_5m group by cluster_id, bucket_start having count(*) > 1"));
  const intervalMs = INTERVAL_SECS * 1000;
  const since = Date.now() - RETENTION_DAYS * DAY_MS + 3_600_000;
  for (const id of ids) {
    const slots = new Set<number>();
    for (const { collected_at } of db.prepare<[number, number], { collected_at: number }>('select collected_at from metrics_snapshots where cluster_id = ? and collected_at >= ?').all(id, since)) {
      const slot = slotOf(collected_at, clusterOffsetMs(id, intervalMs), intervalMs);
      if (slots.has(slot)) found.push(`slot ${id} ${slot}`);
      slots.add(slot);
    }
  }
  return found;
}

/** 5-minute buckets of the collector's rows whose count differs from the raw rows in them (a snapshot added twice, or lost from the tier). */
function miscountedBuckets(db: Sqlite.Database): string[] {
  const since = Date.now() - RETENTION_DAYS * DAY_MS + 3_600_000;
  return db
    .prepare<[number], { k: string }>(
      `select b.cluster_id || ' ' || b.bucket_start || ': ' || b.samples || ' vs ' || count(s.id) as k
       from metrics_5m b left join metrics_snapshots s on s.cluster_id = b.cluster_id and s.collected_at >= b.bucket_start and s.collected_at < b.bucket_start + 300000
       where b.bucket_start >= ? group by b.cluster_id, b.bucket_start, b.samples having b.samples <> count(s.id)`,
    )
    .all(since)
    .map((r) => r.k);
}

describe('stellar start killed with SIGKILL during collection, roll-up and retention', () => {
  it('keeps the database whole, loses no committed row, writes nothing twice, and the roll-ups converge', async () => {
    const started = Date.now();
    const today = dayOf(Date.now(), 'UTC');
    const landed = { rollup: 0, sweep: 0, collecting: 0 };
    for (let kill = 0; kill < KILLS; kill += 1) {
      const newDays = [1, 2].map((k) => dayOf(dayStart(today, 'UTC') - (RETENTION_DAYS + k + 2 * kill) * DAY_MS, 'UTC'));
      for (const day of newDays) await writeOldDay(day);
      const service = startService();
      await waitFor('collection to start', () => service.output().includes('"msg":"collecting metrics"'), service);
      const point = KILL_POINTS[kill % KILL_POINTS.length] ?? 0;
      if (typeof point === 'number') await new Promise((r) => setTimeout(r, point));
      else if (point === 'mid-rollup') await waitFor('a daily row of the new days', () => someRolledUp(newDays), service);
      else await waitFor('every daily row', () => withDb(maintenancePhase) !== 'rollup', service);

      const { before, phase } = withDb((db) => ({ before: committed(db), phase: maintenancePhase(db) }));
      service.child.kill('SIGKILL');
      await service.exit;
      landed[phase] += 1;

      withDb((db) => {
        expect(integrity(db), `after kill ${kill + 1}`).toBe('ok');
        const after = committed(db);
        expect([...before.snapshots].filter((k) => !after.snapshots.has(k)), `snapshots lost by kill ${kill + 1}`).toEqual([]);
        expect([...before.daily].filter((k) => !after.daily.has(k)), `daily rows lost by kill ${kill + 1}`).toEqual([]);
        expect(duplicates(db), `after kill ${kill + 1}`).toEqual([]);
        expect(miscountedBuckets(db), `after kill ${kill + 1}`).toEqual([]);
      });
    }

    // A last run to the end of its start-up roll-up and sweep, stopped as an operator would.
    const service = startService();
    const converged = (db: Sqlite.Database): boolean => {
      const stale5m = db.prepare<[number], { n: number }>('select count(*) as n from metrics_5m where bucket_start < ?').get(Date.now() - RETENTION_5M_DAYS * DAY_MS)?.n ?? 0;
      return maintenancePhase(db) === 'collecting' && stale5m === 0;
    };
    await waitFor('collection to start', () => service.output().includes('"msg":"collecting metrics"'), service);
    await waitFor('every old day rolled up and the rows past retention deleted', () => withDb(converged), service);
    service.child.kill('SIGTERM');
    expect(await service.exit).toBe(0);

    withDb((db) => {
      expect(integrity(db)).toBe('ok');
      expect(duplicates(db)).toEqual([]);
      expect(miscountedBuckets(db)).toEqual([]);
      const daily = db
        .prepare<[], { cluster_id: number; snapshot_date: string; samples: number; reachable_samples: number; availability_pct: number; avg_avg_cpu_usage: number; min_avg_cpu_usage: number; max_avg_cpu_usage: number; total_young_gc_count: number }>(
          'select cluster_id, snapshot_date, samples, reachable_samples, availability_pct, avg_avg_cpu_usage, min_avg_cpu_usage, max_avg_cpu_usage, total_young_gc_count from daily_snapshots',
        )
        .all()
        .filter((r) => r.snapshot_date < today);
      expect(daily.map((r) => `${r.cluster_id} ${r.snapshot_date}`).sort()).toEqual([...expected.keys()].sort());
      for (const row of daily) {
        const want = expected.get(`${row.cluster_id} ${row.snapshot_date}`)!;
        const day = `${row.cluster_id} ${row.snapshot_date}`;
        expect({ day, samples: row.samples, reachable: row.reachable_samples, gc: row.total_young_gc_count, min: row.min_avg_cpu_usage, max: row.max_avg_cpu_usage }).toEqual({
          day,
          samples: want.samples,
          reachable: want.reachable,
          gc: want.gc,
          min: Math.min(...want.cpu),
          max: Math.max(...want.cpu),
        });
        expect(row.availability_pct).toBeCloseTo((100 * want.reachable) / want.samples, 9);
        expect(row.avg_avg_cpu_usage).toBeCloseTo(want.cpu.reduce((a, b) => a + b, 0) / want.cpu.length, 9);
      }
    });
    console.info(`crash test: ${KILLS} kills (${landed.rollup} before the old days were rolled up, ${landed.sweep} before the rows past retention were deleted, ${landed.collecting} after both, while collecting) in ${((Date.now() - started) / 1000).toFixed(0)} s`);
    // Twenty-one starts of the service, each to its first collections: generous on a busy 2-core machine.
  }, 600_000);
});
