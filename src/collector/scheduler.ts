/**
 * Runs collections on time: every cluster at once at start-up, then each at its own offset in
 * every interval, never two of one cluster at a time, at most `maxConcurrency` clusters in
 * flight, and after consecutive failures only every few intervals. A cluster with its own
 * `collect_interval` is collected every so many global intervals. The registry is read on
 * every tick, so added, edited and deleted clusters take effect without a restart.
 */
import type { Logger } from 'pino';
import type { ClusterRegistry } from '../registry/cluster-registry.js';
import type { CollectStatus } from '../shared/snapshot-fields.js';
import type { Collector } from './collector.js';
import { type BackoffPolicy, backoffIntervals, DEFAULT_BACKOFF, effectiveIntervalMs, nextSlotMs } from './schedule.js';

export interface ClusterScheduleState {
  readonly lastStatus: CollectStatus | null;
  readonly consecutiveFailures: number;
  readonly lastAttemptAt: number | null;
  readonly nextAttemptAt: number;
  readonly running: boolean;
}

export interface SchedulerOptions {
  readonly intervalMs: number;
  readonly maxConcurrency: number;
  readonly backoff?: BackoffPolicy;
  /** How often due clusters are looked for; small next to the interval. */
  readonly tickMs?: number;
}

export class CollectionScheduler {
  private readonly states = new Map<number, ClusterScheduleState>();
  private readonly inFlight = new Set<Promise<void>>();
  private timer: NodeJS.Timeout | null = null;
  private stopped = false;

  constructor(
    private readonly deps: { readonly collector: Collector; readonly registry: ClusterRegistry; readonly logger: Logger; readonly now: () => number },
    private readonly options: SchedulerOptions,
  ) {}

  /** Starts ticking; the first tick (at once) collects every cluster. */
  start(): void {
    this.stopped = false;
    void this.tick();
  }

  /** Stops scheduling and waits for collections in flight. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await Promise.all([...this.inFlight]);
  }

  /** Each cluster's schedule, for the API and `stellar collect`. */
  snapshot(): ReadonlyMap<number, ClusterScheduleState> {
    return this.states;
  }

  private async tick(): Promise<void> {
    try {
      await this.launchDue();
    } catch (error) {
      this.deps.logger.error({ err: error }, 'collection scheduler tick failed');
    }
    if (!this.stopped) this.timer = setTimeout(() => void this.tick(), this.options.tickMs ?? Math.min(1000, this.options.intervalMs / 10));
  }

  private async launchDue(): Promise<void> {
    const now = this.deps.now();
    const clusters = await this.deps.registry.list();
    const present = new Set(clusters.map((c) => c.id));
    for (const id of this.states.keys()) if (!present.has(id)) this.states.delete(id);
    const due = clusters
      .map((cluster) => {
        const state = this.states.get(cluster.id) ?? { lastStatus: null, consecutiveFailures: 0, lastAttemptAt: null, nextAttemptAt: now, running: false };
        this.states.set(cluster.id, state);
        return { cluster, state };
      })
      .filter(({ state }) => !state.running && state.nextAttemptAt <= now)
      .sort((a, b) => a.state.nextAttemptAt - b.state.nextAttemptAt);
    const running = [...this.states.values()].filter((s) => s.running).length;
    for (const { cluster, state } of due.slice(0, Math.max(0, this.options.maxConcurrency - running))) {
      this.states.set(cluster.id, { ...state, running: true, lastAttemptAt: now });
      const run = this.run(cluster.id, now).finally(() => this.inFlight.delete(run));
      this.inFlight.add(run);
    }
  }

  private async run(clusterId: number, startedAt: number): Promise<void> {
    let status: CollectStatus = 'failed';
    let interval = this.options.intervalMs;
    try {
      const cluster = await this.deps.registry.get(clusterId);
      interval = effectiveIntervalMs(this.options.intervalMs, cluster.collect_interval);
      status = (await this.deps.collector.collect(cluster)).status;
    } catch (error) {
      this.deps.logger.error({ err: error, cluster_id: clusterId }, 'collection failed');
    }
    const previous = this.states.get(clusterId);
    if (!previous) return; // deleted meanwhile
    const finished = this.deps.now();
    const failures = status === 'failed' ? previous.consecutiveFailures + 1 : 0;
    const slot = nextSlotMs(clusterId, interval, finished);
    if (finished - startedAt > interval) {
      this.deps.logger.warn({ cluster_id: clusterId, took_ms: finished - startedAt, interval_ms: interval }, 'collection overran its interval; the next one waits for its slot');
    }
    this.states.set(clusterId, {
      lastStatus: status,
      consecutiveFailures: failures,
      lastAttemptAt: startedAt,
      nextAttemptAt: slot + (backoffIntervals(failures, this.options.backoff ?? DEFAULT_BACKOFF) - 1) * interval,
      running: false,
    });
  }
}
