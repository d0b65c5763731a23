/**
 * `stellar db copy`: every row of every table of one database into another, on either engine
 * (SQLite → PostgreSQL to move up, and back). The target is brought to this version's schema
 * first; the source must already be at it. The rows go in one transaction, so a copy that
 * fails leaves the target as it was; then each table is read back from both sides and compared
 * by row count and a checksum of its rows.
 */
import { createHash } from 'node:crypto';
import { type Kysely, type RawBuilder, sql } from 'kysely';
import { StellarError } from '../errors.js';
import type { Database } from './database.js';
import type { Storage } from './dialect/dialect.js';
import { migrateToLatest, migrationStatus } from './migrate.js';

/**
 * Every table, parents before the tables whose foreign keys point at them; with its key, which
 * orders its rows. Not copied: collection_lease, cluster_leases and stellar_instances, which
 * describe the processes running on the source: on the target none of them runs, and a copied
 * lease would only keep the target's first instances from collecting until it expired.
 */
const TABLES: ReadonlyArray<{ readonly name: keyof Database; readonly key: readonly string[] }> = [
  { name: 'clusters', key: ['id'] },
  { name: 'users', key: ['id'] },
  { name: 'stellar_meta', key: ['key'] },
  { name: 'cluster_nodes', key: ['cluster_id'] },
  { name: 'metrics_snapshots', key: ['id'] },
  { name: 'daily_snapshots', key: ['id'] },
  { name: 'metrics_5m', key: ['cluster_id', 'bucket_start'] },
  { name: 'metrics_1h', key: ['cluster_id', 'bucket_start'] },
  { name: 'tier_backfill', key: ['cluster_id'] },
  { name: 'trend_blocks', key: ['cluster_id', 'hour_start'] },
  { name: 'tier_blocks', key: ['cluster_id', 'tier', 'day_start'] },
  { name: 'collection_state', key: ['cluster_id'] },
  { name: 'auth_tokens', key: ['id'] },
  { name: 'alert_rules', key: ['name'] },
  { name: 'alert_state', key: ['rule_name', 'cluster_id'] },
  { name: 'alert_events', key: ['id'] },
  { name: 'alert_deliveries', key: ['id'] },
  { name: 'alert_silences', key: ['id'] },
  { name: 'alert_acks', key: ['rule_name', 'cluster_id'] },
];

/** Values bound per INSERT: below SQLite's limit of 32,766 parameters and PostgreSQL's 65,535. */
const VALUES_PER_INSERT = 20_000;
const READ_PAGE_ROWS = 2_000;

export interface CopiedTable {
  readonly table: string;
  readonly rows: number;
  /** SHA-256 of the table's rows in key order, the same on both sides. */
  readonly checksum: string;
}

type Row = Record<string, unknown>;

/** The table's rows in key order, a page at a time (keyset on the key, so a large table is never read in one go). */
async function* pages(db: Kysely<Database>, table: string, key: readonly string[], columns: readonly string[]): AsyncGenerator<Row[]> {
  const keyList = sql.join(key.map((k) => sql.ref(k)));
  for (let after: unknown[] | null = null; ; ) {
    const where: RawBuilder<unknown> = after === null ? sql`` : sql`where (${keyList}) > (${sql.join(after)})`;
    const rows: Row[] = (await sql<Row>`select ${sql.join(columns.map((c) => sql.ref(c)))} from ${sql.table(table)} ${where} order by ${keyList} limit ${READ_PAGE_ROWS}`.execute(db)).rows;
    if (rows.length > 0) yield rows;
    const last: Row | undefined = rows.at(-1);
    if (rows.length < READ_PAGE_ROWS || last === undefined) return;
    after = key.map((k) => last[k]);
  }
}

/** Adds rows to a table's checksum: each row's values in column order, as JSON (both engines give numbers, strings and nulls alike). */
function hashRows(hash: ReturnType<typeof createHash>, rows: readonly Row[], columns: readonly string[]): void {
  for (const row of rows) hash.update(`${JSON.stringify(columns.map((c) => row[c] ?? null))}\n`);
}

