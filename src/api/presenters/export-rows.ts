/**
 * Rows of the export routes: a snapshot or daily row as a flat record of the columns asked for,
 * times as ISO strings, `failed_sources` as its JSON text (so it fits one CSV cell).
 */
import { dailyColumnsOf } from '../../shared/daily-fields.js';
import type { FieldCatalogue } from '../../shared/snapshot-fields.js';
import type { DailyRow } from '../../storage/repos/daily.repo.js';
import type { SnapshotColumn, SnapshotRow } from '../../storage/repos/snapshots.repo.js';
import type { CsvCell } from './csv.js';

export type ExportRow = Record<string, CsvCell>;

/** What `fields` accepts: the collection metadata, then every field of the catalogue. */
export function exportFieldsOf(fields: FieldCatalogue): SnapshotColumn[] {
  return ['collect_status', 'collect_duration_ms', 'frontends_scraped', 'failed_sources', ...(fields.map((f) => f.name) as SnapshotColumn[])];
}

export function exportSnapshotRow(row: Pick<SnapshotRow, 'collected_at'> & Partial<SnapshotRow>, fields: readonly SnapshotColumn[]): ExportRow {
  const out: ExportRow = { collected_at: new Date(row.collected_at).toISOString() };
  for (const field of fields) out[field] = row[field] ?? null;
  return out;
}

/** The daily row's columns for these fields: the day and its update time, then every figure. */
export function dailyExportColumnsOf(fields: FieldCatalogue): string[] {
  return ['snapshot_date', 'updated_at', ...dailyColumnsOf(fields).map((c) => c.name)];
}

export function exportDailyRow(row: DailyRow, columns: readonly string[]): ExportRow {
  const out: ExportRow = { snapshot_date: row.snapshot_date, updated_at: new Date(row.updated_at).toISOString() };
  const values = row as unknown as Readonly<Record<string, CsvCell>>;
  for (const column of columns) if (column !== 'snapshot_date' && column !== 'updated_at') out[column] = values[column] ?? null;
  return out;
}

/** The page cursor: the collection time of the page's last row, opaque to clients. */
export function encodeCursor(collectedAt: number): string {
  return Buffer.from(`v1:${collectedAt}`, 'utf8').toString('base64url');
}

/** The instant in a cursor, or null when it is not one of ours. */
export function decodeCursor(cursor: string): number | null {
  const match = /^v1:(\d{1,15})$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  return match ? Number(match[1]) : null;
}
