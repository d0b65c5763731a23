/**
 * Rolling the 5-minute tier up into daily rows: one day on demand (`stellar aggregate`), the
 * back-fill of every finished day that has buckets and no daily row yet (days missed while
 * Stellar was down included), and when it runs next. Re-running a day replaces its row. A day
 * whose snapshots are not all in the tier yet (written before the tiers existed, and not yet
 * back-filled) waits.
 */
import type { Kysely } from 'kysely';
import { dayBounds, dayOf, dayStart, nextDay } from '../shared/day.js';
import type { Database } from '../storage/database.js';
import { deleteDailyRowsBefore, rolledUpDays, upsertDailyRow } from '../storage/repos/daily.repo.js';
import { firstBucketAtOrAfter, pendingTierBackfill, tierRowsBetween } from '../storage/repos/tiers.repo.js';
import { dailyCustomFiguresFromTier, dailyFromTier } from './daily-rollup.js';
import { nextTurn } from './job-runner.js';
import { type FieldCatalogue, SNAPSHOT_FIELDS } from '../shared/snapshot-fields.js';

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;

/**
 * A day is rolled up this long after it ends, not at once: a collection stamped just before
 * midnight is written when it ends, up to its deadline (about 10 minutes at the largest
 * connection_timeout) later.
 */
export const ROLLUP_SETTLE_MS = 15 * 60_000;

/** The tier a day is rolled up from: its buckets line up with the days of every zone whose offsets are whole 5 minutes. */
const DAY_TIER = 'metrics_5m';

/**
 * Rolls up one cluster's day from its 5-minute buckets; false when it has none (no row is
 * written). The buckets are read through `reader` (the storage's read threads in the service:
 * a day's 288 full-width buckets are tens of ms of SQLite that would hold the event loop).
 */
export async function rollUpDay(db: Kysely<Database>, clusterId: number, day: string, timeZone: string, nowMs: number, fields: FieldCatalogue = SNAPSHOT_FIELDS, reader: Kysely<Database> = db): Promise<boolean> {
  const { start, end } = dayBounds(day, timeZone);
  const rows = await tierRowsBetween(reader, DAY_TIER, clusterId, start, end);
  if (rows.length === 0) return false;
  await upsertDailyRow(db, clusterId, day, { ...dailyFromTier(rows, fields), custom_figures: dailyCustomFiguresFromTier(rows) }, nowMs);
  return true;
}

/**
 * A cluster's days before `beforeDay` that have a 5-minute bucket at or after `fromMs` and no
 * daily row, oldest first. One query finds the daily rows; then one query per such day finds
 * the next bucket, so days without data and runs of rolled-up days cost nothing.
 */
export async function* daysAwaitingRollup(db: Kysely<Database>, clusterId: number, timeZone: string, fromMs: number, beforeDay: string): AsyncGenerator<string> {
  let next = await firstBucketAtOrAfter(db, DAY_TIER, clusterId, fromMs);
  if (next === null || dayOf(next, timeZone) >= beforeDay) return;
  const rolled = new Set(await rolledUpDays(db, clusterId, dayOf(next, timeZone), beforeDay));
  while (next !== null) {
    let day = dayOf(next, timeZone);
    if (day >= beforeDay) return;
    if (rolled.has(day)) {
      while (rolled.has(day)) day = nextDay(day);
    } else {
      yield day;
      day = nextDay(day);
    }
    next = await firstBucketAtOrAfter(db, DAY_TIER, clusterId, dayStart(day, timeZone));
  }
}

/** The first day whose daily rows `days` of daily retention keeps. */
export function dailyHorizonDay(days: number, timeZone: string, nowMs: number): string {
  return dayOf(nowMs - days * DAY_MS, timeZone);
}

export interface BackfillOptions {
  /** Days before the daily retention are not rolled up: their rows would be deleted at once. */
  readonly dailyRetentionDays?: number;
  /** Stops between days when aborted (the service stopping). */
  readonly signal?: AbortSignal;
  /** Where the days awaiting and their buckets are read (`Storage.reader`); `db` when absent. */
  readonly reader?: Kysely<Database>;
}

/**
 * Rolls up every finished day (ended ROLLUP_SETTLE_MS ago) that has snapshots and no daily row,
 * per cluster, in the zone, a turn of the event loop between two; returns the days written.
 */
export async function backfillDailyRollups(db: Kysely<Database>, clusterIds: readonly number[], timeZone: string, nowMs: number, options: BackfillOptions = {}): Promise<number> {
  const firstOpenDay = dayOf(nowMs - ROLLUP_SETTLE_MS, timeZone);
  const fromMs = options.dailyRetentionDays === undefined ? Number.MIN_SAFE_INTEGER : dayStart(dailyHorizonDay(options.dailyRetentionDays, timeZone, nowMs), timeZone);
  const reader = options.reader ?? db;
  let written = 0;
  for (const id of clusterIds) {
    // Days still being added to the tiers from old snapshots wait: only days that end by then are whole.
    const backfill = await pendingTierBackfill(db, id);
    for await (const day of daysAwaitingRollup(reader, id, timeZone, fromMs, firstOpenDay)) {
      if (options.signal?.aborted) return written;
      if (backfill !== undefined && dayBounds(day, timeZone).end > backfill.done_until) break;
      if (await rollUpDay(db, id, day, timeZone, nowMs, SNAPSHOT_FIELDS, reader)) written += 1;
      await nextTurn();
    }
  }
  return written;
}

/** Deletes daily rows older than `days` days before today in the zone. */
export function applyDailyRetention(db: Kysely<Database>, days: number, timeZone: string, nowMs: number): Promise<number> {
  return deleteDailyRowsBefore(db, dailyHorizonDay(days, timeZone, nowMs));
}

/**
 * When the roll-up runs next after `nowMs`: in an hour, or when the current day has ended and
 * settled, whichever comes first.
 */
export function nextRollupAt(nowMs: number, timeZone: string): number {
  const today = dayOf(nowMs, timeZone);
  const settled = dayStart(today, timeZone) + ROLLUP_SETTLE_MS;
  const dayEndSettled = settled > nowMs ? settled : dayBounds(today, timeZone).end + ROLLUP_SETTLE_MS;
  return Math.min(nowMs + HOUR_MS, dayEndSettled);
}
