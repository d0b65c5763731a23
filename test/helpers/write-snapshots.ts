/**
 * Snapshot rows written the way the collector writes them (the storage's SnapshotWriter: the
 * row and its figures in every tier, at once), for tests that need stored data without a
 * collection.
 */
import type { FieldValue } from '../../src/shared/fields/field-spec.js';
import { type CollectStatus, SNAPSHOT_FIELDS } from '../../src/shared/snapshot-fields.js';
import type { Storage } from '../../src/storage/dialect/dialect.js';
import type { SnapshotWriter } from '../../src/storage/snapshot-writer.js';

export interface StoredSnapshot {
  readonly cluster_id: number;
  readonly collected_at: number;
  readonly collect_status?: CollectStatus | null;
  readonly collect_duration_ms?: number | null;
  readonly failed_sources?: string | null;
  readonly frontends_scraped?: number | null;
  /** The custom metrics' values, JSON `{name: number | null}`. */
  readonly custom_values?: string | null;
  readonly [field: string]: FieldValue | undefined;
}

const writers = new WeakMap<Storage, SnapshotWriter>();

/** Writes each row (its fields; the others null); true for each that was new. A test may bring a writer of its own (a restarted process's). */
export async function writeSnapshots(storage: Storage, rows: readonly StoredSnapshot[], own?: SnapshotWriter): Promise<boolean[]> {
  let writer = own ?? writers.get(storage);
  if (!writer) {
    writer = storage.snapshotWriter(SNAPSHOT_FIELDS);
    writers.set(storage, writer);
  }
  const written: boolean[] = [];
  for (const row of rows) {
    const at = row.collected_at;
    written.push(
      await writer.write({
        clusterId: row.cluster_id,
        collectedAt: at,
        status: row.collect_status ?? 'ok',
        durationMs: row.collect_duration_ms ?? 0,
        failedSources: row.failed_sources ?? '[]',
        frontendsScraped: row.frontends_scraped ?? 0,
        customValues: row.custom_values ?? null,
        values: row as Readonly<Record<string, FieldValue>>,
        nodes: { at, frontends: null, backends: null, computeNodes: null },
      }),
    );
  }
  return written;
}
