/**
 * The snapshot write on SQLite: two statements prepared once per catalogue and run in one
 * synchronous better-sqlite3 transaction. It holds Kysely's connection while it runs, so it
 * never lands inside a transaction the query builder has open on the same connection.
 */
import type BetterSqlite3 from 'better-sqlite3';
import type { Kysely } from 'kysely';
import type { FieldCatalogue } from '../../../shared/snapshot-fields.js';
import type { Database } from '../../database.js';
import { metaValues, SNAPSHOT_META_COLUMNS, type SnapshotRecord, type SnapshotWriter } from '../../snapshot-writer.js';

const LISTS = ['frontends', 'backends', 'compute_nodes'] as const;

export function sqliteSnapshotWriter(sqlite: BetterSqlite3.Database, db: Kysely<Database>, fields: FieldCatalogue): SnapshotWriter {
  const columns = [...SNAPSHOT_META_COLUMNS, ...fields.map((f) => f.name)];
  const insert = sqlite.prepare(
    `insert into metrics_snapshots (${columns.map((c) => `"${c}"`).join(', ')}) values (${columns.map(() => '?').join(', ')}) on conflict (cluster_id, collected_at) do nothing`,
  );
  // A list bound as null keeps what is stored, and its time.
  const upsertNodes = sqlite.prepare(
    `insert into cluster_nodes (cluster_id, ${LISTS.flatMap((l) => [l, `${l}_at`]).join(', ')}) values (?, ?, ?, ?, ?, ?, ?) ` +
      `on conflict (cluster_id) do update set ${LISTS.flatMap((l) => [`${l} = coalesce(excluded.${l}, ${l})`, `${l}_at = case when excluded.${l} is null then ${l}_at else excluded.${l}_at end`]).join(', ')}`,
  );
  const names = fields.map((f) => f.name);
  const write = sqlite.transaction((r: SnapshotRecord): boolean => {
    const written = insert.run([...metaValues(r), ...names.map((n) => r.values[n] ?? null)]).changes > 0;
    const { frontends, backends, computeNodes, at } = r.nodes;
    if (frontends !== null || backends !== null || computeNodes !== null) {
      upsertNodes.run([r.clusterId, frontends, frontends === null ? null : at, backends, backends === null ? null : at, computeNodes, computeNodes === null ? null : at]);
    }
    return written;
  });
  return { write: (record) => db.connection().execute(() => Promise.resolve(write(record))) };
}
