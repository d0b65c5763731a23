/**
 * Trend blocks against what the overview read before them, in-process, on the reads
 * benchmark's cached week (`npm run bench -- trend-blocks [--clusters N]`, default 100; the
 * week is built once and kept, reads-week.ts): a random cluster per read, on a copy of the
 * week opened as the service opens it (reads through `Storage.reader`).
 * - a day at 720 points (2-minute buckets): the raw rows grouped by SQL (`groupedSnapshotFigures`,
 *   the baseline: how a raw window was read before) against `rawWindowGroups` (the blocks);
 * - a week at 720 points: the 5-minute tier grouped by SQL (`groupedTierFigures`, the baseline:
 *   what `chooseResolution` picked for a week before) against the blocks (14-minute buckets).
 * Then the blocks' bytes per raw row, against the raw rows' own.
 */
import Database from 'better-sqlite3';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { rawWindowGroups } from '../src/api/overview/raw-window-groups.js';
import { packedUntil } from '../src/collector/trend-blocks.js';
import { RAW_TREND_COLUMNS, TREND_FIELDS } from '../src/api/overview/trend-series.js';
import { SNAPSHOT_FIELDS } from '../src/shared/snapshot-fields.js';
import { tierColumnsOf } from '../src/shared/tier-fields.js';
import { openStorage } from '../src/storage/open-storage.js';
import { groupedSnapshotFigures } from '../src/storage/repos/snapshots.repo.js';
import { groupedTierFigures } from '../src/storage/repos/tiers.repo.js';
import { measure, report } from './harness.js';
import { cachedWeek } from './reads-week.js';

const DAY_MS = 86_400_000;
const TIER_MAX = new Set(tierColumnsOf(SNAPSHOT_FIELDS).filter((c) => c.aggregate === 'max').map((c) => c.field));

export async function trendBlocksBench(args: readonly string[]): Promise<string> {
  const at = args.indexOf('--clusters');
  const clusters = at >= 0 ? Number(args[at + 1]) : 100;
  const week = await cachedWeek(clusters, (line) => console.log(line));
  const dir = mkdtempSync(join(tmpdir(), 'stellar-blocks-bench-'));
  cpSync(week.dataDir, dir, { recursive: true });
  const storage = openStorage({ url: 'stellar.db', dataDir: dir });
  try {
    const reader = storage.reader;
    const end = week.endMs;
    const cluster = () => 1 + Math.floor(Math.random() * clusters);
    const opts = { warmupMs: 1000, runMs: 5000 };
    const packed = await packedUntil(reader, RAW_TREND_COLUMNS);
    const day = { from: end - DAY_MS, to: end, width: 120_000 };
    const dayBySql = await measure('a day, raw rows grouped by SQL', () => groupedSnapshotFigures(reader, cluster(), day.from, day.to, day.width, RAW_TREND_COLUMNS), opts);
    const dayByBlocks = await measure('a day, trend blocks', () => rawWindowGroups(reader, cluster(), day.from, day.to, day.width, RAW_TREND_COLUMNS, packed), opts);
    const wk = { from: end - 7 * DAY_MS, to: end };
    const weekByTier = await measure('a week, 5-minute tier grouped by SQL (15-minute points)', () => groupedTierFigures(reader, 'metrics_5m', cluster(), wk.from, wk.to, 900_000, TREND_FIELDS, (f) => TIER_MAX.has(f)), opts);
    const weekByBlocks = await measure('a week, trend blocks (14-minute points)', () => rawWindowGroups(reader, cluster(), wk.from, wk.to, 840_000, RAW_TREND_COLUMNS, packed), opts);
    const file = new Database(join(dir, 'stellar.db'), { readonly: true });
    const bytes = (name: string): number => (file.prepare('select sum(pgsize) from dbstat where name = ?').pluck().get(name) as number | null) ?? 0;
    const raw = (bytes('metrics_snapshots') + bytes('sqlite_autoindex_metrics_snapshots_1')) / week.rows;
    const blocks = (bytes('trend_blocks') + bytes('sqlite_autoindex_trend_blocks_1')) / week.rows;
    file.close();
    const ms = (m: { opsPerSecond: number }) => (1000 / m.opsPerSecond).toFixed(1);
    return [
      report(`Trend blocks: a day of one cluster of ${clusters} (${week.rows.toLocaleString('en')} raw rows in the week)`, dayBySql, [dayByBlocks]),
      `  ms per read: SQL ${ms(dayBySql)}, blocks ${ms(dayByBlocks)}`,
      report('Trend blocks: a week of one cluster', weekByTier, [weekByBlocks]),
      `  ms per read: tier ${ms(weekByTier)}, blocks ${ms(weekByBlocks)}`,
      `  bytes per raw row: the row and its key ${raw.toFixed(0)}, its share of the blocks ${blocks.toFixed(0)} (${((100 * blocks) / raw).toFixed(0)} %)`,
    ].join('\n');
  } finally {
    await storage.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
