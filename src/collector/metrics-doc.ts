/** The table of every snapshot field in docs/metrics.md, rendered from the catalogue. */
import { SNAPSHOT_FIELDS } from '../shared/snapshot-fields.js';

export function renderFieldTable(): string {
  const rows = SNAPSHOT_FIELDS.map((f) => `| \`${f.name}\` | ${f.unit || '–'} | ${f.kind} | ${f.source} | ${f.formula} |`);
  return ['| field | unit | kind | source | computation |', '|---|---|---|---|---|', ...rows, ''].join('\n');
}
