/**
 * Adds the snapshots written before the tiers existed to them, cluster by cluster, oldest
 * first, a few hours of snapshots per transaction and the event loop free between two: after
 * an upgrade, a week of raw data goes into the tiers in the background while Stellar serves
 * and collects. Until a cluster is done, its raw rows wait for it (retention) and so do the
 * daily roll-ups of the days not yet in (daily-job.ts).
 */
import type { Kysely } from 'kysely';
import type { Database } from '../storage/database.js';
import { finishTierBackfill, pendingTierBackfills } from '../storage/repos/tiers.repo.js';
import type { SnapshotWriter } from '../storage/snapshot-writer.js';
import { nextTurn } from './job-runner.js';

/** Snapshots added per transaction: 6 hours, 720 rows at the default interval. */
export const TIER_BACKFILL_SLICE_MS = 6 * 3_600_000;

/** Back-fills every pending cluster; returns how many finished. Stops between slices when aborted. */
export async function backfillTiers(db: Kysely<Database>, writer: Pick<SnapshotWriter, 'backfillTiers'>, signal?: AbortSignal): Promise<number> {
  let finished = 0;
  for (const pending of await pendingTierBackfills(db)) {
    for (let at = pending.done_until; at < pending.before; ) {
      if (signal?.aborted) return finished;
      const to = Math.min(pending.before, at + TIER_BACKFILL_SLICE_MS);
      await writer.backfillTiers(pending.cluster_id, at, to);
      at = to;
      await nextTurn();
    }
    await finishTierBackfill(db, pending.cluster_id);
    finished += 1;
  }
  return finished;
}
