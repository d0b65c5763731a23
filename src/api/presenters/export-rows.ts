/**
 * Rows of the export routes: a snapshot or daily row as a flat record of the columns asked for,
 * times as ISO strings, `failed_sources` as its JSON text (so it fits one CSV cell).
 */
import { DAILY_COLUMNS } from '../../shared/daily-fields.js';
import type { DailyRow } from '../../storage/repos/daily.repo.js';
import type { SnapshotColumn, SnapshotRow } from '../../storage/repos/snapshots.repo.js';
import type { CsvCell } from './csv.js';
import { SNAPSHOT_FIELD_NAMES } from './snapshot.js';

export type ExportRow = Record<string, CsvCell>;

/** What `fields` accepts: the collection metadata, then every snapshot field. */
export const EXPORT_FIELDS: readonly SnapshotColumn[] = [
  'collect_status',
  'collect_duration_ms',
  'frontends_scraped',
  'failed_sources',
  ...(SNAPSHOT_FIELD_NAMES as SnapshotColumn[]),
];

export function exportSnapshotRow(row: Pick<SnapshotRow, 'collected_at'> & Partial<SnapshotRow>, fields: readonly SnapshotColumn[]): ExportRow {
  const out: ExportRow = { collected_at: new Date(row.collected_at).toISOString() };
  for (const field of fields) out[field] = row[field] ?? null;
  return out;
}

export const DAILY_EXPORT_COLUMNS: readonly string[] = ['snapshot_date', 'updated_at', ...DAILY_COLUMNS];

export function exportDailyRow(row: DailyRow): ExportRow {
  const out: ExportRow = { snapshot_date: row.snapshot_date, updated_at: new Date(row.updated_at).toISOString() };
  for (const column of DAILY_COLUMNS) out[column] = row[column];
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
