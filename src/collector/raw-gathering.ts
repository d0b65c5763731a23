/**
 * Gathers each closed hour of raw snapshots, cluster by cluster (SnapshotWriter.gatherRawRows):
 * the collector writes every cluster at one instant, then the next, so without it one cluster's
 * day of rows lies on as many pages as it has rows, and a day's overview reads thousands of
 * pages from disk; gathered, an hour of one cluster lies on a few pages side by side. An hour is
 * gathered once its last collections have surely been written, then never again; the hour up to
 * which all clusters are done is kept in stellar_meta, so a restart goes on where it stopped and
 * an upgrade gathers the raw rows already stored, oldest first, in the background.
 * GATHER_BATCH clusters per transaction, the event loop free between two: one cluster at a
 * time, a page holding rows of eight clusters was rewritten eight times.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../storage/database.js';
import { getMeta, setMeta } from '../storage/repos/meta.repo.js';
import { oldestSnapshotAt } from '../storage/repos/snapshots.repo.js';
import { nextTurn } from './job-runner.js';

export const GATHER_HOUR_MS = 3_600_000;
/**
 * How long after its end an hour is gathered: a collection of its last slot has been written
 * long before (collection timeouts are seconds). A row written later still is kept where it
 * lands, only not beside its hour.
 */
export const GATHER_AFTER_MS = 10 * 60_000;
const DAY_MS = 86_400_000;
/** Clusters gathered per transaction: about 15 ms of work (an hour of 16 clusters at 30 s, 1,920 rows). */
export const GATHER_BATCH = 16;
/** stellar_meta: every raw row before this instant (an hour's start, ms) is gathered. */
export const GATHERED_UNTIL_KEY = 'raw_gathered_until';

export interface GatheringDeps {
  readonly db: Kysely<Database>;
  readonly gather: (clusterIds: readonly number[], from: number, to: number) => Promise<number>;
  readonly clusterIds: () => Promise<readonly number[]>;
  /** Raw snapshots' retention: an hour about to be deleted is not worth gathering. */
  readonly retentionDays: number;
  readonly signal?: AbortSignal;
}

export interface GatheringResult {
  readonly hours: number;
  readonly rows: number;
}

/** The latest hour (its start) that may be gathered at `now`, exclusive: hours before it are closed. */
export const gatherableUntil = (now: number): number => Math.floor((now - GATHER_AFTER_MS) / GATHER_HOUR_MS) * GATHER_HOUR_MS;

/** When the next hour can be gathered, after a run at `now`. */
export const nextGatheringAt = (now: number): number => gatherableUntil(now) + GATHER_HOUR_MS + GATHER_AFTER_MS;

/** Gathers every closed hour not gathered yet, oldest first; stops between two batches when aborted. */
export async function gatherClosedHours(deps: GatheringDeps, now: number): Promise<GatheringResult> {
  const until = gatherableUntil(now);
  const stored = await getMeta(deps.db, GATHERED_UNTIL_KEY);
  let hour = stored === undefined ? await firstHour(deps.db, until) : Number(stored);
  hour = Math.max(hour, Math.floor((now - deps.retentionDays * DAY_MS) / GATHER_HOUR_MS) * GATHER_HOUR_MS);
  let hours = 0;
  let rows = 0;
  for (; hour < until; hour += GATHER_HOUR_MS) {
    const ids = await deps.clusterIds();
    for (let i = 0; i < ids.length; i += GATHER_BATCH) {
      if (deps.signal?.aborted) return { hours, rows };
      rows += await deps.gather(ids.slice(i, i + GATHER_BATCH), hour, hour + GATHER_HOUR_MS);
      await nextTurn();
    }
    await setMeta(deps.db, GATHERED_UNTIL_KEY, String(hour + GATHER_HOUR_MS));
    hours += 1;
  }
  return { hours, rows };
}

/** Where a database that has never gathered starts: the hour of its oldest row, or `until` when it has none. */
async function firstHour(db: Kysely<Database>, until: number): Promise<number> {
  const oldest = await oldestSnapshotAt(db);
  return oldest === null ? until : Math.floor(oldest / GATHER_HOUR_MS) * GATHER_HOUR_MS;
}
