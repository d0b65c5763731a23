/**
 * Collection as the service runs it, on one job runner: the scheduler over every registered
 * cluster, and one job that rolls finished days up and then sweeps snapshots past retention.
 * Started once per process when `metrics.enabled`.
 */
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { TargetPolicy } from '../security/allowed-targets.js';
import type { Config, ScrapeLimits } from '../config/schema.js';
import type { ClusterRegistry } from '../registry/cluster-registry.js';
import type { Database } from '../storage/database.js';
import type { Storage } from '../storage/dialect/dialect.js';
import type { SnapshotWriter } from '../storage/snapshot-writer.js';
import { SNAPSHOT_FIELDS } from '../shared/snapshot-fields.js';
import { type CollectionObserver, Collector, collectorOptionsFrom } from './collector.js';
import type { CustomMetricSet } from './custom-metric-set.js';
import { applyDailyRetention, backfillDailyRollups, nextRollupAt } from './daily-job.js';
import { type Clock, type Job, JobRunner } from './job-runner.js';
import { applyRetention } from './retention.js';
import { gatherClosedHours, type GatheringDeps, nextGatheringAt } from './raw-gathering.js';
import { backfillTiers } from './tier-backfill.js';
import { buildClosedDayTierBlocks, nextTierBlocksAt, type TierBlockDeps } from './tier-blocks.js';
import { buildClosedHourBlocks, nextBlocksAt, type TrendBlockDeps } from './trend-blocks.js';
import { CollectionScheduler } from './scheduler.js';
import { CollectionStateStore } from './collection-state-store.js';

/**
 * How often the service sweeps rows past retention. Retention is counted in days, and a sweep
 * costs about a millisecond of CPU per cluster (five queries) whatever it deletes: every minute,
 * that was half a millisecond per cluster-cycle at the default 30 s interval, a sixth of the
 * service's CPU beyond the collections. Every ten minutes, rows stay at most ten minutes past
 * their retention, and each sweep deletes ten minutes' rows instead of one.
 */
export const RETENTION_SWEEP_EVERY_MS = 10 * 60_000;

export interface RunningCollection {
  readonly scheduler: CollectionScheduler;
  stop(): Promise<void>;
}

/** The clusters a scheduler collects: the registry, or in shards mode this instance's share of it (cluster-shards.ts). */
export type ClusterSource = Pick<ClusterRegistry, 'list' | 'get' | 'onChange' | 'generation'>;

type CollectionDeps = {
  readonly storage: Storage;
  readonly registry: ClusterRegistry;
  readonly logger: Logger;
  readonly metrics: Config['metrics'];
  /** `[limits]`; the defaults when absent. */
  readonly limits?: ScrapeLimits;
  readonly clock: Clock;
  /** `[security] allowed_targets`; any host when absent. */
  readonly targets?: TargetPolicy;
  /** The snapshot columns the overview's trends read from raw rows: what a trend block holds. */
  readonly trendFields: readonly string[];
  /** The tier columns the overview's trends read: what a tier block holds. */
  readonly tierTrendColumns: readonly string[];
  /** Told of each stored collection (Stellar's own /metrics); none when absent. */
  readonly observer?: CollectionObserver;
  /** The custom metrics each collection computes and stores; none when absent. */
  readonly customMetrics?: CustomMetricSet;
  /** More work on the collection's runner (alerting): gives an observer told of each stored collection after `observer`. */
  readonly attach?: (runner: JobRunner) => CollectionObserver;
};

