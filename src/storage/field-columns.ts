/**
 * The snapshot, daily and tier tables have one column per catalogue field (and per daily or
 * tier aggregate of it). Those columns are the catalogue's, not a migration's: at every start the missing ones
 * are added, so adding a field to the catalogue is all it takes. A column whose field left the
 * catalogue is kept (never drop data on a code change) and reported as extra.
 */
import type { Kysely } from 'kysely';
import { dailyColumnsOf } from '../shared/daily-fields.js';
import { type ColumnType, type FieldCatalogue, SNAPSHOT_FIELDS } from '../shared/snapshot-fields.js';
import { tierColumnsOf } from '../shared/tier-fields.js';
import type { Database } from './database.js';
import type { StorageDialect } from './dialect/dialect.js';

/** Columns each table has for itself, whatever the catalogue. */
const TIER_OWN = ['cluster_id', 'bucket_start', 'samples', 'reachable_samples', 'custom_figures'] as const;
const OWN_COLUMNS = {
  metrics_snapshots: ['id', 'cluster_id', 'collected_at', 'collect_status', 'collect_duration_ms', 'failed_sources', 'frontends_scraped', 'slot_at', 'custom_values'],
  daily_snapshots: ['id', 'cluster_id', 'snapshot_date', 'updated_at', 'custom_figures'],
  metrics_5m: TIER_OWN,
  metrics_1h: TIER_OWN,
} as const;

export type FieldTable = keyof typeof OWN_COLUMNS;

interface WantedColumn {
  readonly name: string;
  readonly column: ColumnType;
}

export function wantedColumns(fields: FieldCatalogue): Record<FieldTable, readonly WantedColumn[]> {
  const tiers = tierColumnsOf(fields);
  return {
    metrics_snapshots: fields.map((f) => ({ name: f.name, column: f.column })),
    daily_snapshots: dailyColumnsOf(fields),
    metrics_5m: tiers,
    metrics_1h: tiers,
  };
}

export interface ColumnDrift {
  readonly table: FieldTable;
  /** Catalogue columns the table lacks. */
  readonly missing: readonly WantedColumn[];
  /** Columns the table has that neither it nor the catalogue names. */
  readonly extra: readonly string[];
}

/** How the tables differ from the catalogue; tables that do not exist yet are left out. */
export async function fieldColumnDrift(db: Kysely<Database>, fields: FieldCatalogue = SNAPSHOT_FIELDS): Promise<ColumnDrift[]> {
  const tables = await db.introspection.getTables();
  const wanted = wantedColumns(fields);
  const drift: ColumnDrift[] = [];
  for (const table of Object.keys(OWN_COLUMNS) as FieldTable[]) {
    const found = tables.find((t) => t.name === table);
    if (!found) continue;
    const present = new Set(found.columns.map((c) => c.name));
    const known = new Set<string>([...OWN_COLUMNS[table], ...wanted[table].map((c) => c.name)]);
    drift.push({ table, missing: wanted[table].filter((c) => !present.has(c.name)), extra: [...present].filter((c) => !known.has(c)) });
  }
  return drift;
}

/**
 * Adds every missing catalogue column (nullable); returns them as `table.column`. A first start
 * adds hundreds: all in one transaction, and in one ALTER TABLE per table where the dialect
 * takes several columns at once (SQLite adds one per statement).
 */
export async function addMissingFieldColumns(db: Kysely<Database>, dialect: StorageDialect, fields: FieldCatalogue = SNAPSHOT_FIELDS): Promise<string[]> {
  const added: string[] = [];
  const drift = await fieldColumnDrift(db, fields);
  await db.transaction().execute(async (trx) => {
    for (const { table, missing } of drift) {
      const batches = dialect.addsManyColumnsAtOnce ? [missing] : missing.map((c) => [c]);
      for (const batch of batches) {
        const [first, ...rest] = batch;
        if (first === undefined) continue;
        let alter = trx.schema.alterTable(table).addColumn(first.name, first.column);
        for (const c of rest) alter = alter.addColumn(c.name, c.column);
        await alter.execute();
        added.push(...batch.map((c) => `${table}.${c.name}`));
      }
    }
  });
  return added;
}

/**
 * Indexes over catalogue columns, so made here after them rather than by a migration. The
 * fleet's QPS sparklines read two hours of the 5-minute tier for every cluster at once; from
 * the table itself that is a 4 KiB page per three or four buckets (a tier row holds every
 * field's sum, n, min and max), so 1,000 clusters cost thousands of pages. This index holds just
 * the key and the QPS sum and count: a few hundred pages.
 */
const FIELD_INDEXES = [{ name: 'metrics_5m_qps', table: 'metrics_5m', columns: ['cluster_id', 'bucket_start', 'sum_qps', 'n_qps'] }] as const;

/** Creates the field indexes not there yet whose columns all exist (a test's catalogue may lack the field). */
export async function addFieldIndexes(db: Kysely<Database>): Promise<void> {
  const tables = await db.introspection.getTables();
  for (const index of FIELD_INDEXES) {
    const table = tables.find((t) => t.name === index.table);
    const present = new Set(table?.columns.map((c) => c.name));
    if (!index.columns.every((c) => present.has(c))) continue;
    await db.schema.createIndex(index.name).ifNotExists().on(index.table).columns([...index.columns]).execute();
  }
}
