/**
 * What the tiers' custom figures cost the writes that keep them (`npm run bench --
 * tier-custom-figures [--clusters N]`), on a SQLite file (WAL, migrated by the project's own
 * code), N clusters (default 100) × 2 hours of 30 s snapshots, once with no custom values in
 * the rows (the common case) and once, on as many other clusters, with three in every row:
 * - the collector's tier upsert: each snapshot added to its 5-minute and hourly buckets in a
 *   transaction of its own, as the snapshot writer does (its raw row left out, so the upserts'
 *   share is not diluted), into empty tiers;
 * - the tier back-fill of those snapshots into empty tiers, a transaction per cluster, with and
 *   without the second read of the rows for their custom values (made while a custom metric is
 *   in effect); and the same onto the buckets a back-fill made (every row through ON CONFLICT);
 * - the daily roll-up of 50 clusters' day, their 5-minute buckets copied over the whole day.
 * Each against the same statements without custom figures, measured in the same run: the tier
 * SQL is the project's builder's with its `custom_figures` column and merge taken out (the
 * bench fails if they are not found), and the roll-up is `rollUpDay` without
 * `dailyCustomFiguresFromTier`. A case's starting state is made before it is timed; the figure
 * of a case is the median of three rounds, in the process's CPU time.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { sql } from 'kysely';
import { rollUpDay } from '../src/collector/daily-job.js';
import { dailyFromTier } from '../src/collector/daily-rollup.js';
import { customFiguresByBucket, customFiguresJson, snapshotCustomFigures } from '../src/shared/custom-figures.js';
import { dayBounds } from '../src/shared/day.js';
import { SNAPSHOT_FIELDS } from '../src/shared/snapshot-fields.js';
import { bucketStart, tierColumnsOf, TIERS } from '../src/shared/tier-fields.js';
import type { Storage } from '../src/storage/dialect/dialect.js';
import { customFiguresMergeSql, registerCustomFiguresMerge, tierBackfillSql, tierCustomFiguresSql, tierUpsertSql } from '../src/storage/dialect/sqlite/sqlite-tier-sql.js';
import { migrateToLatest } from '../src/storage/migrate.js';
import { openStorage } from '../src/storage/open-storage.js';
import { upsertDailyRow } from '../src/storage/repos/daily.repo.js';
import { tierRowsBetween } from '../src/storage/repos/tiers.repo.js';
import { WRITTEN_META_COLUMNS } from '../src/storage/snapshot-writer.js';
import { type Measurement, report } from './harness.js';

const INTERVAL_MS = 30_000;
const SPAN_MS = 2 * 3_600_000;
const STEPS = SPAN_MS / INTERVAL_MS;
const DAY = '2026-11-01';
const DAY_START = Date.UTC(2026, 10, 1);
const DAY_MS = 86_400_000;
const ROUNDS = 3;
/** Clusters whose day is rolled up: a day's roll-up reads 288 full-width buckets, tens of ms each. */
const ROLLUP_CLUSTERS = 50;

const VALUES = Object.fromEntries(SNAPSHOT_FIELDS.map((f, i) => [f.name, f.column === 'text' ? 'fe-1' : f.column === 'bigint' ? i * 1000 : i + 0.25]));
const names = SNAPSHOT_FIELDS.map((f) => f.name);
const tierColumns = tierColumnsOf(SNAPSHOT_FIELDS);
/** One snapshot's figures, as the snapshot writer binds them: the values are the same in every row. */
const FIGURES = tierColumns.map((c) => {
  const raw = VALUES[c.field];
  const value = typeof raw === 'number' ? raw : null;
  return c.aggregate === 'n' ? (value === null ? 0 : 1) : value;
});

const RAW_VALUES = names.map((n) => VALUES[n] ?? null);
/** A raw row's values, bound as the snapshot writer binds them. */
const rawRow = (id: number, at: number, customValues: string | null): unknown[] => [id, at, 'ok', 40, '[]', 1, null, customValues, ...RAW_VALUES];

/** A few custom metrics with a value in every row, moving from row to row. */
const customValuesOf = (step: number): string => JSON.stringify({ queue_depth: 12.5 + (step % 7), replication_lag_s: step % 13, tablet_errors: 1 });

