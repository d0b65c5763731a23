/** Query strings of the export routes (snapshots and daily rows, as JSON or CSV). */
import { z } from 'zod';
import { DAY_PATTERN } from '../../../shared/day.js';
import type { SnapshotColumn } from '../../../storage/repos/snapshots.repo.js';
import type { FieldCatalogue } from '../../../shared/snapshot-fields.js';
import { decodeCursor, exportFieldsOf } from '../../presenters/export-rows.js';
import { expecting, oneOf } from '../../../shared/api/fields.js';
import { INSTANT_FORMS, parseInstant } from '../../../shared/instant.js';
import { instantParam, queryObject, wholeNumberParam } from '../../schema-fields.js';

export const EXPORT_FORMATS = ['json', 'csv'] as const;
export const DEFAULT_EXPORT_LIMIT = 1000;
export const MAX_EXPORT_LIMIT = 10_000;

/** The `fields` entry that asks for the custom metrics' values (`custom` in JSON, `custom.<name>` columns in CSV). */
export const CUSTOM_EXPORT_FIELD = 'custom';
export type ExportField = SnapshotColumn | typeof CUSTOM_EXPORT_FIELD;

/** `fields=qps,rps,custom`: the catalogue's names and `custom` only (collected_at is always the first column and may be named too). */
function fieldsParam(exportFields: readonly ExportField[]) {
  const accepted = new Set<string>(exportFields);
  return z.string(expecting('a comma-separated list of field names')).transform((text, context) => {
    const names = [...new Set(text.split(',').map((n) => n.trim()).filter((n) => n !== '' && n !== 'collected_at'))];
    const unknown = names.filter((n) => !accepted.has(n));
    if (unknown.length > 0) {
      const which = unknown.length === 1 ? `unknown field "${unknown[0]}"` : `unknown fields ${unknown.map((n) => `"${n}"`).join(', ')}`;
      context.addIssue({ code: 'custom', message: `${which}; accepted: collected_at, ${exportFields.join(', ')}` });
      return z.NEVER;
    }
    return names as ExportField[];
  });
}

const cursorParam = z.string(expecting('a cursor from a previous page')).transform((text, context) => {
  const at = text.length <= 64 ? decodeCursor(text) : null;
  if (at === null) {
    context.addIssue({ code: 'custom', message: 'must be the next_cursor of a previous page' });
    return z.NEVER;
  }
  return at;
});

const format = oneOf(EXPORT_FORMATS).default('json').meta({ description: 'json (default) or csv (a header row, RFC 4180, as an attachment)' });

/** The snapshot export's query string, for the catalogue's fields. */
export const snapshotsQuery = (fields: FieldCatalogue) =>
  queryObject({
    from: instantParam().optional().meta({ description: 'Start (inclusive): ISO 8601 with an offset, a date, or epoch ms; default 24 h before `to`' }),
    to: instantParam().optional().meta({ description: 'End (exclusive); default now' }),
    fields: fieldsParam([...exportFieldsOf(fields), CUSTOM_EXPORT_FIELD])
      .optional()
      .meta({ description: 'Comma-separated columns; default all. collected_at always comes first. `custom`: the custom metrics in effect (a `custom` object per row in JSON, a `custom.<name>` column each in CSV)' }),
    format,
    limit: wholeNumberParam(1, MAX_EXPORT_LIMIT).default(DEFAULT_EXPORT_LIMIT).meta({ description: `Rows per page, 1–${MAX_EXPORT_LIMIT}; default ${DEFAULT_EXPORT_LIMIT}` }),
    cursor: cursorParam.optional().meta({ description: 'next_cursor of the previous page (CSV: the X-Next-Cursor header)' }),
  });

/** A day as given (`2026-11-24`), or an instant whose day in the roll-up zone is meant. */
export type DayParam = { readonly day: string } | { readonly at: number };

const dayParam = z.string(expecting(`a date (YYYY-MM-DD) or ${INSTANT_FORMS}`)).transform((text, context): DayParam => {
  const at = parseInstant(text);
  if (at === null) {
    context.addIssue({ code: 'custom', message: `must be a date (YYYY-MM-DD) or ${INSTANT_FORMS}` });
    return z.NEVER;
  }
  return DAY_PATTERN.test(text) ? { day: text } : { at };
});

export const DailyQuery = queryObject(
  {
    from: dayParam.optional().meta({ description: 'First day (YYYY-MM-DD, or an instant: its day in metrics.rollup_time_zone); default 29 days before `to`' }),
    to: dayParam.optional().meta({ description: 'Last day, inclusive; default today' }),
    format,
  }
);
