/**
 * Runs collections on time: each cluster at its own offset in every interval (a cluster's
 * `collect_interval` in whole intervals) — at start-up too with `firstCollections: 'on-slot'`,
 * else every cluster at once first — never two of one cluster at a time, at most
 * `maxConcurrency` in flight, and after consecutive failures only every few intervals. Waiting clusters sit in a queue by due instant; one timer (a job of the runner)
 * wakes for the earliest, and a collection that ends starts the next due one at once — no
 * polling tick, so only the concurrency and the collections' own length bound the rate. A
 * collection that starts late because every slot was busy records its lag, and a warning says
 * how far behind. The registry is read again when it reports a change and every few seconds
 * (a change made by another process), never per collection slot; a collection takes the
 * cluster as last read unless this process changed a cluster since, and then reads it again.
 * Each cluster's state goes to the database through the store (collection-state-store.ts) and is
 * read back at start, so a restart resumes failures and backoff and every instance shows it.
 */
import type { Logger } from 'pino';
import { StellarError } from '../errors.js';
import type { Cluster } from '../registry/cluster.js';
import type { ClusterRegistry } from '../registry/cluster-registry.js';
import type { CollectStatus } from '../shared/snapshot-fields.js';
import { isLateStart } from '../shared/collection-lag.js';
import type { CollectionStateRecord } from '../storage/repos/collection-state.repo.js';
import type { CollectionStateStore } from './collection-state-store.js';
import { DueQueue } from './due-queue.js';
import type { Job, JobRunner } from './job-runner.js';
import type { SourceFailure } from './raw-scrape.js';
import { type BackoffPolicy, backoffIntervals, DEFAULT_BACKOFF, effectiveIntervalMs, nextSlotMs } from './schedule.js';

/** Each cluster's schedule state: what collection_state stores (storage/repos/collection-state.repo.ts). */
export type ClusterScheduleState = CollectionStateRecord;

export interface SchedulerOptions {
  readonly intervalMs: number;
  readonly maxConcurrency: number;
  readonly backoff?: BackoffPolicy;
  /**
   * The clusters known at start-up: each collected at its slot in the first interval
   * (`on-slot`, as Prometheus scrapes a target first at its offset: a restart of a service
   * watching a thousand clusters never asks them all, and parses all their answers, in the same
   * second), or all at once (`at-once`, the default). Clusters added later: laterCollections.
   */
  readonly firstCollections?: 'at-once' | 'on-slot';
  /**
   * The clusters that come later (registered while it runs, or in shards mode handed over by
   * another instance): collected at once (`at-once`, the default), or at their next slot with
   * the state stored for them (`on-slot`: the instance that had a cluster collected its slot).
   */
  readonly laterCollections?: 'at-once' | 'on-slot';
}

/** What the scheduler needs of the collector: one stored collection of one cluster. */
export interface ClusterCollector {
  collect(cluster: Cluster): Promise<{ readonly status: CollectStatus; readonly failures?: readonly SourceFailure[] }>;
  /** The cluster was deleted: let go of what is kept for it (connections, counters). */
  forget(clusterId: number): Promise<void>;
}

/** Clusters added, edited or deleted by another process are seen within this long. */
export const REGISTRY_REREAD_MS = 10_000;
/** At most one "falling behind" warning this often; it sums up the late collections since the last. */
export const LATE_WARNING_EVERY_MS = 60_000;

export class CollectionScheduler {
  readonly #states = new Map<number, ClusterScheduleState>();
  /** Each cluster's interval (its own, in whole global intervals), from the last registry read. */
  readonly #intervals = new Map<number, number>();
  /** Each cluster as last read, and the registry's generation before that read began. */
  readonly #clusters = new Map<number, { readonly cluster: Cluster; readonly generation: number }>();
  /** Clusters whose next collection is their first (at start-up, or added): on no slot, so never "late". */
  readonly #first = new Set<number>();
  /** The registry has been read once: clusters seen after that were added while running. */
  #readOnce = false;
  readonly #queue = new DueQueue();
  #inFlight = 0;
  #job: Job | null = null;
  #unsubscribe: (() => void) | null = null;
  #rereadAt = Number.NEGATIVE_INFINITY;
  /** The registry reported a change since the last read began. */
  #changed = true;
  #late = { count: 0, worstLagMs: 0, worstClusterId: 0, worstIntervalMs: 0, warnedAt: Number.NEGATIVE_INFINITY };

