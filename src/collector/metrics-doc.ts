/** The field tables of docs/metrics.md, one per group, rendered from the catalogue. */
import { fieldDocText } from '../shared/fields/field-docs.js';
import { dailyRollupOf } from '../shared/daily-fields.js';
import { type FieldCatalogue, SNAPSHOT_FIELDS } from '../shared/snapshot-fields.js';

const DAILY = { stats: 'avg, min, max, p95', sum: 'Σ', recompute: "from the day's totals", none: '–' } as const;

const cell = (text: string): string => text.replaceAll('|', '\\|');

export function renderFieldTable(fields: FieldCatalogue = SNAPSHOT_FIELDS): string {
  const out: string[] = [];
  for (const group of [...new Set(fields.map((f) => f.group))]) {
    out.push(`### ${group}`, '', '| field | unit | kind | daily row | StarRocks source | Doris source | computation |', '|---|---|---|---|---|---|---|');
    for (const f of fields.filter((x) => x.group === group)) {
      const doc = fieldDocText(f);
      out.push(`| \`${f.name}\` | ${f.unit || '–'} | ${f.kind} | ${DAILY[dailyRollupOf(f)]} | ${cell(doc.starrocks)} | ${doc.doris === null ? 'not available on Doris' : doc.doris === doc.starrocks ? 'the same' : cell(doc.doris)} | ${cell(doc.formula)} |`);
    }
    out.push('');
  }
  return out.join('\n');
}