async function columnsOf(storage: Storage): Promise<Map<string, string[]>> {
  const tables = await storage.db.introspection.getTables();
  return new Map(tables.map((t) => [t.name, t.columns.map((c) => c.name)]));
}

async function rowCount(db: Kysely<Database>, table: string): Promise<number> {
  const { rows } = await sql<{ n: number | string }>`select count(*) as n from ${sql.table(table)}`.execute(db);
  return Number(rows[0]?.n ?? 0);
}

export interface CopyOptions {
  /** Replace whatever the target holds; without it a target with any row is refused. */
  readonly force: boolean;
}

export async function copyDatabase(source: Storage, target: Storage, options: CopyOptions): Promise<CopiedTable[]> {
  const status = await migrationStatus(source);
  if (status.pending.length > 0 || status.unknown.length > 0) {
    const why = status.unknown.length > 0 ? `it has migrations unknown to this version (${status.unknown.join(', ')})` : `it lacks ${status.pending.join(', ')}`;
    throw new StellarError('STELLAR_ERR_STORAGE', `the source database (${source.location}) is not at this version's schema: ${why}; run this version's stellar migrate on it first`);
  }
  await migrateToLatest(target);
  const sourceColumns = await columnsOf(source);
  const targetColumns = await columnsOf(target);
  const filled: string[] = [];
  for (const { name } of TABLES) {
    const n = await rowCount(target.db, name);
    if (n > 0) filled.push(`${name} (${n} rows)`);
    const missing = (sourceColumns.get(name) ?? []).filter((c) => !(targetColumns.get(name) ?? []).includes(c));
    // A column of a field this version no longer has: copying without it would lose data.
    if (missing.length > 0) throw new StellarError('STELLAR_ERR_STORAGE', `the target database (${target.location}) has no column ${missing.map((c) => `${name}.${c}`).join(', ')}, which the source has`);
  }
  if (filled.length > 0 && !options.force) {
    throw new StellarError('STELLAR_ERR_STORAGE', `the target database (${target.location}) is not empty: ${filled.join(', ')}; give --force to replace its contents`);
  }

  const sourceSums = new Map<string, { rows: number; checksum: string }>();
  await target.db.transaction().execute(async (trx) => {
    for (const { name } of [...TABLES].reverse()) await sql`delete from ${sql.table(name)}`.execute(trx);
    for (const { name, key } of TABLES) {
      const columns = sourceColumns.get(name) ?? [];
      const hash = createHash('sha256');
      let rows = 0;
      const perInsert = Math.max(1, Math.floor(VALUES_PER_INSERT / columns.length));
      for await (const page of pages(source.db, name, key, columns)) {
        hashRows(hash, page, columns);
        rows += page.length;
        for (let i = 0; i < page.length; i += perInsert) {
          const values = page.slice(i, i + perInsert).map((row) => sql`(${sql.join(columns.map((c) => row[c] ?? null))})`);
          await sql`insert into ${sql.table(name)} (${sql.join(columns.map((c) => sql.ref(c)))}) values ${sql.join(values)}`.execute(trx);
        }
      }
      if (key[0] === 'id') await target.dialect.resumeIdsAfter(trx, name, await source.dialect.lastIssuedId(source.db, name));
      sourceSums.set(name, { rows, checksum: hash.digest('hex') });
    }
  });

  const copied: CopiedTable[] = [];
  for (const { name, key } of TABLES) {
    const columns = sourceColumns.get(name) ?? [];
    const hash = createHash('sha256');
    let rows = 0;
    for await (const page of pages(target.db, name, key, columns)) {
      hashRows(hash, page, columns);
      rows += page.length;
    }
    const expected = sourceSums.get(name);
    const checksum = hash.digest('hex');
    if (expected === undefined || expected.rows !== rows || expected.checksum !== checksum) {
      throw new StellarError(
        'STELLAR_ERR_STORAGE',
        `the copy of ${name} differs from the source: ${rows} rows (checksum ${checksum.slice(0, 12)}) in ${target.location}, ${expected?.rows ?? 0} (checksum ${expected?.checksum.slice(0, 12) ?? '-'}) in ${source.location}`,
      );
    }
    copied.push({ table: name, rows, checksum });
  }
  return copied;
}
