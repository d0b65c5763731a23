/** Stored rows for export and scripts (GET /api/clusters/:id/snapshots and /daily), as JSON or CSV. */
import { z } from 'zod';
import { isoTime, nullableString } from './common.js';

const exportRow = z.record(z.string(), z.union([z.number(), z.string(), z.null()]));

/** A snapshot row: its columns, and with `custom` asked for (the default) the custom metrics' values. */
const snapshotExportRow = z
  .object({
    custom: z
      .record(z.string(), z.number().nullable())
      .optional()
      .meta({ description: 'Each custom metric in effect by name (docs/metrics.md, "Custom metrics"): its value in the snapshot, null where it has none. Present when `fields` is absent or names `custom`' }),
  })
  .catchall(z.union([z.number(), z.string(), z.null()]));

export const SnapshotPageResponse = z
  .object({
    cluster_id: z.number(),
    from: isoTime(),
    to: isoTime(),
    fields: z.array(z.string()).meta({ description: 'The columns of each row after collected_at' }),
    rows: z.array(snapshotExportRow).meta({ description: 'collected_at (ISO) and the fields asked for, oldest first' }),
    next_cursor: nullableString('Pass as `cursor` for the next page; null on the last page'),
  })
  .meta({ id: 'SnapshotPage' });

export const DailyRowsResponse = z
  .object({
    cluster_id: z.number(),
    from: z.string().meta({ description: 'First day, YYYY-MM-DD' }),
    to: z.string().meta({ description: 'Last day, YYYY-MM-DD' }),
    rows: z.array(exportRow).meta({ description: 'snapshot_date, updated_at (ISO) and every daily column, oldest first' }),
  })
  .meta({ id: 'DailyRows' });

/** A CSV body, for routes that answer `format=csv`. */
export const CsvBody = z.string().meta({ description: 'RFC 4180 CSV with a header row' });

export type SnapshotPageJson = z.output<typeof SnapshotPageResponse>;
export type DailyRowsJson = z.output<typeof DailyRowsResponse>;