export function startCollection(
  deps: CollectionDeps & {
    /**
     * `coordination = "shards"`: this instance's share of the clusters. The scheduler collects
     * only those, a cluster handed over from its next slot with the state stored for it; its
     * snapshots and its collection state are fenced by the cluster's lease; and no maintenance runs here (startMaintenance, on the instance holding the collection lease).
     */
    readonly shard?: ClusterSource;
  },
): RunningCollection {
  const { metrics, logger, clock } = deps;
  const intervalMs = metrics.interval_secs * 1000;
  const runner = new JobRunner({ clock, logger });
  const observers = [deps.observer, deps.attach?.(runner)].filter((o) => o !== undefined);
  const collector = new Collector({
    storage: deps.storage,
    registry: deps.registry,
    logger,
    now: () => clock.now(),
    options: { ...collectorOptionsFrom(metrics, deps.limits, deps.targets), stampSlots: true },
    observer: { collected: (result) => observers.forEach((o) => o.collected(result)), forgotten: (id) => observers.forEach((o) => o.forgotten(id)) },
    ...(deps.customMetrics === undefined ? {} : { customMetrics: deps.customMetrics }),
  });
  // Fenced like the snapshots where a lease elects the collector: a paused leader that wakes up
  // writes no state either; in shards mode, one that lost a cluster writes no state of it.
  const lease = deps.shard === undefined ? deps.storage.collectionLease : undefined;
  const clusterLeases = deps.shard === undefined ? undefined : deps.storage.clusterLeases;
  const store = new CollectionStateStore({
    storage: deps.storage,
    runner,
    ...(lease === undefined ? {} : { beforeWrite: (trx) => lease.checkFence(trx) }),
    ...(clusterLeases === undefined ? {} : { writable: (trx, ids) => clusterLeases.stillHeld(trx, ids) }),
  });
  const scheduler = new CollectionScheduler(
    { collector, registry: deps.shard ?? deps.registry, logger, runner, store },
    {
      intervalMs,
      maxConcurrency: metrics.max_concurrency,
      backoff: { factor: 2, maxIntervals: metrics.backoff_max_intervals },
      firstCollections: 'on-slot',
      ...(deps.shard === undefined ? {} : { laterCollections: 'on-slot' as const }),
    },
  );
  if (deps.shard === undefined) addMaintenanceJobs(runner, deps);
  scheduler.start();
  logger.info({ interval_secs: metrics.interval_secs, max_concurrency: metrics.max_concurrency }, deps.shard === undefined ? 'collecting metrics' : 'collecting metrics: this instance’s share of the clusters');
  return {
    scheduler,
    async stop() {
      scheduler.stop();
      await runner.stop();
      // The collections in flight have ended: their states are stored, so a restart resumes from them.
      await store.flush().catch((error: unknown) => logger.warn({ err: error }, 'could not store the collection state on stop'));
      await collector.close();
    },
  };
}

/** The maintenance jobs alone, on a runner of their own: in shards mode, on the instance that holds the collection lease. */
export function startMaintenance(deps: CollectionDeps): { stop(): Promise<void> } {
  const runner = new JobRunner({ clock: deps.clock, logger: deps.logger });
  addMaintenanceJobs(runner, deps);
  deps.logger.info('running the maintenance: roll-ups, retention, tier back-fill, trend blocks and tier blocks');
  return { stop: () => runner.stop() };
}

/** The jobs that keep the stored data in shape, run by one instance of those sharing a database. */
function addMaintenanceJobs(runner: JobRunner, deps: CollectionDeps): void {
  const { metrics, logger } = deps;
  const intervalMs = metrics.interval_secs * 1000;
  const maintenanceWriter = deps.storage.snapshotWriter(SNAPSHOT_FIELDS);
  const clusterIds = async () => (await deps.registry.list()).map((c) => c.id);
  addRollupAndRetentionJob(runner, {
    db: deps.storage.db,
    reader: deps.storage.reader,
    writer: maintenanceWriter,
    clusterIds,
    logger,
    settings: {
      timeZone: metrics.rollup_time_zone,
      retentionDays: metrics.retention_days,
      retention5mDays: metrics.retention_5m_days,
      retention1hDays: metrics.retention_1h_days,
      dailyRetentionDays: metrics.daily_retention_days,
      sweepEveryMs: Math.max(RETENTION_SWEEP_EVERY_MS, intervalMs),
    },
  });
  if (maintenanceWriter.gatherRawRows !== undefined) {
    addRawGatheringJob(runner, { db: deps.storage.db, gather: maintenanceWriter.gatherRawRows, clusterIds, retentionDays: metrics.retention_days }, logger);
  }
  addTrendBlockJob(runner, { db: deps.storage.db, reader: deps.storage.reader, fields: deps.trendFields, clusterIds, retentionDays: metrics.retention_days }, logger);
  const tierRetention = { '5m': metrics.retention_5m_days, '1h': metrics.retention_1h_days };
  addTierBlockJob(runner, { db: deps.storage.db, reader: deps.storage.reader, columns: deps.tierTrendColumns, clusterIds, retentionDays: tierRetention }, logger);
}

export interface MaintenanceSettings {
  readonly timeZone: string;
  readonly retentionDays: number;
  readonly retention5mDays: number;
  readonly retention1hDays: number;
  readonly dailyRetentionDays: number;
  /** How often the retention sweep runs. */
  readonly sweepEveryMs: number;
}

/**
 * Adds the job that keeps the tables in shape: first the tiers' back-fill of snapshots written
 * before they existed (after an upgrade; nothing otherwise), then the daily roll-up of the
 * 5-minute tier (at start-up, hourly and just after each day ends) with the daily retention,
 * then the retention sweep of snapshots and tiers (at start-up and every `sweepEveryMs`). In
 * that order whenever several are due; and the sweep itself keeps whatever has not been read
 * into the next table yet, should a step fail.
 */
