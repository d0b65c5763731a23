/**
 * The reads benchmark's data: a week of snapshots at 30 s for N clusters, built once and kept in
 * bench/.cache/ (git-ignored) under a key of the schema and this generator, so reruns start at
 * once. Built fast, not by waiting: the clusters and the admin through the real service (so the
 * passwords are sealed with the folder's own key), then the rows straight into SQLite with one
 * prepared insert, a transaction per half hour of the fleet, in time order as the collector
 * writes them (every cluster at one instant, then the next instant); then the tiers by the
 * back-fill's own SQL (what an upgraded installation runs), and the daily rows by the roll-up's
 * own code. The week ends 14 minutes after a UTC midnight, so a service whose clock starts there
 * rolls up the day before a minute later, while it is being measured.
 */
import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { backfillDailyRollups } from '../src/collector/daily-job.js';
import { gatherClosedHours } from '../src/collector/raw-gathering.js';
import { buildClosedHourBlocks } from '../src/collector/trend-blocks.js';
import { buildClosedDayTierBlocks } from '../src/collector/tier-blocks.js';
import { RAW_TREND_COLUMNS, TIER_TREND_COLUMNS } from '../src/api/overview/trend-series.js';
import { SNAPSHOT_FIELDS } from '../src/shared/snapshot-fields.js';
import { TIERS, tierColumnsOf } from '../src/shared/tier-fields.js';
import { registerCustomFiguresMerge, tierBackfillSql } from '../src/storage/dialect/sqlite/sqlite-tier-sql.js';
import { allMigrations } from '../src/storage/migrations/index.js';
import { migrateToLatest } from '../src/storage/migrate.js';
import { openStorage } from '../src/storage/open-storage.js';
import { SNAPSHOT_META_COLUMNS } from '../src/storage/snapshot-writer.js';
import { registerClusters, type SimClusterOut, startStellar } from './fleet-processes.js';

const ROOT = new URL('..', import.meta.url).pathname;
const GENERATOR_VERSION = 2;
export const STEP_MS = 30_000;
const DAY_MS = 86_400_000;
export const WEEK_MS = 7 * DAY_MS;
/** Where the week ends: this long after a UTC midnight (the roll-up runs 15 minutes after one). */
const END_AFTER_MIDNIGHT_MS = 14 * 60_000;

export interface Week {
  /** The cached data folder: the service's own (secret key, stellar.db). Never written by a phase: copy it first. */
  readonly dataDir: string;
  readonly dbFile: string;
  readonly clusters: number;
  readonly rows: number;
  /** The week is [endMs − 7 d, endMs). */
  readonly endMs: number;
  /** How long building it took; 0 when it came from the cache. */
  readonly buildMs: number;
  /** How long gathering the week's closed hours by cluster took, when it was done (its first use). */
  readonly gatherMs: number;
  /** How long packing the tiers' closed days into blocks took, when it was done (its first use since tier blocks). */
  readonly tierBlocksMs: number;
}

/** A placeholder FE: nothing listens on port 9 (discard), so a collection of it is refused at once. */
const placeholder = (i: number): SimClusterOut => ({
  name: `bench-${String(i + 1).padStart(4, '0')}`,
  fe_host: '127.0.0.1',
  fe_http_port: 9,
  fe_query_port: 9,
  username: 'root',
  password: 'bench',
  frontends: [],
});

