/**
 * /api/clusters/:id/snapshots and /api/clusters/:id/daily: the stored rows for export and
 * scripts, as JSON or CSV. Snapshots come in pages (a keyset cursor on collected_at, so a page
 * costs the same however deep into the export it is); daily rows, a few hundred at most, at once.
 */
import type { FastifyReply } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { validationError } from '../../../errors.js';
import { addDays, dayOf } from '../../../shared/day.js';
import { dailyRowsBetween } from '../../../storage/repos/daily.repo.js';
import { snapshotPage } from '../../../storage/repos/snapshots.repo.js';
import { DAY_MS } from '../../overview/time-window.js';
import type { StoredDataDeps } from '../../stored-data-deps.js';
import { toCsv } from '../../presenters/csv.js';
import { dailyExportColumnsOf, encodeCursor, exportDailyRow, exportFieldsOf, exportSnapshotRow, type ExportRow } from '../../presenters/export-rows.js';
import { errors, type json } from '../../route-responses.js';
import { CsvBody, DailyRowsResponse, SnapshotPageResponse } from '../../../shared/api/export.js';
import { ClusterIdParams } from '../clusters/schema.js';
import { CUSTOM_EXPORT_FIELD, DailyQuery, type DayParam, snapshotsQuery } from './schema.js';
import { presentCustomValues } from '../../presenters/custom-values.js';
import type { SnapshotColumn } from '../../../storage/repos/snapshots.repo.js';

function sendCsv(reply: FastifyReply, filename: string, header: readonly string[], rows: readonly ExportRow[]): FastifyReply {
  return reply
    .header('content-type', 'text/csv; charset=utf-8')
    .header('content-disposition', `attachment; filename="${filename}"`)
    .send(toCsv(header, rows.map((row) => header.map((column) => row[column] ?? null))));
}

const csvOrJson = (description: string, schema: Parameters<typeof json>[1]) => ({
  description,
  content: { 'application/json': { schema }, 'text/csv': { schema: CsvBody } },
});

export const exportRoutes: FastifyPluginAsyncZod<{ deps: StoredDataDeps }> = async (app, { deps }) => {
  const exportFields = exportFieldsOf(deps.fields);
  const dailyColumns = dailyExportColumnsOf(deps.fields);
  app.get(
    '/clusters/:id/snapshots',
    {
      schema: {
        summary: 'Stored snapshots of a cluster, page by page, as JSON or CSV',
        description: 'Oldest first. When more rows remain, next_cursor (and the X-Next-Cursor header) holds the cursor of the next page.',
        tags: ['export'],
        params: ClusterIdParams,
        querystring: snapshotsQuery(deps.fields),
        response: { 200: csvOrJson('A page of snapshots', SnapshotPageResponse), ...errors(400, 401, 404) },
      },
    },
    async (request, reply) => {
      const cluster = await deps.registry.get(request.params.id);
      const q = request.query;
      const to = q.to ?? deps.now();
      const from = q.from ?? to - DAY_MS;
      if (from >= to) throw validationError([{ field: 'from', message: `must be before to (${new Date(to).toISOString()})` }]);
      const asked = q.fields ?? [...exportFields, CUSTOM_EXPORT_FIELD];
      const withCustom = asked.includes(CUSTOM_EXPORT_FIELD);
      const fields = asked.filter((f): f is SnapshotColumn => f !== CUSTOM_EXPORT_FIELD);
      const customMetrics = withCustom ? deps.customMetrics.current() : [];
      const columns: SnapshotColumn[] = withCustom ? [...fields, 'custom_values'] : fields;
      const fetched = await snapshotPage(deps.db, cluster.id, { from, to, after: q.cursor ?? null, limit: q.limit + 1, columns });
      const rows = fetched.slice(0, q.limit);
      const last = rows.at(-1);
      const nextCursor = fetched.length > q.limit && last ? encodeCursor(last.collected_at) : null;
      if (nextCursor !== null) reply.header('x-next-cursor', nextCursor);
      const exported = rows.map((row) => exportSnapshotRow(row, fields));
      const custom = rows.map((row) => presentCustomValues(row.custom_values, customMetrics));
      if (q.format === 'csv') {
        const name = `cluster-${cluster.id}-snapshots-${new Date(from).toISOString().slice(0, 10)}-${new Date(to).toISOString().slice(0, 10)}.csv`;
        const customColumns = customMetrics.map((m) => `${CUSTOM_EXPORT_FIELD}.${m.name}`);
        const flat = exported.map((row, i) => ({ ...row, ...Object.fromEntries(customMetrics.map((m, k) => [customColumns[k]!, custom[i]?.[m.name] ?? null])) }));
        return sendCsv(reply, name, ['collected_at', ...fields, ...customColumns], flat);
      }
      return {
        cluster_id: cluster.id,
        from: new Date(from).toISOString(),
        to: new Date(to).toISOString(),
        fields: withCustom ? [...fields, CUSTOM_EXPORT_FIELD] : [...fields],
        rows: withCustom ? exported.map((row, i) => ({ ...row, custom: custom[i] ?? {} })) : exported,
        next_cursor: nextCursor,
      };
    },
  );

  app.get(
    '/clusters/:id/daily',
    {
      schema: {
        summary: 'Daily roll-ups of a cluster, as JSON or CSV',
        description: 'One row per day in metrics.rollup_time_zone with every daily column (avg_/min_/max_/p95_ of the main gauges, total_ of the deltas, availability, data growth). Days are rolled up once they are over.',
        tags: ['export'],
        params: ClusterIdParams,
        querystring: DailyQuery,
        response: { 200: csvOrJson('The days', DailyRowsResponse), ...errors(400, 401, 404) },
      },
    },
    async (request, reply) => {
      const cluster = await deps.registry.get(request.params.id);
      const zone = deps.settings.rollupTimeZone;
      const dayOfParam = (p: DayParam): string => ('day' in p ? p.day : dayOf(p.at, zone));
      const to = request.query.to ? dayOfParam(request.query.to) : dayOf(deps.now(), zone);
      const from = request.query.from ? dayOfParam(request.query.from) : addDays(to, -29);
      if (from > to) throw validationError([{ field: 'from', message: `must not be after to (${to})` }]);
      const rows = (await dailyRowsBetween(deps.db, cluster.id, from, to)).map((row) => exportDailyRow(row, dailyColumns));
      if (request.query.format === 'csv') return sendCsv(reply, `cluster-${cluster.id}-daily-${from}-${to}.csv`, dailyColumns, rows);
      return { cluster_id: cluster.id, from, to, rows };
    },
  );
};
