/**
 * The scheduler's per-cluster state, kept in the database (collection_state) so a restart
 * resumes it and every instance shows it. The scheduler marks a state on every change; the
 * marks are coalesced per cluster and written at most once every FLUSH_EVERY_MS, all in one
 * transaction: at 1,000 clusters on a 30 s interval that is about 70 changes a second, and one
 * transaction per change would be as many commits (each an fsync on SQLite).
 */
import type { Storage } from '../storage/dialect/dialect.js';
import { type BeforeWrite, type CollectionStateRecord, collectionStates, type WritableClusters, writeCollectionStates } from '../storage/repos/collection-state.repo.js';
import type { Job, JobRunner } from './job-runner.js';

/** The stored state is at most this far behind the scheduler's (plus the write itself). */
export const FLUSH_EVERY_MS = 1000;
/** After a write that failed, the next try. */
const RETRY_MS = 5 * FLUSH_EVERY_MS;

export class CollectionStateStore {
  /** The states changed since the last write, the latest per cluster. */
  #dirty = new Map<number, CollectionStateRecord>();
  #flushedAt = Number.NEGATIVE_INFINITY;
  readonly #job: Job;

  constructor(
    private readonly deps: {
      readonly storage: Pick<Storage, 'db' | 'dialect' | 'writeHealth'>;
      readonly runner: JobRunner;
      /** Runs in each write's transaction first; throwing refuses the write (a fence: see BeforeWrite). */
      readonly beforeWrite?: BeforeWrite;
      /** Which clusters' states each write may store, checked in its transaction (a fence per cluster: see WritableClusters). */
      readonly writable?: WritableClusters;
    },
  ) {
    this.#job = deps.runner.add(
      'collection state',
      async () => {
        try {
          await this.flush();
        } catch (error) {
          // A full disk is logged once by the storage's write health, not every few seconds here.
          if (deps.storage.dialect.writeFault(error) === null) throw error;
          return this.deps.runner.clock.now() + RETRY_MS;
        }
        return this.#dirty.size > 0 ? this.#flushedAt + FLUSH_EVERY_MS : null;
      },
      { firstAt: null, retryMs: RETRY_MS },
    );
  }

  /** The states stored by the last process that collected (this one's, after a restart). */
  load(): Promise<Map<number, CollectionStateRecord>> {
    return collectionStates(this.deps.storage.db);
  }

  /** The cluster's state changed: written with the next batch. */
  mark(clusterId: number, state: CollectionStateRecord): void {
    this.#dirty.set(clusterId, state);
    this.#job.runBy(Math.max(this.deps.runner.clock.now(), this.#flushedAt + FLUSH_EVERY_MS));
  }

  /** The cluster was deleted: nothing more to write for it (its row went with it). */
  forget(clusterId: number): void {
    this.#dirty.delete(clusterId);
  }

  /**
   * Writes every marked state now, in one transaction; says how many. On stop, after the last
   * collection ended, so a restart resumes from the very last state. A write that fails keeps
   * the batch for the next one (a state marked since wins).
   */
  async flush(): Promise<number> {
    if (this.#dirty.size === 0) return 0;
    const batch = this.#dirty;
    this.#dirty = new Map();
    const at = this.deps.runner.clock.now();
    this.#flushedAt = at;
    try {
      const { storage, beforeWrite, writable } = this.deps;
      const fences = { ...(beforeWrite === undefined ? {} : { beforeWrite }), ...(writable === undefined ? {} : { writable }) };
      return await storage.writeHealth.watch(storage.dialect, () => writeCollectionStates(storage.db, batch, at, fences));
    } catch (error) {
      for (const [id, state] of batch) if (!this.#dirty.has(id)) this.#dirty.set(id, state);
      throw error;
    }
  }
}
