/**
 * The collector's write: one snapshot row and the node lists it was built from, together or
 * not at all. It runs for every cluster every interval, so each dialect writes it with
 * statements prepared once (dialect/<engine>/), not through the query builder: at fleet scale
 * that was most of a collection's database cost.
 */
import type { FieldValue } from '../shared/fields/field-spec.js';
import type { CollectStatus } from '../shared/snapshot-fields.js';
import type { CollectedNodeLists } from './repos/nodes.repo.js';

export interface SnapshotRecord {
  readonly clusterId: number;
  readonly collectedAt: number;
  readonly status: CollectStatus;
  readonly durationMs: number;
  /** JSON `[{source, kind, message}]`. */
  readonly failedSources: string;
  readonly frontendsScraped: number;
  /**
   * The slot a scheduled collection was made for (collector/schedule.ts slotStartMs): a second
   * row of the cluster for the same slot is refused. Absent for a one-off collection.
   */
  readonly slotAt?: number | null;
  /**
   * The custom metrics' values as a JSON object, name → number or null (collector/custom-collection.ts);
   * null when none is defined. One column for all of them: defining one takes no schema change.
   */
  readonly customValues?: string | null;
  /** Every field of the writer's catalogue. */
  readonly values: Readonly<Record<string, FieldValue>>;
  /** The lists to store; one left null keeps its stored value and time. */
  readonly nodes: CollectedNodeLists;
}

export interface SnapshotWriter {
  /**
   * Stores the row, adds its figures to each tier's bucket and stores the lists. True when the
   * row was written; false when this cluster already has a row at that instant or for that slot
   * (the tiers are left as they are, the lists are still stored).
   */
  write(record: SnapshotRecord): Promise<boolean>;
  /**
   * Adds the cluster's stored snapshots of `[from, to)` to the tiers, and records in
   * tier_backfill that those before `to` are in: one transaction. For snapshots written before
   * the tiers existed, oldest first. Their custom values go in too, whether or not a custom
   * metric is in effect now: one defined later still finds its history in the tiers.
   */
  backfillTiers(clusterId: number, from: number, to: number): Promise<void>;
  /**
   * Rewrites the given clusters' rows of `[from, to)` at the end of the table, each cluster's
   * together and in time order, in one transaction, values unchanged; returns how many. Present
   * where the engine lays rows out in the order they were inserted (SQLite): the collector writes
   * every cluster at one instant, then the next, so one cluster's day lies on thousands of pages,
   * one row on each; gathered, a day of it is read from a few hundred (collector/raw-gathering.ts).
   * Clusters written side by side share pages: gathered together, each page is rewritten once.
   */
  readonly gatherRawRows?: (clusterIds: readonly number[], from: number, to: number) => Promise<number>;
}

/** The snapshot row's own columns, before the catalogue's, in the order writers bind them. */
export const SNAPSHOT_META_COLUMNS = ['cluster_id', 'collected_at', 'collect_status', 'collect_duration_ms', 'failed_sources', 'frontends_scraped'] as const;

/** What the writers bind: the meta columns, then the slot and the custom values, then the catalogue's fields. */
export const WRITTEN_META_COLUMNS = [...SNAPSHOT_META_COLUMNS, 'slot_at', 'custom_values'] as const;

export function metaValues(r: SnapshotRecord): unknown[] {
  return [r.clusterId, r.collectedAt, r.status, Math.round(r.durationMs), r.failedSources, r.frontendsScraped, r.slotAt ?? null, r.customValues ?? null];
}
