/**
 * Alerting on the collection's job runner, as the service starts it on the collecting instance:
 * the evaluator told of each stored collection, and the notifier job that sends what it stored,
 * woken as soon as an evaluation stores an event. Writes are fenced by the collection lease where
 * one elects the collector, as the snapshots are: a deposed leader stores no alert either.
 */
import type { Logger } from 'pino';
import type { CollectionObserver } from '../collector/collector.js';
import type { JobRunner } from '../collector/job-runner.js';
import type { ClusterRegistry } from '../registry/cluster-registry.js';
import type { Storage } from '../storage/dialect/dialect.js';
import { AlertEvaluator } from './alert-evaluator.js';
import { type AlertDestinations, AlertNotifier, channelsOf } from './alert-notifier.js';
import type { AlertRuleBook } from './alert-rule-book.js';

export interface AlertingDeps {
  readonly storage: Pick<Storage, 'db' | 'collectionLease'>;
  readonly registry: ClusterRegistry;
  readonly logger: Logger;
  readonly rules: AlertRuleBook;
  /** `[alerts] alertmanager_url` and the alerts file's webhooks, as configured now (a reload changes them). */
  readonly destinations: () => AlertDestinations;
  /** `[metrics] interval_secs` in ms. */
  readonly intervalMs: number;
  /** Stellar's /metrics: rules evaluated, failed notification attempts by channel. */
  readonly telemetry?: { alertsEvaluated(rules: number): void; notificationFailed(channel: string): void };
}

/** Adds the notifier job to `runner`; gives the evaluator, to be told of each stored collection. */
export function startAlerting(runner: JobRunner, deps: AlertingDeps): CollectionObserver {
  const { storage, logger, telemetry } = deps;
  const lease = storage.collectionLease;
  const notifier = new AlertNotifier({
    db: storage.db,
    logger,
    destinations: deps.destinations,
    intervalMs: deps.intervalMs,
    ...(telemetry ? { failed: (channel: string) => telemetry.notificationFailed(channel) } : {}),
  });
  const job = runner.add('alert notifications', ({ now }) => notifier.run(now()), { retryMs: 10_000 });
  return new AlertEvaluator({
    db: storage.db,
    registry: deps.registry,
    rules: deps.rules,
    logger,
    intervalMs: deps.intervalMs,
    channels: () => {
      const { alertmanagerUrl, webhooks } = deps.destinations();
      return channelsOf(alertmanagerUrl, webhooks);
    },
    now: () => runner.clock.now(),
    track: (task) => runner.track(task),
    ...(lease === undefined ? {} : { beforeWrite: (trx) => lease.checkFence(trx) }),
    evaluated: (rules, events) => {
      telemetry?.alertsEvaluated(rules);
      if (events > 0) job.runBy(runner.clock.now());
    },
  });
}