/** `statement` with `found` replaced; fails when it is not there, so a baseline never silently keeps the clause. */
function cut(statement: string, found: string, by = ''): string {
  if (!statement.includes(found)) throw new Error(`bench: "${found.slice(0, 60)}…" not in the statement`);
  return statement.replace(found, by);
}
const CUSTOM_MERGE = `, custom_figures = ${customFiguresMergeSql('custom_figures', 'excluded.custom_figures')}`;
/** The merge as it was first written, in SQLite's JSON functions: what the merge in JavaScript is measured against. */
function jsonFunctionsMergeSql(stored: string, incoming: string): string {
  const parts = (json: string): string => `select key, json_extract(value, '$[0]') as s, json_extract(value, '$[1]') as n, json_extract(value, '$[2]') as m from json_each(${json})`;
  const merged = `(select json_group_object(key, json_array(s, n, m)) from (select key, total(s) as s, sum(n) as n, max(m) as m from (${parts(stored)} union all ${parts(incoming)}) group by key))`;
  return `case when ${incoming} is null then ${stored} when ${stored} is null then ${incoming} else ${merged} end`;
}
const upsertWithout = (table: (typeof TIERS)[number]['table']): string => cut(cut(cut(tierUpsertSql(table, tierColumns), CUSTOM_MERGE), ', "custom_figures") values', ') values'), ', ?) on conflict', ') on conflict');

/** A case: its name, what it times (returning how many units it did), and what makes its starting state (not timed). */
type Case = readonly [name: string, run: () => Promise<number> | number, prepare?: () => unknown];

interface Fleet {
  readonly plain: readonly number[];
  readonly custom: readonly number[];
}

/** The bench's statements on their own connection to the file, with the service's pragmas. */
function statements(sqlite: BetterSqlite3.Database) {
  const prepare = (text: string) => sqlite.prepare(text);
  const columns = [...WRITTEN_META_COLUMNS, ...names];
  return {
    // The snapshot writer's insert of the raw row.
    insertRaw: prepare(`insert into metrics_snapshots (${columns.map((c) => `"${c}"`).join(', ')}) values (${columns.map(() => '?').join(', ')}) on conflict do nothing`),
    upserts: TIERS.map((tier) => ({
      tier,
      with: prepare(tierUpsertSql(tier.table, tierColumns)),
      without: prepare(upsertWithout(tier.table)),
      // The figures stored as they come, not merged: what storing the text costs without the merge.
      unmerged: prepare(cut(tierUpsertSql(tier.table, tierColumns), CUSTOM_MERGE, ', custom_figures = excluded.custom_figures')),
      jsonFunctions: prepare(cut(tierUpsertSql(tier.table, tierColumns), CUSTOM_MERGE, `, custom_figures = ${jsonFunctionsMergeSql('custom_figures', 'excluded.custom_figures')}`)),
    })),
    backfills: TIERS.map((tier) => ({ with: prepare(tierBackfillSql(tier.table, tier.widthMs, tierColumns)), without: prepare(cut(tierBackfillSql(tier.table, tier.widthMs, tierColumns), CUSTOM_MERGE)) })),
    customValues: prepare('select collected_at, custom_values from metrics_snapshots where cluster_id = ? and collected_at >= ? and collected_at < ? and custom_values is not null'),
    customAdds: TIERS.map((tier) => ({ tier, add: prepare(tierCustomFiguresSql(tier.table)) })),
  };
}

/** The raw rows: every cluster's two hours, `custom` clusters with custom values in every row. */
function fillRaw(sqlite: BetterSqlite3.Database, s: ReturnType<typeof statements>, fleet: Fleet): void {
  sqlite.transaction(() => {
    for (let step = 0; step < STEPS; step += 1) {
      for (const id of [...fleet.plain, ...fleet.custom]) s.insertRaw.run(rawRow(id, DAY_START + step * INTERVAL_MS + id, fleet.custom.includes(id) ? customValuesOf(step) : null));
    }
  })();
}

