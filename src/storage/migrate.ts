/**
 * Brings a database's schema up to date, and tells how far it is: the dated migrations, then
 * the field catalogue's columns and the indexes over them. Runs at every start and by `stellar migrate`. Migration
 * bookkeeping lives in stellar_migrations.
 */
import { Migrator, sql } from 'kysely';
import { StellarError } from '../errors.js';
import { type FieldCatalogue, SNAPSHOT_FIELDS } from '../shared/snapshot-fields.js';
import type { Storage } from './dialect/dialect.js';
import { addFieldIndexes, addMissingFieldColumns, fieldColumnDrift } from './field-columns.js';
import { allMigrations } from './migrations/index.js';

export interface MigrationStatus {
  /** Names already applied to this database, oldest first. */
  readonly applied: readonly string[];
  /**
   * Names this version knows and has not yet applied; last, when catalogue columns are
   * missing from tables that exist, `field columns: table.column, …`.
   */
  readonly pending: readonly string[];
  /** Names applied by a newer version of Stellar that this version does not know. */
  readonly unknown: readonly string[];
}

const MIGRATION_TABLE = 'stellar_migrations';

function migratorFor(storage: Storage): Migrator {
  const migrations = allMigrations(storage.dialect);
  return new Migrator({
    db: storage.db,
    provider: { getMigrations: () => Promise.resolve(migrations) },
    migrationTableName: MIGRATION_TABLE,
    migrationLockTableName: 'stellar_migrations_lock',
  });
}

/**
 * Applies every pending migration, in one transaction each, then adds the columns of the
 * catalogue's fields that the tables lack. Returns the migration names applied.
 */
export async function migrateToLatest(storage: Storage, fields: FieldCatalogue = SNAPSHOT_FIELDS): Promise<string[]> {
  const { error, results = [] } = await migratorFor(storage).migrateToLatest();
  if (error) throw storageError(storage, error);
  try {
    await addMissingFieldColumns(storage.db, storage.dialect, fields);
    await addFieldIndexes(storage.db);
  } catch (err) {
    throw storageError(storage, err);
  }
  return results.filter((r) => r.status === 'Success').map((r) => r.migrationName);
}

export async function migrationStatus(storage: Storage, fields: FieldCatalogue = SNAPSHOT_FIELDS): Promise<MigrationStatus> {
  const known = Object.keys(allMigrations(storage.dialect));
  const tables = await storage.db.introspection.getTables();
  const executed = tables.some((t) => t.name === MIGRATION_TABLE)
    ? (await sql<{ name: string }>`select name from ${sql.table(MIGRATION_TABLE)}`.execute(storage.db)).rows.map((r) => r.name)
    : [];
  const missing = (await fieldColumnDrift(storage.db, fields)).flatMap((d) => d.missing.map((c) => `${d.table}.${c.name}`));
  return {
    applied: known.filter((name) => executed.includes(name)),
    pending: [...known.filter((name) => !executed.includes(name)), ...(missing.length > 0 ? [`field columns: ${missing.join(', ')}`] : [])],
    unknown: executed.filter((name) => !known.includes(name)),
  };
}

function storageError(storage: Storage, error: unknown): StellarError {
  const message = error instanceof Error ? error.message : String(error);
  const missing = /previously executed migration (\S+) is missing/.exec(message);
  if (missing) {
    return new StellarError(
      'STELLAR_ERR_STORAGE',
      `the database (${storage.location}) was migrated by a newer version of Stellar (it has migration ${missing[1]}, unknown to this version); run a version at least as new, or use another database`,
    );
  }
  return new StellarError('STELLAR_ERR_STORAGE', `cannot migrate the database (${storage.location}): ${message}`);
}
