/**
 * RFC 4180 CSV: CRLF line ends; a cell with a comma, a quote or a line break is quoted, quotes
 * doubled. Text that came from a cluster (an FE name, an error message) and starts like a
 * spreadsheet formula gets a leading `'`, so opening an export never runs it (OWASP's CSV
 * injection advice); numbers are written as they are, except a non-finite one (a row stored
 * before such values were refused), which is empty as JSON's null is.
 */

export type CsvCell = string | number | null;

export function csvCell(value: CsvCell): string {
  if (value === null || (typeof value === 'number' && !Number.isFinite(value))) return '';
  const text = typeof value === 'string' && /^[=+\-@\t\r]/.test(value) ? `'${value}` : String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** A header row and the rows, each line ended by CRLF. */
export function toCsv(header: readonly string[], rows: Iterable<readonly CsvCell[]>): string {
  const lines = [header.map(csvCell).join(',')];
  for (const row of rows) lines.push(row.map(csvCell).join(','));
  return `${lines.join('\r\n')}\r\n`;
}