export async function cachedWeek(clusters: number, log: (line: string) => void): Promise<Week> {
  const key = createHash('sha256')
    .update(JSON.stringify([GENERATOR_VERSION, SNAPSHOT_FIELDS.map((f) => [f.name, f.column])]))
    .digest('hex')
    .slice(0, 12);
  const dir = join(ROOT, 'bench', '.cache', `reads-${clusters}-${key}`);
  const dataDir = join(dir, 'stellar-data');
  const dbFile = join(dataDir, 'stellar.db');
  const metaFile = join(dir, 'week.json');
  if (existsSync(metaFile)) {
    const meta = JSON.parse(readFileSync(metaFile, 'utf8')) as WeekMeta;
    log(`week of ${clusters} clusters from the cache (${dir}, ${(statSync(dbFile).size / 1e9).toFixed(2)} GB)`);
    // Migrations written since the week was built are applied as an upgrade applies them (what the service's start runs); none pending is a no-op.
    const storage = openStorage({ url: 'stellar.db', dataDir });
    try {
      const applied = await migrateToLatest(storage);
      if (applied.length > 0) log(`  applied the migrations written since it was built: ${applied.join(', ')}`);
    } finally {
      await storage.close();
    }
    meta.migrations = Object.keys(allMigrations({} as never));
    if (meta.gatherMs === undefined) {
      meta.gatherMs = await gatherWeek(dataDir, meta.endMs, log);
      writeFileSync(`${metaFile}.tmp`, JSON.stringify(meta));
      renameSync(`${metaFile}.tmp`, metaFile);
    }
    if (meta.tierBlocksMs === undefined) {
      meta.tierBlocksMs = await packTierDays(dataDir, meta.endMs, log);
      writeFileSync(`${metaFile}.tmp`, JSON.stringify(meta));
      renameSync(`${metaFile}.tmp`, metaFile);
    }
    return { dataDir, dbFile, clusters, rows: meta.rows, endMs: meta.endMs, buildMs: 0, gatherMs: meta.gatherMs, tierBlocksMs: meta.tierBlocksMs };
  }
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const started = performance.now();
  const stellar = await startStellar(dir, 30, { dataDir, env: { APP_METRICS_ENABLED: 'false' }, logName: 'build.log' });
  try {
    await registerClusters(stellar, Array.from({ length: clusters }, (_, i) => placeholder(i)));
  } finally {
    await stellar.stop();
  }
  const now = Date.now();
  const endMs = Math.floor((now - END_AFTER_MIDNIGHT_MS) / DAY_MS) * DAY_MS + END_AFTER_MIDNIGHT_MS;
  const rows = writeRows(dbFile, endMs, log);
  log(`  tiers, by the back-fill's SQL …`);
  writeTiers(dbFile, endMs);
  log(`  daily rows, by the roll-up …`);
  const storage = openStorage({ url: 'stellar.db', dataDir });
  try {
    const db = new Database(dbFile, { readonly: true });
    const ids = clusterIds(db);
    db.close();
    await backfillDailyRollups(storage.db, ids, 'UTC', endMs);
  } finally {
    await storage.close();
  }
  const gatherMs = await gatherWeek(dataDir, endMs, log);
  const tierBlocksMs = await packTierDays(dataDir, endMs, log);
  const buildMs = performance.now() - started;
  const meta: WeekMeta = { endMs, rows, buildMs, gatherMs, tierBlocksMs, migrations: Object.keys(allMigrations({} as never)) };
  writeFileSync(`${metaFile}.tmp`, JSON.stringify(meta));
  renameSync(`${metaFile}.tmp`, metaFile);
  log(`  built in ${(buildMs / 1000).toFixed(0)} s: ${rows.toLocaleString('en')} rows, ${(statSync(dbFile).size / 1e9).toFixed(2)} GB`);
  return { dataDir, dbFile, clusters, rows, endMs, buildMs, gatherMs, tierBlocksMs };
}

interface WeekMeta {
  readonly endMs: number;
  readonly rows: number;
  readonly buildMs: number;
  /** How long the service's gathering of the week's closed hours took (absent: a week cached before gathering, gathered at its next use). */
  gatherMs?: number;
  /** The migrations the week's database has had (absent: a week cached before this was recorded; they are applied at its next use). */
  migrations?: string[];
  /** How long packing the tiers' closed days into blocks took (absent: a week cached before tier blocks, packed at its next use). */
  tierBlocksMs?: number;
}

/**
 * Every closed day of both tiers packed into tier blocks by the service's own code, as a
 * service running through the week would have left them (and as an upgraded one does in the
 * background at its first start: this is that catch-up's time). Then the WAL checkpointed.
 */
async function packTierDays(dataDir: string, endMs: number, log: (line: string) => void): Promise<number> {
  log('  packing each closed day of the tiers by cluster, by the service\'s code …');
  const started = performance.now();
  const storage = openStorage({ url: 'stellar.db', dataDir });
  try {
    const ids = (await storage.db.selectFrom('clusters').select('id').orderBy('id').execute()).map((r) => r.id);
    const built = await buildClosedDayTierBlocks({ db: storage.db, reader: storage.reader, columns: TIER_TREND_COLUMNS, clusterIds: () => Promise.resolve(ids), retentionDays: { '5m': 35, '1h': 400 } }, endMs);
    log(`  ${built.blocks.toLocaleString('en')} tier blocks of ${built.days} tier-days packed`);
  } finally {
    await storage.close();
  }
  const db = new Database(join(dataDir, 'stellar.db'));
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
  const ms = performance.now() - started;
  log(`  packed in ${(ms / 1000).toFixed(0)} s`);
  return ms;
}

/**
 * Every closed hour of the week gathered by cluster and packed into trend blocks, by the
 * service's own code, as a service running through the week would have left it (and as an
 * upgraded one does in the background at its first start: this is that catch-up's time). Then
 * the WAL checkpointed into the file.
 */