/** The cases on these clusters' rows, and their back-fill as the service runs it (the tiers for the roll-up). */
function tierCases(sqlite: BetterSqlite3.Database, s: ReturnType<typeof statements>, clusters: readonly number[], customRows: boolean, label: string): { cases: Case[]; backfill: () => number } {
  const emptyTiers = (): void => {
    for (const tier of TIERS) sqlite.prepare(`delete from ${tier.table}`).run();
  };
  /** Every cluster at one instant, then the next, as the collector writes them; a transaction per snapshot (with its raw row when `raw`). */
  const upsertAll = (statement: 'with' | 'unmerged' | 'jsonFunctions' | 'without', raw = false): number => {
    const one = sqlite.transaction((id: number, at: number, custom: string | null) => {
      if (raw && s.insertRaw.run(rawRow(id, at, custom)).changes === 0) return;
      for (const u of s.upserts) {
        const bucket = bucketStart(u.tier, at);
        if (statement === 'without') u.without.run([id, bucket, 1, 1, ...FIGURES]);
        else u[statement].run([id, bucket, 1, 1, ...FIGURES, snapshotCustomFigures(custom)]);
      }
    });
    // With the raw row, the next day's: the back-fill's rows stay as they are.
    const from = raw ? DAY_START + DAY_MS : DAY_START;
    for (let step = 0; step < STEPS; step += 1) {
      const custom = customRows ? customValuesOf(step) : null;
      for (const id of clusters) one(id, from + step * INTERVAL_MS + id, custom);
    }
    return STEPS * clusters.length;
  };
  const emptyNextDay = (): void => {
    emptyTiers();
    sqlite.prepare('delete from metrics_snapshots where collected_at >= ?').run(DAY_START + DAY_MS);
  };
  /** The back-fill's slice (tier-backfill.ts) of each cluster, as the SQLite writer runs it. */
  const backfillAll = (withClause: boolean, customPass: boolean): number => {
    const slice = sqlite.transaction((id: number) => {
      for (const b of s.backfills) (withClause ? b.with : b.without).run([id, DAY_START, DAY_START + SPAN_MS]);
      if (!customPass) return;
      const rows = s.customValues.all([id, DAY_START, DAY_START + SPAN_MS]) as { collected_at: number; custom_values: string | null }[];
      for (const { tier, add } of s.customAdds) {
        for (const [bucket, figures] of customFiguresByBucket(rows, (at) => bucketStart(tier, at))) {
          const json = customFiguresJson(figures);
          if (json !== null) add.run([id, bucket, json]);
        }
      }
    });
    for (const id of clusters) slice(id);
    return STEPS * clusters.length;
  };
  // Onto the buckets a back-fill made (as the service's, with custom figures): every row of the statement goes through ON CONFLICT.
  const onto = (): void => {
    emptyTiers();
    backfillAll(true, true);
  };
  const cases: Case[] = [
    [`${label}: upsert, without`, () => upsertAll('without'), emptyTiers],
    ...(customRows
      ? ([
          [`${label}: upsert, stored unmerged`, () => upsertAll('unmerged'), emptyTiers],
          [`${label}: upsert, with (SQLite JSON merge)`, () => upsertAll('jsonFunctions'), emptyTiers],
        ] as const)
      : []),
    [`${label}: upsert, with`, () => upsertAll('with'), emptyTiers],
    [`${label}: write (raw row + tiers), without`, () => upsertAll('without', true), emptyNextDay],
    [`${label}: write (raw row + tiers), with`, () => upsertAll('with', true), emptyNextDay],
    [`${label}: back-fill, without`, () => backfillAll(false, false), emptyTiers],
    [`${label}: back-fill, with (no custom metric)`, () => backfillAll(true, false), emptyTiers],
    [`${label}: back-fill, with + custom pass`, () => backfillAll(true, true), emptyTiers],
    [`${label}: back-fill onto buckets, without`, () => backfillAll(false, false), onto],
    [`${label}: back-fill onto buckets, with`, () => backfillAll(true, false), onto],
    [`${label}: back-fill onto buckets, with + pass`, () => backfillAll(true, true), onto],
  ];
  return { cases, backfill: () => backfillAll(true, customRows) };
}

/** The 5-minute buckets of the two hours copied over the rest of the day: a roll-up reads 288 per cluster. */
async function spreadOverDay(storage: Storage): Promise<void> {
  const columns = (await sql<{ name: string }>`select name from pragma_table_info('metrics_5m')`.execute(storage.db)).rows.map((r) => r.name).filter((c) => c !== 'bucket_start');
  const list = columns.map((c) => `"${c}"`).join(', ');
  await sql
    .raw(
      `insert into metrics_5m (${list}, bucket_start) with recursive k(i) as (select 1 union all select i + 1 from k where i < ${DAY_MS / SPAN_MS - 1}) ` +
        `select ${list}, bucket_start + k.i * ${SPAN_MS} from metrics_5m cross join k`,
    )
    .execute(storage.db);
}

function rollupCases(storage: Storage, clusters: readonly number[], label: string): Case[] {
  const { start, end } = dayBounds(DAY, 'UTC');
  const clear = () => sql`delete from daily_snapshots`.execute(storage.db);
  const without = async (): Promise<number> => {
    for (const id of clusters) {
      const rows = await tierRowsBetween(storage.db, 'metrics_5m', id, start, end);
      await upsertDailyRow(storage.db, id, DAY, dailyFromTier(rows, SNAPSHOT_FIELDS), 0);
    }
    return clusters.length;
  };
  const withFigures = async (): Promise<number> => {
    for (const id of clusters) await rollUpDay(storage.db, id, DAY, 'UTC', 0, SNAPSHOT_FIELDS, storage.db);
    return clusters.length;
  };
  return [
    [`${label}: roll-up, without`, without, clear],
    [`${label}: roll-up, with`, withFigures, clear],
  ];
}