  constructor(
    private readonly deps: {
      readonly collector: ClusterCollector;
      readonly registry: Pick<ClusterRegistry, 'list' | 'get' | 'onChange' | 'generation'>;
      readonly logger: Logger;
      readonly runner: JobRunner;
      /** Where the states are kept: read at start (a restart resumes failures and backoff), written on every change. */
      readonly store?: CollectionStateStore;
    },
    private readonly options: SchedulerOptions,
  ) {}

  /** Reads the registry, collects every cluster at once or at its first slot (`firstCollections`), then each on its slot. */
  start(): void {
    this.#unsubscribe = this.deps.registry.onChange(() => {
      this.#changed = true;
      this.#job?.runBy(this.#now());
    });
    this.#job = this.deps.runner.add('collection scheduler', () => this.#dispatch(), { retryMs: 1000 });
  }

  /** Stops listening to the registry; the runner's stop() ends the timers and waits for collections in flight. */
  stop(): void {
    this.#unsubscribe?.();
    this.#unsubscribe = null;
  }

  /** Each cluster's schedule state as this process holds it (the API reads the stored copy, collection_state). */
  scheduleStates(): ReadonlyMap<number, ClusterScheduleState> {
    return this.#states;
  }

  #now(): number {
    return this.deps.runner.clock.now();
  }

  /** The job's run: the registry when due, then every due collection a slot allows; returns when to wake. */
  async #dispatch(): Promise<number> {
    if (this.#changed || this.#now() >= this.#rereadAt) {
      // Cleared before the read: a change reported while it runs brings another read right after.
      this.#changed = false;
      this.#rereadAt = this.#now() + REGISTRY_REREAD_MS;
      try {
        await this.#reread();
      } catch (error) {
        this.#changed = true;
        throw error;
      }
    }
    this.#launchDue();
    return this.#nextWake();
  }

  #nextWake(): number {
    const due = this.#inFlight < this.options.maxConcurrency ? this.#peekWaiting()?.at : undefined;
    return due === undefined ? this.#rereadAt : Math.min(due, this.#rereadAt);
  }

  async #reread(): Promise<void> {
    const generation = this.deps.registry.generation;
    const clusters = await this.deps.registry.list();
    const now = this.#now();
    const present = new Set(clusters.map((c) => c.id));
    const firstRead = !this.#readOnce;
    const onSlot = firstRead ? this.options.firstCollections === 'on-slot' : this.options.laterCollections === 'on-slot';
    const resumes = firstRead || (onSlot && clusters.some((c) => !this.#states.has(c.id)));
    const stored = resumes && this.deps.store ? await this.deps.store.load() : new Map<number, ClusterScheduleState>();
    this.#readOnce = true;
    for (const id of this.#states.keys()) if (!present.has(id)) this.#forget(id);
    for (const cluster of clusters) {
      this.#clusters.set(cluster.id, { cluster, generation });
      const interval = effectiveIntervalMs(this.options.intervalMs, cluster.collect_interval);
      const state = this.#states.get(cluster.id);
      const known = this.#intervals.get(cluster.id);
      this.#intervals.set(cluster.id, interval);
      if (!state) {
        this.#first.add(cluster.id);
        // Within one global interval even for a cluster collected less often: its first figures come soon.
        const first = onSlot ? nextSlotMs(cluster.id, this.options.intervalMs, now) : now;
        this.#setWaiting(cluster.id, this.#resumed(cluster.id, stored.get(cluster.id), interval, first, now));
      } else if (known !== interval && !state.running && !this.#first.has(cluster.id)) {
        // Its collect_interval changed: the next collection moves to its slot in the new cadence.
        this.#setWaiting(cluster.id, { ...state, intervalMs: interval, nextAttemptAt: this.#nextAttempt(cluster.id, interval, state.consecutiveFailures, now) });
      }
    }
  }

  /**
   * A cluster's state at start: new, or as the last process left it (a restart). A cluster in
   * backoff stays in it — until its stored next attempt, but never later than a backoff counted
   * from now would put it — and its failures go on counting; a collection that was running when
   * that process stopped is not.
   */
  #resumed(clusterId: number, stored: ClusterScheduleState | undefined, interval: number, first: number, now: number): ClusterScheduleState {
    const fresh = { lastStatus: null, consecutiveFailures: 0, lastAttemptAt: null, lastSuccessAt: null, lastDurationMs: null, lastError: null, nextAttemptAt: first, running: false, lagMs: 0, intervalMs: interval };
    if (stored === undefined) return fresh;
    const backingOff = stored.consecutiveFailures > 0 && stored.nextAttemptAt > first;
    const nextAttemptAt = backingOff ? Math.min(stored.nextAttemptAt, this.#nextAttempt(clusterId, interval, stored.consecutiveFailures, now)) : first;
    return { ...stored, nextAttemptAt: Math.max(first, nextAttemptAt), running: false, intervalMs: interval };
  }

  /** Sets the cluster's state, and marks it for the store. */
  #put(clusterId: number, state: ClusterScheduleState): void {
    this.#states.set(clusterId, state);
    this.deps.store?.mark(clusterId, state);
  }

  #setWaiting(clusterId: number, state: ClusterScheduleState): void {
    this.#put(clusterId, state);
    this.#queue.push({ at: state.nextAttemptAt, clusterId });
  }

  /** The earliest queue entry that still stands (its cluster waits for exactly that instant). */
  #peekWaiting(): { at: number; clusterId: number } | undefined {
    for (let top = this.#queue.peek(); top; top = this.#queue.peek()) {
      const state = this.#states.get(top.clusterId);
      if (state && !state.running && state.nextAttemptAt === top.at) return top;
      this.#queue.pop();
    }
    return undefined;
  }

  /** Starts every due collection a slot allows, now. */
  #launchDue(): void {
    if (this.deps.runner.stopping) return;
    const now = this.#now();
    while (this.#inFlight < this.options.maxConcurrency) {
      const top = this.#peekWaiting();
      if (!top || top.at > now) return;
      this.#queue.pop();
      this.#launch(top.clusterId, top.at, now);
    }
  }

  #launch(clusterId: number, dueAt: number, now: number): void {
    const state = this.#states.get(clusterId);
    if (!state) return;
    const lagMs = now - dueAt;
    this.#put(clusterId, { ...state, running: true, lastAttemptAt: now, lagMs });
    this.#inFlight += 1;
    if (!this.#first.has(clusterId)) this.#noteLag(clusterId, lagMs, now);
    this.deps.runner.track(this.#collect(clusterId, now));
  }

  async #collect(clusterId: number, startedAt: number): Promise<void> {
    let status: CollectStatus = 'failed';
    let lastError: string | null = null;
    let deleted = false;
    try {
      const cluster = await this.#latest(clusterId);
      this.#intervals.set(clusterId, effectiveIntervalMs(this.options.intervalMs, cluster.collect_interval));
      const result = await this.deps.collector.collect(cluster);
      status = result.status;
      if (status !== 'ok') lastError = failuresSummary(result.failures ?? []);
    } catch (error) {
      lastError = shortError(error instanceof Error ? error.message : String(error));
      deleted = error instanceof StellarError && error.code === 'STELLAR_ERR_CLUSTER_NOT_FOUND';
      // A full disk: the storage logs it once per change of state, not once per collection.
      const diskFull = error instanceof StellarError && error.code === 'STELLAR_ERR_STORAGE_UNAVAILABLE';
      if (diskFull) this.deps.logger.debug({ cluster_id: clusterId, reason: error.message }, 'collection not stored');
      else if (!deleted) this.deps.logger.error({ err: error, cluster_id: clusterId }, 'collection failed');
    }
    this.#inFlight -= 1;
    const previous = this.#states.get(clusterId);
    if (deleted) this.#forget(clusterId);
    else if (previous) {
      // The interval as last read (an edit during the collection counts from now on).
      const interval = this.#intervals.get(clusterId) ?? this.options.intervalMs;
      const finished = this.#now();
      const failures = status === 'failed' ? previous.consecutiveFailures + 1 : 0;
      if (finished - startedAt > interval) {
        this.deps.logger.warn({ cluster_id: clusterId, took_ms: finished - startedAt, interval_ms: interval }, 'collection overran its interval; the next one waits for its slot');
      }
      this.#first.delete(clusterId);
      this.#setWaiting(clusterId, {
        lastStatus: status,
        consecutiveFailures: failures,
        lastAttemptAt: startedAt,
        lastSuccessAt: status === 'failed' ? previous.lastSuccessAt : startedAt,
        lastDurationMs: finished - startedAt,
        lastError,
        nextAttemptAt: this.#nextAttempt(clusterId, interval, failures, finished),
        running: false,
        lagMs: previous.lagMs,
        intervalMs: interval,
      });
    }
    // A slot is free: the next due collection starts now, and the timer waits for the one after.
    this.#launchDue();
    this.#job?.runBy(this.#nextWake());
  }

  /**
   * The cluster's latest fields: an edit through this process since the last read applies to
   * this collection (one by another process, within REGISTRY_REREAD_MS). Reading the row for
   * every collection cost a statement prepared and run on SQLite each time, for nothing: at the
   * default interval a cluster is edited far less often than it is collected.
   */
  async #latest(clusterId: number): Promise<Cluster> {
    const known = this.#clusters.get(clusterId);
    const generation = this.deps.registry.generation;
    if (known?.generation === generation) return known.cluster;
    const cluster = await this.deps.registry.get(clusterId);
    this.#clusters.set(clusterId, { cluster, generation });
    return cluster;
  }

  #forget(clusterId: number): void {
    void this.deps.collector.forget(clusterId).catch((error: unknown) => this.deps.logger.warn({ err: error, cluster_id: clusterId }, 'closing a deleted cluster’s connections failed'));
    this.#states.delete(clusterId);
    this.deps.store?.forget(clusterId);
    this.#clusters.delete(clusterId);
    this.#intervals.delete(clusterId);
    this.#first.delete(clusterId);
  }

  /** The cluster's first slot after `after`, pushed out by the backoff after consecutive failures. */
  #nextAttempt(clusterId: number, interval: number, failures: number, after: number): number {
    return nextSlotMs(clusterId, interval, after) + (backoffIntervals(failures, this.options.backoff ?? DEFAULT_BACKOFF) - 1) * interval;
  }

  /** Counts a late start; warns at most once a minute, naming the worst lag since the last warning. */
  #noteLag(clusterId: number, lagMs: number, now: number): void {
    const interval = this.#intervals.get(clusterId) ?? this.options.intervalMs;
    if (!isLateStart(lagMs, interval)) return;
    const late = this.#late;
    late.count += 1;
    if (lagMs > late.worstLagMs) Object.assign(late, { worstLagMs: lagMs, worstClusterId: clusterId, worstIntervalMs: interval });
    if (now - late.warnedAt < LATE_WARNING_EVERY_MS) return;
    this.deps.logger.warn(
      { cluster_id: late.worstClusterId, lag_ms: late.worstLagMs, interval_ms: late.worstIntervalMs, late_collections: late.count, max_concurrency: this.options.maxConcurrency },
      `collections are falling behind: cluster ${late.worstClusterId} started ${(late.worstLagMs / 1000).toFixed(1)} s after its slot ` +
        `(${late.count} late since the last warning); raise metrics.max_concurrency (now ${this.options.maxConcurrency}) or metrics.interval_secs`,
    );
    this.#late = { count: 0, worstLagMs: 0, worstClusterId: 0, worstIntervalMs: 0, warnedAt: now };
  }
}

/** The longest last_error kept: enough for a source and its reason, never a page of text. */
const LAST_ERROR_MAX_CHARS = 300;

function shortError(text: string): string {
  return text.length <= LAST_ERROR_MAX_CHARS ? text : `${text.slice(0, LAST_ERROR_MAX_CHARS - 1)}…`;
}

/** A collection's failed sources in a line: the first with its reason (never a cluster's answer: see bodyShape), then how many more. */
function failuresSummary(failures: readonly SourceFailure[]): string {
  const [first, ...more] = failures;
  if (first === undefined) return 'no source answered';
  const head = shortError(`${first.source} (${first.kind}): ${first.message}`);
  return more.length === 0 ? head : `${head}; and ${more.length} more failed source${more.length === 1 ? '' : 's'}`;
}
