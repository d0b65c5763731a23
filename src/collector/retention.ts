/**
 * Deletes what is past its retention, cluster by cluster, in batches with a pause between them
 * (so a large delete, after a retention change or a long stop, never holds the database for
 * long), and never anything another table still has to be built from:
 * - raw snapshots past `retention_days`, but not those written before the tiers existed that
 *   the back-fill has not added to them yet;
 * - 5-minute buckets past `retention_5m_days`, but not those of a day the daily roll-up has not
 *   read yet (days older than the daily retention excepted: their daily row would go at once);
 * - hourly buckets past `retention_1h_days`;
 * - trend blocks of hours wholly past `retention_days` (they hold raw rows' fields);
 * - tier blocks of days wholly before their tier's cutoff (the same as its buckets'): the day
 *   straddling it keeps its block, as it keeps its later buckets.
 */
import type { Kysely } from 'kysely';
import { dayOf, dayStart, nextDay } from '../shared/day.js';
import type { TierTable } from '../shared/tier-fields.js';
import type { Database } from '../storage/database.js';
import { deleteClusterSnapshotRowsBefore } from '../storage/repos/snapshots.repo.js';
import { deleteClusterTierBlocksBefore } from '../storage/repos/tier-blocks.repo.js';
import { deleteClusterTierRowsBefore, pendingTierBackfill } from '../storage/repos/tiers.repo.js';
import { deleteClusterTrendBlocksBefore } from '../storage/repos/trend-blocks.repo.js';
import { dailyHorizonDay, daysAwaitingRollup } from './daily-job.js';
import { nextTurn } from './job-runner.js';

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;

export interface RetentionOptions {
  /** Raw snapshots. */
  readonly retentionDays: number;
  readonly retention5mDays: number;
  readonly retention1hDays: number;
  /** The roll-up's zone and daily retention: which days are held back. */
  readonly timeZone: string;
  readonly dailyRetentionDays: number;
  readonly batchSize?: number;
  /** Pause between batches, letting writers in (10 ms by default), slept on the job's clock. */
  readonly pauseMs?: number;
  readonly sleep: (ms: number) => Promise<void>;
  /** How long the sweep may go on between two turns of the event loop (10 ms by default; real time, not the job's clock). */
  readonly turnEveryMs?: number;
  /** Stops between batches when aborted. */
  readonly signal?: AbortSignal;
}

export interface RetentionResult {
  readonly snapshots: number;
  readonly buckets5m: number;
  readonly buckets1h: number;
  /** Trend blocks. */
  readonly blocks: number;
  /** Tier blocks, of both tiers. */
  readonly tierBlocks: number;
}

/** Deletes the clusters' rows past their retention that nothing still has to be built from. */
export async function applyRetention(db: Kysely<Database>, clusterIds: readonly number[], nowMs: number, options: RetentionOptions): Promise<RetentionResult> {
  const { timeZone } = options;
  const rawCutoff = nowMs - options.retentionDays * DAY_MS;
  const cutoff5m = nowMs - options.retention5mDays * DAY_MS;
  const cutoff1h = nowMs - options.retention1hDays * DAY_MS;
  const horizon = dayStart(dailyHorizonDay(options.dailyRetentionDays, timeZone, nowMs), timeZone);
  const batches = (remove: (limit: number) => Promise<number>) => inBatches(remove, options);
  let snapshots = 0;
  let buckets5m = 0;
  let buckets1h = 0;
  let blocks = 0;
  let tierBlocks = 0;
  let turnedAt = performance.now();
  for (const id of clusterIds) {
    if (options.signal?.aborted) break;
    // A turn of the event loop between two clusters once the sweep has gone on for a while: on
    // SQLite every statement answers at once and an await alone never lets a timer or a socket
    // in, so a thousand clusters' deletes (each a few cheap statements) held the loop for 1.7 s.
    if (performance.now() - turnedAt >= (options.turnEveryMs ?? 10)) {
      await nextTurn();
      turnedAt = performance.now();
    }
    const backfill = await pendingTierBackfill(db, id);
    const rawBefore = backfill === undefined ? rawCutoff : Math.min(rawCutoff, backfill.done_until);
    snapshots += await batches((limit) => deleteClusterSnapshotRowsBefore(db, id, rawBefore, limit));
    blocks += await batches((limit) => deleteClusterTrendBlocksBefore(db, id, Math.floor(rawBefore / HOUR_MS) * HOUR_MS, limit));

    let before5m = cutoff5m;
    for await (const day of daysAwaitingRollup(db, id, timeZone, horizon, nextDay(dayOf(cutoff5m, timeZone)))) {
      before5m = Math.min(cutoff5m, dayStart(day, timeZone));
      break;
    }
    buckets5m += await batches((limit) => deleteTier(db, 'metrics_5m', id, before5m, limit));
    buckets1h += await batches((limit) => deleteTier(db, 'metrics_1h', id, cutoff1h, limit));
    tierBlocks += await batches((limit) => deleteClusterTierBlocksBefore(db, id, '5m', before5m, limit));
    tierBlocks += await batches((limit) => deleteClusterTierBlocksBefore(db, id, '1h', cutoff1h, limit));
  }
  return { snapshots, buckets5m, buckets1h, blocks, tierBlocks };
}

const deleteTier = (db: Kysely<Database>, table: TierTable, clusterId: number, before: number, limit: number) => deleteClusterTierRowsBefore(db, table, clusterId, before, limit);

async function inBatches(remove: (limit: number) => Promise<number>, options: RetentionOptions): Promise<number> {
  const batch = options.batchSize ?? 5_000;
  let total = 0;
  for (;;) {
    if (options.signal?.aborted) return total;
    const deleted = await remove(batch);
    total += deleted;
    if (deleted < batch) return total;
    await options.sleep(options.pauseMs ?? 10);
  }
}
