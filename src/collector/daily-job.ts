/**
 * Rolling snapshots up into daily rows: one day on demand (`stellar aggregate`), and the
 * back-fill that the service runs at start-up and every hour — for each cluster, every whole
 * day since its last daily row (or its first snapshot) up to yesterday, so days missed while
 * Stellar was down are filled in. Re-running a day replaces its row.
 */
import type { Kysely } from 'kysely';
import { dayBounds, dayOf, nextDay } from '../shared/day.js';
import type { Database } from '../storage/database.js';
import { deleteDailyRowsBefore, latestDailyDate, oldestSnapshotAt, upsertDailyRow } from '../storage/repos/daily.repo.js';
import { snapshotRowsBetween } from '../storage/repos/snapshots.repo.js';
import { dailyRollup } from './daily-rollup.js';

/** Rolls up one cluster's day; false when the day has no snapshot (no row is written). */
export async function rollUpDay(db: Kysely<Database>, clusterId: number, day: string, timeZone: string, nowMs: number): Promise<boolean> {
  const { start, end } = dayBounds(day, timeZone);
  const rows = await snapshotRowsBetween(db, clusterId, start, end);
  if (rows.length === 0) return false;
  await upsertDailyRow(db, clusterId, day, dailyRollup(rows), nowMs);
  return true;
}

/** Every whole day not yet rolled up, per cluster, up to yesterday in the zone; returns the days written. */
export async function backfillDailyRollups(db: Kysely<Database>, clusterIds: readonly number[], timeZone: string, nowMs: number): Promise<number> {
  const today = dayOf(nowMs, timeZone);
  let written = 0;
  for (const id of clusterIds) {
    const last = await latestDailyDate(db, id);
    const oldest = await oldestSnapshotAt(db, id);
    if (oldest === null) continue;
    let day = last === null ? dayOf(oldest, timeZone) : nextDay(last);
    const first = dayOf(oldest, timeZone);
    if (day < first) day = first;
    for (; day < today; day = nextDay(day)) if (await rollUpDay(db, id, day, timeZone, nowMs)) written += 1;
  }
  return written;
}

/** Deletes daily rows older than `days` days before today in the zone. */
export function applyDailyRetention(db: Kysely<Database>, days: number, timeZone: string, nowMs: number): Promise<number> {
  return deleteDailyRowsBefore(db, dayOf(nowMs - days * 86_400_000, timeZone));
}
