/**
 * The collector's snapshot: its collection metadata and the index that reads a cluster's
 * rows in time order. The field columns (one per entry of src/shared/snapshot-fields.ts) were
 * listed here when this migration was written; they now come from the catalogue itself
 * (storage/field-columns.ts adds any missing one at every start), so a database that ran the
 * old list and a new one end with the same columns.
 */
import type { Kysely, Migration } from 'kysely';

type Column = readonly [name: string, type: 'bigint' | 'text'];

const COLUMNS: readonly Column[] = [
  ['collect_status', 'text'],
  ['collect_duration_ms', 'bigint'],
  ['failed_sources', 'text'],
  ['frontends_scraped', 'bigint'],
];

export const snapshotFields: Migration = {
  async up(db: Kysely<any>) {
    for (const [name, type] of COLUMNS) await db.schema.alterTable('metrics_snapshots').addColumn(name, type).execute();
    await db.schema.createIndex('metrics_snapshots_cluster_time').on('metrics_snapshots').columns(['cluster_id', 'collected_at']).execute();
  },
  async down(db: Kysely<any>) {
    await db.schema.dropIndex('metrics_snapshots_cluster_time').execute();
    for (const [name] of [...COLUMNS].reverse()) await db.schema.alterTable('metrics_snapshots').dropColumn(name).execute();
  },
};