/**
 * Runs the cases `ROUNDS` times, every other round in reverse order; each case's median rate in
 * units per second of this process's CPU time: every statement runs synchronously in this
 * process (WAL with synchronous = NORMAL waits for no disk at commit), and on a machine shared
 * with other work the wall clock mostly measures the others.
 */
async function rounds(cases: readonly Case[]): Promise<Measurement[]> {
  const seconds = cases.map(() => [] as number[]);
  const units = cases.map(() => 0);
  for (let round = 0; round < ROUNDS; round += 1) {
    const order = [...cases.keys()];
    if (round % 2 === 1) order.reverse();
    for (const i of order) {
      const [, run, prepare] = cases[i]!;
      await prepare?.();
      const started = process.cpuUsage();
      units[i] = await run();
      const used = process.cpuUsage(started);
      seconds[i]!.push((used.user + used.system) / 1e6);
    }
  }
  return cases.map(([name], i) => {
    const sorted = [...seconds[i]!].sort((a, b) => a - b);
    return { name, opsPerSecond: units[i]! / sorted[Math.floor(sorted.length / 2)]! };
  });
}

export async function tierCustomFiguresBench(args: readonly string[]): Promise<string> {
  const at = args.indexOf('--clusters');
  const count = at >= 0 ? Number(args[at + 1]) : 100;
  const dir = mkdtempSync(join(tmpdir(), 'stellar-tier-custom-bench-'));
  const path = join(dir, 'stellar.db');
  const storage = openStorage({ url: `sqlite:${path}`, dataDir: dir });
  const sqlite = new BetterSqlite3(path);
  try {
    await migrateToLatest(storage);
    await sql`insert into clusters (name, fe_host, fe_http_port, fe_query_port, username, password_encrypted, connection_timeout, deployment_mode, engine, node_list_source, created_at, updated_at)
      with recursive n(i) as (select 1 union all select i + 1 from n where i < ${2 * count})
      select 'c' || i, 'h', 8030, 9030, 'root', '', 5, 'shared_nothing', 'starrocks', 'http', 0, 0 from n`.execute(storage.db);
    for (const pragma of ['journal_mode = WAL', 'synchronous = NORMAL', 'foreign_keys = ON', 'busy_timeout = 5000']) sqlite.pragma(pragma);
    registerCustomFiguresMerge(sqlite);
    const fleet: Fleet = { plain: Array.from({ length: count }, (_, i) => i + 1), custom: Array.from({ length: count }, (_, i) => count + i + 1) };
    const s = statements(sqlite);
    fillRaw(sqlite, s, fleet);
    const plainCases = tierCases(sqlite, s, fleet.plain, false, 'no custom');
    const customCases = tierCases(sqlite, s, fleet.custom, true, '3 custom');
    const tiers = await rounds([...plainCases.cases, ...customCases.cases]);
    // Every cluster's buckets as the service's back-fill leaves them, over the whole day.
    for (const tier of TIERS) sqlite.prepare(`delete from ${tier.table}`).run();
    plainCases.backfill();
    customCases.backfill();
    await spreadOverDay(storage);
    const rolled = Math.min(count, ROLLUP_CLUSTERS);
    const rollups = await rounds([...rollupCases(storage, fleet.plain.slice(0, rolled), 'no custom'), ...rollupCases(storage, fleet.custom.slice(0, rolled), '3 custom')]);
    const title = (what: string) => `${what} on a SQLite file, ${count} clusters × ${SPAN_MS / 3_600_000} h of ${INTERVAL_MS / 1000} s snapshots, per CPU second, median of ${ROUNDS} rounds`;
    const isUpsert = (m: Measurement) => m.name.includes(': upsert') || m.name.includes(': write');
    const upserts = tiers.filter(isUpsert);
    const backfills = tiers.filter((m) => !isUpsert(m));
    return [
      report(title('Tier upsert, and the whole snapshot write: snapshots per second'), upserts[0]!, upserts.slice(1)),
      report(title('Tier back-fill: snapshots per second'), backfills[0]!, backfills.slice(1)),
      report(`Daily roll-up: cluster-days per second, ${rolled} clusters' day (288 buckets each), per CPU second, median of ${ROUNDS} rounds`, rollups[0]!, rollups.slice(1)),
    ].join('\n\n');
  } finally {
    sqlite.close();
    await storage.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
