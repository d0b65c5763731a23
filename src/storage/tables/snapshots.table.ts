import type { Generated } from 'kysely';
import type { DailyValues } from '../../shared/daily-fields.js';
import type { TierValues } from '../../shared/tier-fields.js';
import type { CollectStatus, SnapshotValues } from '../../shared/snapshot-fields.js';

/**
 * One row per cluster per collection cycle: collection metadata plus one nullable column per
 * field of `SNAPSHOT_FIELDS` (the field types come from the catalogue), so a new field is a
 * line in the catalogue and a one-line migration.
 */
export type MetricsSnapshotsTable = SnapshotValues & {
  id: Generated<number>;
  cluster_id: number;
  /** Epoch milliseconds (UTC); unique per cluster. */
  collected_at: number;
  collect_status: CollectStatus | null;
  collect_duration_ms: number | null;
  /** JSON `[{source, kind, message}]` of the sources that failed; `[]` when none did. */
  failed_sources: string | null;
  /** FEs whose `/metrics` answered. */
  frontends_scraped: number | null;
  /** The slot of a scheduled collection (its interval's start, epoch ms), unique per cluster; null for a one-off one. */
  slot_at: number | null;
  /** The custom metrics' values, JSON `{name: number | null}`; null when none was defined (migration 2026-12-03-060). */
  custom_values: string | null;
};

/** One row per cluster per calendar day, rolled up from metrics_snapshots (columns: DAILY_COLUMNS). */
export type DailySnapshotsTable = DailyValues & {
  id: Generated<number>;
  cluster_id: number;
  /** The day as YYYY-MM-DD in the roll-up time zone; unique per cluster. */
  snapshot_date: string;
  /** Epoch milliseconds of the last roll-up of this day. */
  updated_at: number;
  /** The custom metrics' figures of the day, JSON `{name: [sum, n, max]}` (shared/custom-figures.ts); null without any (migration 2026-12-03-110). */
  custom_figures: string | null;
};

/** One row per cluster per bucket of a tier (metrics_5m, metrics_1h): aggregates of the rows collected in it (columns: tierColumnsOf). */
export type TierRowTable = TierValues & {
  cluster_id: number;
  /** Epoch ms, a multiple of the tier's width. */
  bucket_start: number;
  /** Snapshot rows in the bucket, and those whose collection reached the cluster. */
  samples: number;
  reachable_samples: number;
  /** The custom metrics' figures of the bucket, JSON `{name: [sum, n, max]}` (shared/custom-figures.ts); null without any (migration 2026-12-03-110). */
  custom_figures: string | null;
};

/** One row per cluster per closed hour: its raw snapshots' trend fields, column by column (storage/trend-block.ts). */
export interface TierBlocksTable {
  cluster_id: number;
  /** The tier's name: '5m' or '1h' (shared/tier-fields.ts TIERS). */
  tier: string;
  /** Epoch ms of the UTC day's start. */
  day_start: number;
  /** Tier buckets in the block. */
  buckets: number;
  data: Uint8Array;
}

export interface TrendBlocksTable {
  cluster_id: number;
  /** Epoch ms of the hour's start. */
  hour_start: number;
  /** Snapshot rows in the block. */
  samples: number;
  data: Uint8Array;
}

/** Per cluster, the snapshots written before the tiers existed and how far they have been added to them. */
export interface TierBackfillTable {
  cluster_id: number;
  /** Snapshots collected before this instant predate the tiers. */
  before: number;
  /** Those collected before this instant are in the tiers. */
  done_until: number;
}