export function addRollupAndRetentionJob(
  runner: JobRunner,
  deps: {
    readonly db: Kysely<Database>;
    /** Where the roll-up reads (`Storage.reader`); `db` when absent. */
    readonly reader?: Kysely<Database>;
    readonly writer: Pick<SnapshotWriter, 'backfillTiers'>;
    readonly clusterIds: () => Promise<number[]>;
    readonly logger: Logger;
    readonly settings: MaintenanceSettings;
  },
): Job {
  const { db, logger, settings } = deps;
  let backfilling = true;
  let rollupAt = runner.clock.now();
  let sweepAt = rollupAt;
  return runner.add(
    'daily roll-up and retention',
    async ({ now, signal, sleep }) => {
      if (backfilling) {
        const finished = await backfillTiers(db, deps.writer, signal);
        if (finished > 0) logger.info({ clusters: finished }, 'added snapshots from before the tiers to them');
        if (signal.aborted) return null;
        backfilling = false;
      }
      const at = now();
      const ids = await deps.clusterIds();
      if (at >= rollupAt) {
        const written = await backfillDailyRollups(db, ids, settings.timeZone, at, { dailyRetentionDays: settings.dailyRetentionDays, signal, reader: deps.reader ?? db });
        await applyDailyRetention(db, settings.dailyRetentionDays, settings.timeZone, at);
        if (written > 0) logger.info({ days: written, time_zone: settings.timeZone }, 'rolled up daily rows');
        if (signal.aborted) return null;
        rollupAt = nextRollupAt(at, settings.timeZone);
      }
      if (at >= sweepAt) {
        const deleted = await applyRetention(db, ids, at, { ...settings, sleep, signal });
        if (deleted.snapshots + deleted.buckets5m + deleted.buckets1h + deleted.blocks + deleted.tierBlocks > 0) logger.info({ deleted }, 'deleted rows past retention');
        sweepAt = at + settings.sweepEveryMs;
      }
      return Math.min(rollupAt, sweepAt);
    },
    { retryMs: settings.sweepEveryMs },
  );
}

/** Adds the job that gathers each closed hour of raw snapshots (raw-gathering.ts): at start-up, then once an hour. */
export function addRawGatheringJob(runner: JobRunner, deps: Omit<GatheringDeps, 'signal'>, logger: Logger): Job {
  return runner.add(
    'raw row gathering',
    async ({ now, signal }) => {
      const at = now();
      const started = performance.now();
      const done = await gatherClosedHours({ ...deps, signal }, at);
      if (done.hours > 0) logger.info({ hours: done.hours, rows: done.rows, ms: Math.round(performance.now() - started) }, 'gathered raw snapshots by cluster');
      return signal.aborted ? null : nextGatheringAt(at);
    },
    { retryMs: 10 * 60_000 },
  );
}

/** Adds the job that packs each closed hour of every cluster's trend fields into a block (trend-blocks.ts): at start-up, then once an hour. */
export function addTrendBlockJob(runner: JobRunner, deps: Omit<TrendBlockDeps, 'signal'>, logger: Logger): Job {
  return runner.add(
    'trend blocks',
    async ({ now, signal }) => {
      const at = now();
      const started = performance.now();
      const done = await buildClosedHourBlocks({ ...deps, signal }, at);
      if (done.hours > 0) logger.info({ hours: done.hours, blocks: done.blocks, ms: Math.round(performance.now() - started) }, 'packed closed hours into trend blocks');
      return signal.aborted ? null : nextBlocksAt(at);
    },
    { retryMs: 10 * 60_000 },
  );
}

/** While an upgrade's back-fill fills the tiers, how often the tier-block job looks whether it has finished. */
export const TIER_BLOCKS_BACKFILL_CHECK_MS = 10 * 60_000;

/**
 * Adds the job that packs each closed UTC day of every cluster's tier buckets into a block
 * (tier-blocks.ts): at start-up, then once a day, just after the day's last collections; every
 * TIER_BLOCKS_BACKFILL_CHECK_MS instead while an upgrade's back-fill holds it back.
 */
export function addTierBlockJob(runner: JobRunner, deps: Omit<TierBlockDeps, 'signal'>, logger: Logger): Job {
  return runner.add(
    'tier blocks',
    async ({ now, signal }) => {
      const at = now();
      const started = performance.now();
      const done = await buildClosedDayTierBlocks({ ...deps, signal }, at);
      if (done.days > 0) logger.info({ days: done.days, blocks: done.blocks, ms: Math.round(performance.now() - started) }, 'packed closed days of the tiers into tier blocks');
      if (signal.aborted) return null;
      return done.backfilling ? at + TIER_BLOCKS_BACKFILL_CHECK_MS : nextTierBlocksAt(at);
    },
    { retryMs: 10 * 60_000 },
  );
}
