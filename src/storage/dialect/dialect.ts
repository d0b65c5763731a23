/**
 * What differs between SQL engines, in one place. Nothing outside dialect/ names an engine:
 * migrations ask the dialect for the column types that differ, repositories ask it how to
 * recognise a unique-constraint violation.
 */
import type { ColumnDataType, ColumnDefinitionBuilder, Expression, Kysely } from 'kysely';
import type { FieldCatalogue } from '../../shared/snapshot-fields.js';
import type { Database } from '../database.js';
import type { SnapshotWriter } from '../snapshot-writer.js';

export interface StorageDialect {
  readonly name: 'sqlite';
  /** The auto-incrementing integer primary key every table with an `id` uses. */
  readonly idColumn: {
    readonly type: ColumnDataType;
    readonly build: (column: ColumnDefinitionBuilder) => ColumnDefinitionBuilder;
  };
  /** True when `error` is the engine's "duplicate key in a unique index" error. */
  isUniqueViolation(error: unknown): boolean;
  /**
   * A table created with this keeps its rows in primary-key order, so one cluster's rows of a
   * time range sit together however many clusters write in between (SQLite: WITHOUT ROWID).
   */
  clusterByPrimaryKey<T extends { modifyEnd(modifier: Expression<unknown>): T }>(table: T): T;
}

/** An open database: the Kysely instance, its dialect and how to close it. */
export interface Storage {
  readonly db: Kysely<Database>;
  readonly dialect: StorageDialect;
  /** The collector's hot write, prepared once for these fields' columns (which must exist: migrate first). */
  snapshotWriter(fields: FieldCatalogue): SnapshotWriter;
  /** For log lines: `sqlite /var/lib/stellar/stellar.db`. */
  readonly location: string;
  close(): Promise<void>;
}
