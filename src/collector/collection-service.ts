/**
 * Collection as the service runs it: the scheduler over every registered cluster; the
 * retention sweep once per interval (at most once a minute); the daily roll-up back-fill and
 * its retention at start-up and every hour. Started once per process when `metrics.enabled`.
 */
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { Config } from '../config/schema.js';
import type { ClusterRegistry } from '../registry/cluster-registry.js';
import type { Database } from '../storage/database.js';
import { Collector, collectorOptionsFrom } from './collector.js';
import { applyDailyRetention, backfillDailyRollups } from './daily-job.js';
import { applyRetention } from './retention.js';
import { CollectionScheduler } from './scheduler.js';

export interface RunningCollection {
  readonly scheduler: CollectionScheduler;
  stop(): Promise<void>;
}

export function startCollection(deps: {
  readonly db: Kysely<Database>;
  readonly registry: ClusterRegistry;
  readonly logger: Logger;
  readonly metrics: Config['metrics'];
  readonly now: () => number;
}): RunningCollection {
  const { metrics, logger } = deps;
  const intervalMs = metrics.interval_secs * 1000;
  const collector = new Collector({
    db: deps.db,
    registry: deps.registry,
    logger,
    now: deps.now,
    options: collectorOptionsFrom(metrics),
  });
  const scheduler = new CollectionScheduler(
    { collector, registry: deps.registry, logger, now: deps.now },
    { intervalMs, maxConcurrency: metrics.max_concurrency, backoff: { factor: 2, maxIntervals: metrics.backoff_max_intervals } },
  );
  let sweeping: Promise<void> = Promise.resolve();
  const sweep = (): void => {
    sweeping = applyRetention(deps.db, deps.now(), { retentionDays: metrics.retention_days }).then(
      (deleted) => {
        if (deleted > 0) logger.info({ deleted, retention_days: metrics.retention_days }, 'deleted snapshots past retention');
      },
      (error: unknown) => logger.error({ err: error }, 'retention sweep failed'),
    );
  };
  let rolling: Promise<void> = Promise.resolve();
  const rollUp = (): void => {
    rolling = (async () => {
      const ids = (await deps.registry.list()).map((c) => c.id);
      const written = await backfillDailyRollups(deps.db, ids, metrics.rollup_time_zone, deps.now());
      await applyDailyRetention(deps.db, metrics.daily_retention_days, metrics.rollup_time_zone, deps.now());
      if (written > 0) logger.info({ days: written, time_zone: metrics.rollup_time_zone }, 'rolled up daily rows');
    })().catch((error: unknown) => logger.error({ err: error }, 'daily roll-up failed'));
  };
  const timer = setInterval(sweep, Math.max(60_000, intervalMs));
  const rollupTimer = setInterval(rollUp, 3_600_000);
  scheduler.start();
  sweep();
  rollUp();
  logger.info({ interval_secs: metrics.interval_secs, max_concurrency: metrics.max_concurrency }, 'collecting metrics');
  return {
    scheduler,
    async stop() {
      clearInterval(timer);
      clearInterval(rollupTimer);
      await scheduler.stop();
      await sweeping;
      await rolling;
      await collector.close();
    },
  };
}
