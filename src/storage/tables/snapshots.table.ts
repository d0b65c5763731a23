import type { Generated } from 'kysely';

/**
 * One row per cluster per collection cycle. The metric columns are added by the collector's
 * migrations, one nullable column per field (`addColumn('qps', 'double precision')`), so a
 * new field is a one-line migration plus its line here.
 */
export interface MetricsSnapshotsTable {
  id: Generated<number>;
  cluster_id: number;
  /** Epoch milliseconds (UTC); unique per cluster. */
  collected_at: number;
}

/** One row per cluster per calendar day, rolled up from metrics_snapshots. */
export interface DailySnapshotsTable {
  id: Generated<number>;
  cluster_id: number;
  /** The day as YYYY-MM-DD in the roll-up time zone; unique per cluster. */
  snapshot_date: string;
  /** Epoch milliseconds of the last roll-up of this day. */
  updated_at: number;
}
