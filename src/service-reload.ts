/**
 * How the running service follows a configuration reload (config-reloader.ts): the parts that
 * read reloadable keys at each use see them through views over the configuration in effect,
 * and the parts that hold them (the logger, the allowed targets, the running collection) are
 * reload participants. A part added later (alert rules) adds its own participant.
 */
import type { Logger } from 'pino';
import type { MetricsSettings } from './api/stored-data-deps.js';
import type { LoginLimits } from './auth/login-limiter.js';
import type { ConfigReloader, ReloadParticipant } from './config/config-reloader.js';
import { type Config, effectiveSources, type ScrapeLimits } from './config/schema.js';
import type { CollectionSeat } from './collector/collection-standby.js';
import type { TargetPolicy } from './security/allowed-targets.js';

/** The [metrics] settings the API follows, read from the configuration in effect at each use. */
export function liveMetricsSettings(config: () => Config): MetricsSettings {
  return {
    get intervalSecs() {
      return config().metrics.interval_secs;
    },
    get retentionDays() {
      return config().metrics.retention_days;
    },
    get retention5mDays() {
      return config().metrics.retention_5m_days;
    },
    get retention1hDays() {
      return config().metrics.retention_1h_days;
    },
    get rollupTimeZone() {
      return config().metrics.rollup_time_zone;
    },
    get sources() {
      return effectiveSources(config().metrics);
    },
  };
}

/** `[limits]` read from the configuration in effect at each use (the connection tests build a client per test). */
export function liveLimits(config: () => Config): ScrapeLimits {
  const view = {};
  for (const key of Object.keys(config().limits)) {
    Object.defineProperty(view, key, { enumerable: true, get: () => config().limits[key as keyof ScrapeLimits] });
  }
  return view as ScrapeLimits;
}

/** `[auth]` login limits read from the configuration in effect at each check. */
export function liveLoginLimits(config: () => Config): LoginLimits {
  return {
    get failuresPerAccount() {
      return config().auth.login_failures_per_account;
    },
    get failuresPerAddress() {
      return config().auth.login_failures_per_address;
    },
    get lockoutMs() {
      return config().auth.lockout * 1000;
    },
  };
}

/** Keys whose change restarts the collection: what the scheduler, the collector and the maintenance jobs are built with. */
const COLLECTION_KEY = /^(metrics|limits)\./;

/** The participants of the service as it is built today: log level, allowed targets, collection. */
export function addServiceParticipants(
  reloader: ConfigReloader,
  parts: { readonly logger: Logger; readonly targets: TargetPolicy; readonly collection: () => CollectionSeat | null },
): void {
  const participants: ReloadParticipant[] = [
    {
      name: 'log level',
      apply: (next, changed) => {
        if (changed.has('log.level')) parts.logger.level = next.log.level;
      },
    },
    {
      name: 'allowed targets',
      apply: (next, changed) => {
        if (changed.has('security.allowed_targets')) parts.targets.replace(next.security.allowed_targets);
      },
    },
    {
      // A standby has nothing to restart: it starts with the configuration in effect when it takes over.
      name: 'collection',
      apply: async (_next, changed) => {
        if ([...changed].some((key) => COLLECTION_KEY.test(key))) await parts.collection()?.restart();
      },
    },
  ];
  for (const participant of participants) reloader.add(participant);
}
