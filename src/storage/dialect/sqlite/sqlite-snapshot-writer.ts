/**
 * The snapshot write on SQLite: statements prepared once per catalogue and run in one
 * synchronous better-sqlite3 transaction: the row, its figures added to each tier's bucket
 * (only when the row is new, so a retried write never counts twice), and the node lists. It
 * holds Kysely's connection while it runs, so it never lands inside a transaction the query
 * builder has open on the same connection.
 */
import type BetterSqlite3 from 'better-sqlite3';
import type { Kysely } from 'kysely';
import type { FieldCatalogue } from '../../../shared/snapshot-fields.js';
import { customFiguresByBucket, customFiguresJson, snapshotCustomFigures } from '../../../shared/custom-figures.js';
import { bucketStart, type TierColumnSpec, tierColumnsOf, TIERS } from '../../../shared/tier-fields.js';
import type { Database } from '../../database.js';
import { metaValues, type SnapshotRecord, type SnapshotWriter, WRITTEN_META_COLUMNS } from '../../snapshot-writer.js';
import { tierBackfillSql, tierCustomFiguresSql, tierUpsertSql } from './sqlite-tier-sql.js';

const LISTS = ['frontends', 'backends', 'compute_nodes'] as const;

export function sqliteSnapshotWriter(sqlite: BetterSqlite3.Database, db: Kysely<Database>, fields: FieldCatalogue): SnapshotWriter {
  const columns = [...WRITTEN_META_COLUMNS, ...fields.map((f) => f.name)];
  const insert = sqlite.prepare(
    `insert into metrics_snapshots (${columns.map((c) => `"${c}"`).join(', ')}) values (${columns.map(() => '?').join(', ')}) on conflict do nothing`,
  );
  // A list bound as null keeps what is stored, and its time.
  const upsertNodes = sqlite.prepare(
    `insert into cluster_nodes (cluster_id, ${LISTS.flatMap((l) => [l, `${l}_at`]).join(', ')}) values (?, ?, ?, ?, ?, ?, ?) ` +
      `on conflict (cluster_id) do update set ${LISTS.flatMap((l) => [`${l} = coalesce(excluded.${l}, ${l})`, `${l}_at = case when excluded.${l} is null then ${l}_at else excluded.${l}_at end`]).join(', ')}`,
  );
  const names = fields.map((f) => f.name);
  const tierColumns = tierColumnsOf(fields);
  const tiers = TIERS.map((tier) => ({ tier, upsert: sqlite.prepare(tierUpsertSql(tier.table, tierColumns)) }));
  const write = sqlite.transaction((r: SnapshotRecord): boolean => {
    const written = insert.run([...metaValues(r), ...names.map((n) => r.values[n] ?? null)]).changes > 0;
    if (written) {
      const figures = tierFigures(tierColumns, r.values);
      const reachable = r.status === 'failed' ? 0 : 1;
      const custom = snapshotCustomFigures(r.customValues);
      for (const { tier, upsert } of tiers) upsert.run([r.clusterId, bucketStart(tier, r.collectedAt), 1, reachable, ...figures, custom]);
    }
    const { frontends, backends, computeNodes, at } = r.nodes;
    if (frontends !== null || backends !== null || computeNodes !== null) {
      upsertNodes.run([r.clusterId, frontends, frontends === null ? null : at, backends, backends === null ? null : at, computeNodes, computeNodes === null ? null : at]);
    }
    return written;
  });
  const backfills = TIERS.map((tier) => sqlite.prepare(tierBackfillSql(tier.table, tier.widthMs, tierColumns)));
  // Custom values are JSON, which the back-fill's SQL does not aggregate: their figures are worked out here, per bucket.
  const customValues = sqlite.prepare('select collected_at, custom_values from metrics_snapshots where cluster_id = ? and collected_at >= ? and collected_at < ? and custom_values is not null');
  const customBackfills = TIERS.map((tier) => ({ tier, add: sqlite.prepare(tierCustomFiguresSql(tier.table)) }));
  const progress = sqlite.prepare('update tier_backfill set done_until = ? where cluster_id = ?');
  const backfill = sqlite.transaction((clusterId: number, from: number, to: number) => {
    for (const statement of backfills) statement.run([clusterId, from, to]);
    const rows = customValues.all([clusterId, from, to]) as { collected_at: number; custom_values: string | null }[];
    for (const { tier, add } of customBackfills) {
      for (const [bucket, figures] of customFiguresByBucket(rows, (at) => bucketStart(tier, at))) {
        const json = customFiguresJson(figures);
        if (json !== null) add.run([clusterId, bucket, json]);
      }
    }
    progress.run([to, clusterId]);
  });
  const gather = rawGathering(sqlite);
  return {
    write: (record) => db.connection().execute(() => Promise.resolve(write(record))),
    backfillTiers: (clusterId, from, to) => db.connection().execute(() => Promise.resolve(backfill(clusterId, from, to))),
    gatherRawRows: (clusterId, from, to) => db.connection().execute(() => Promise.resolve(gather(clusterId, from, to))),
  };
}

/**
 * Gathering as SQL that never brings a row into JavaScript: the rows go to a temporary table
 * (this connection's own), out of the table, and back ordered by cluster and time with new ids,
 * which SQLite appends to the table's last pages. Every column but the id, whatever the
 * catalogue: a column a later version no longer writes keeps its values too.
 */
function rawGathering(sqlite: BetterSqlite3.Database): (clusterIds: readonly number[], from: number, to: number) => number {
  const columns = (sqlite.prepare('select name from pragma_table_info(?)').pluck().all('metrics_snapshots') as string[])
    .filter((c) => c !== 'id')
    .map((c) => `"${c}"`)
    .join(', ');
  // Made anew for each writer: the columns are those of the table now, after the migrations.
  sqlite.exec(`drop table if exists temp.gathered_snapshots; create temp table gathered_snapshots as select ${columns} from main.metrics_snapshots where 0`);
  // The clusters as a JSON array: one statement whatever their number.
  const range = 'cluster_id in (select value from json_each(?)) and collected_at >= ? and collected_at < ?';
  const copy = sqlite.prepare(`insert into temp.gathered_snapshots (${columns}) select ${columns} from main.metrics_snapshots where ${range}`);
  const remove = sqlite.prepare(`delete from main.metrics_snapshots where ${range}`);
  const restore = sqlite.prepare(`insert into main.metrics_snapshots (${columns}) select ${columns} from temp.gathered_snapshots order by cluster_id, collected_at`);
  const clear = sqlite.prepare('delete from temp.gathered_snapshots');
  const gather = sqlite.transaction((clusters: string, from: number, to: number): number => {
    const moved = copy.run([clusters, from, to]).changes;
    if (moved > 0) {
      remove.run([clusters, from, to]);
      restore.run();
      clear.run();
    }
    return moved;
  });
  return (clusterIds, from, to) => gather(JSON.stringify(clusterIds), from, to);
}

/** One snapshot's contribution to a bucket, column by column: its value as sum, minimum and maximum, and 1 (or 0 without a value) as count. */
function tierFigures(columns: readonly TierColumnSpec[], values: SnapshotRecord['values']): (number | null)[] {
  return columns.map((c) => {
    const raw = values[c.field];
    const value = typeof raw === 'number' && !Number.isNaN(raw) ? raw : null;
    return c.aggregate === 'n' ? (value === null ? 0 : 1) : value;
  });
}
