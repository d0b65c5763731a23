/**
 * Deletes snapshots past `metrics.retention_days`, but never those of a day the daily roll-up has
 * not read yet: per cluster, the rows before the first day (in the roll-up's zone) that has
 * snapshots and no daily row stay until the roll-up has written it. Days older than the daily
 * retention are not protected (their daily row would be deleted at once). Deletes go in batches
 * with a pause between them, so a large delete (after a retention change, or a long stop) never
 * blocks the collector's writes.
 */
import type { Kysely } from 'kysely';
import { dayOf, dayStart, nextDay } from '../shared/day.js';
import type { Database } from '../storage/database.js';
import { deleteClusterSnapshotRowsBefore } from '../storage/repos/snapshots.repo.js';
import { dailyHorizonDay, daysAwaitingRollup } from './daily-job.js';

export interface RetentionOptions {
  readonly retentionDays: number;
  /** The roll-up's zone and daily retention: which days are protected. */
  readonly timeZone: string;
  readonly dailyRetentionDays: number;
  readonly batchSize?: number;
  /** Pause between batches, letting writers in (10 ms by default), slept on the job's clock. */
  readonly pauseMs?: number;
  readonly sleep: (ms: number) => Promise<void>;
  /** Stops between batches when aborted. */
  readonly signal?: AbortSignal;
}

/** Deletes the clusters' snapshots past the retention that the roll-up has read; returns how many went. */
export async function applyRetention(db: Kysely<Database>, clusterIds: readonly number[], nowMs: number, options: RetentionOptions): Promise<number> {
  const { timeZone } = options;
  const cutoff = nowMs - options.retentionDays * 86_400_000;
  const horizon = dayStart(dailyHorizonDay(options.dailyRetentionDays, timeZone, nowMs), timeZone);
  const batch = options.batchSize ?? 5_000;
  let total = 0;
  for (const id of clusterIds) {
    let before = cutoff;
    for await (const day of daysAwaitingRollup(db, id, timeZone, horizon, nextDay(dayOf(cutoff, timeZone)))) {
      before = Math.min(cutoff, dayStart(day, timeZone));
      break;
    }
    for (;;) {
      if (options.signal?.aborted) return total;
      const deleted = await deleteClusterSnapshotRowsBefore(db, id, before, batch);
      total += deleted;
      if (deleted < batch) break;
      await options.sleep(options.pauseMs ?? 10);
    }
  }
  return total;
}
