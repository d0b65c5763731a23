/**
 * Deletes snapshots past `metrics.retention_days`, in batches with a pause between them, so a
 * large delete (after a retention change, or a long stop) never blocks the collector's writes.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../storage/database.js';
import { deleteSnapshotRowsBefore } from '../storage/repos/snapshots.repo.js';

export interface RetentionOptions {
  readonly retentionDays: number;
  readonly batchSize?: number;
  /** Pause between batches, letting writers in. */
  readonly pauseMs?: number;
}

/** Deletes every snapshot older than the retention; returns how many went. */
export async function applyRetention(db: Kysely<Database>, nowMs: number, options: RetentionOptions): Promise<number> {
  const cutoff = nowMs - options.retentionDays * 86_400_000;
  const batch = options.batchSize ?? 5_000;
  let total = 0;
  for (;;) {
    const deleted = await deleteSnapshotRowsBefore(db, cutoff, batch);
    total += deleted;
    if (deleted < batch) return total;
    await new Promise((resolve) => setTimeout(resolve, options.pauseMs ?? 10));
  }
}
