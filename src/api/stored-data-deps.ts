/**
 * What the routes that read stored data (overview, fleet, export, node lists) are given: the
 * database (the collection state included), the registry, the [metrics] settings they follow and the clock.
 */
import type { Kysely } from 'kysely';
import type { OptionalSource } from '../config/schema.js';
import { effectiveIntervalMs } from '../collector/schedule.js';
import type { CustomMetricSet } from '../collector/custom-metric-set.js';
import type { ClusterRegistry } from '../registry/cluster-registry.js';
import type { FieldCatalogue } from '../shared/snapshot-fields.js';
import type { Database } from '../storage/database.js';

/** The [metrics] keys the API follows. */
export interface MetricsSettings {
  /** `metrics.interval_secs`: the step of trend buckets and how old a snapshot may be. */
  readonly intervalSecs: number;
  /** `metrics.retention_days`, `retention_5m_days`, `retention_1h_days`: which table still holds a window. */
  readonly retentionDays: number;
  readonly retention5mDays: number;
  readonly retention1hDays: number;
  /** `metrics.rollup_time_zone`: whose calendar days the daily rows are. */
  readonly rollupTimeZone: string;
  /** The optional sources in effect (`effectiveSources`): what a connection test checks besides the always-read ones. */
  readonly sources: ReadonlySet<OptionalSource>;
}

/** The shipped defaults of those keys (conf/config.toml). */
export const DEFAULT_METRICS_SETTINGS: MetricsSettings = {
  intervalSecs: 30,
  retentionDays: 7,
  retention5mDays: 35,
  retention1hDays: 400,
  rollupTimeZone: 'UTC',
  sources: new Set(['follower_metrics']),
};

export interface StoredDataDeps {
  /** Reads only, off the event loop where the engine allows it (`Storage.reader`). */
  readonly db: Kysely<Database>;
  /**
   * A row or a few found by key (a cluster's latest snapshot, its nodes, its collection state):
   * on SQLite the main connection (`Storage.db`), where such a read costs microseconds, less
   * than the hand-over to a read thread and back; on PostgreSQL the same pool as `db`.
   */
  readonly keyed: Kysely<Database>;
  /** `Storage.changeCount`: moves with every write of this process, so a kept read knows it is still exact. */
  readonly changeCount: () => number;
  /** The fields stored rows have (the built-in catalogue unless a test adds one). */
  readonly fields: FieldCatalogue;
  /** The custom metrics in effect: the names the overview and the export serve from `custom_values`. */
  readonly customMetrics: CustomMetricSet;
  readonly registry: ClusterRegistry;
  readonly settings: MetricsSettings;
  readonly now: () => number;
}

/** A cluster's own collection interval in ms (its collect_interval, in whole global intervals). */
export function clusterIntervalMs(settings: MetricsSettings, collectInterval: number | null): number {
  return effectiveIntervalMs(settings.intervalSecs * 1000, collectInterval);
}