async function gatherWeek(dataDir: string, endMs: number, log: (line: string) => void): Promise<number> {
  log('  gathering each closed hour by cluster, by the service\'s code …');
  const started = performance.now();
  const storage = openStorage({ url: 'stellar.db', dataDir });
  try {
    const writer = storage.snapshotWriter(SNAPSHOT_FIELDS);
    if (writer.gatherRawRows === undefined) throw new Error('this storage does not gather raw rows');
    const ids = (await storage.db.selectFrom('clusters').select('id').orderBy('id').execute()).map((r) => r.id);
    await gatherClosedHours({ db: storage.db, gather: writer.gatherRawRows, clusterIds: () => Promise.resolve(ids), retentionDays: 8 }, endMs);
    const blocksStarted = performance.now();
    const built = await buildClosedHourBlocks({ db: storage.db, reader: storage.reader, fields: RAW_TREND_COLUMNS, clusterIds: () => Promise.resolve(ids), retentionDays: 8 }, endMs);
    log(`  ${built.blocks.toLocaleString('en')} trend blocks of ${built.hours} hours packed in ${((performance.now() - blocksStarted) / 1000).toFixed(0)} s`);
  } finally {
    await storage.close();
  }
  const gatherMs = performance.now() - started;
  const db = new Database(join(dataDir, 'stellar.db'));
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
  log(`  gathered in ${(gatherMs / 1000).toFixed(0)} s`);
  return gatherMs;
}

/** A seeded number in [0, 1) for (cluster, field): each cluster its own level of everything. */
function level(cluster: number, field: number): number {
  const x = Math.sin(cluster * 12.9898 + field * 78.233) * 43758.5453;
  return x - Math.floor(x);
}

function writeRows(dbFile: string, endMs: number, log: (line: string) => void): number {
  const db = new Database(dbFile);
  const ids = clusterIds(db);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  const columns = [...SNAPSHOT_META_COLUMNS, ...SNAPSHOT_FIELDS.map((f) => f.name)];
  const insert = db.prepare(`insert into metrics_snapshots (${columns.map((c) => `"${c}"`).join(', ')}) values (${columns.map(() => '?').join(', ')})`);
  const fields = SNAPSHOT_FIELDS.map((f, k) => ({ kind: f.kind, column: f.column, k }));
  const values: unknown[] = new Array(columns.length);
  const startMs = endMs - WEEK_MS;
  const steps = WEEK_MS / STEP_MS;
  const chunkSteps = 60;
  let rows = 0;
  const writeChunk = db.transaction((fromStep: number) => {
    for (let s = fromStep; s < Math.min(steps, fromStep + chunkSteps); s += 1) {
      const at = startMs + s * STEP_MS;
      // A day's swing and a little noise, so no bucket is trivially constant.
      const day = Math.sin((2 * Math.PI * (at % DAY_MS)) / DAY_MS);
      for (const c of ids) {
        const failed = (s + c) % 500 === 0;
        values[0] = c;
        values[1] = at;
        values[2] = failed ? 'failed' : 'ok';
        values[3] = 40 + Math.round(level(c, 999) * 200);
        values[4] = failed ? '[{"source":"fe_metrics","kind":"refused","message":"connect ECONNREFUSED"}]' : '[]';
        values[5] = failed ? 0 : 3;
        for (const f of fields) values[6 + f.k] = failed ? null : fieldValue(f.kind, f.column, level(c, f.k), day, s);
        insert.run(values);
        rows += 1;
      }
    }
  });
  let lastLog = performance.now();
  for (let s = 0; s < steps; s += chunkSteps) {
    writeChunk(s);
    if (performance.now() - lastLog > 10_000) {
      log(`  ${((100 * s) / steps).toFixed(0)} % of the rows`);
      lastLog = performance.now();
    }
  }
  db.close();
  return rows;
}

function fieldValue(kind: string, column: string, base: number, day: number, step: number): number | string {
  if (column === 'text') return `10.0.${Math.floor(base * 250)}.1:9010`;
  const noise = Math.sin(step * 0.7 + base * 100) * 0.05;
  const shape = 1 + 0.3 * day * (0.5 + base) + noise;
  switch (kind) {
    case 'total':
      return Math.round(1e6 * base + step * 30 * (10 + 500 * base));
    case 'delta':
      return Math.max(0, Math.round(30 * (10 + 500 * base) * shape));
    default: {
      const value = (column === 'bigint' ? 1 + 100 * base : 100 * base) * shape;
      return column === 'bigint' ? Math.max(0, Math.round(value)) : Math.max(0, value);
    }
  }
}

/** The tiers of every cluster's whole week, by the statements the back-fill of an upgrade runs. */
function writeTiers(dbFile: string, endMs: number): void {
  const db = new Database(dbFile);
  const tierColumns = tierColumnsOf(SNAPSHOT_FIELDS);
  registerCustomFiguresMerge(db);
  const statements = TIERS.map((tier) => db.prepare(tierBackfillSql(tier.table, tier.widthMs, tierColumns)));
  const ids = clusterIds(db);
  const all = db.transaction(() => {
    for (const id of ids) for (const statement of statements) statement.run([id, endMs - WEEK_MS, endMs]);
  });
  all();
  db.close();
}

function clusterIds(db: Database.Database): number[] {
  return db.prepare('select id from clusters order by id').pluck().all() as number[];
}
