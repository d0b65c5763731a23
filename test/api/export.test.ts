/** GET /api/clusters/:id/snapshots and /api/clusters/:id/daily, as JSON and CSV. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ClusterJson } from '../../src/shared/api/clusters.js';
import type { ErrorJson } from '../../src/shared/api/common.js';
import { DAILY_COLUMNS } from '../../src/shared/daily-fields.js';
import { type DailyRowsJson, DailyRowsResponse, type SnapshotPageJson, SnapshotPageResponse } from '../../src/shared/api/export.js';
import { SNAPSHOT_FIELDS } from '../../src/shared/snapshot-fields.js';
import { clusterBody } from '../helpers/factories.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';
import { insertDay, insertRows, snapshotRow } from './snapshot-rows.js';

const NOW = Date.UTC(2026, 10, 24, 12, 0, 0);
const MIN = 60_000;
const iso = (ms: number) => new Date(ms).toISOString();

let t: TestApp;
let cluster: ClusterJson;
beforeEach(async () => {
  t = await createTestApp();
  cluster = (await t.app.inject({ method: 'POST', url: '/api/clusters', headers: { authorization: t.auth }, payload: clusterBody() })).json<ClusterJson>();
  // Five collections a minute apart, the last a minute ago; one leader name that needs quoting in CSV.
  await insertRows(
    t.storage,
    Array.from({ length: 5 }, (_, i) =>
      snapshotRow(cluster.id, NOW - (5 - i) * MIN, {
        qps: i + 0.5,
        rps: null,
        frontend_leader: i === 4 ? 'fe "one", east' : 'fe1',
        ...(i === 4 ? { collect_status: 'partial' as const, failed_sources: JSON.stringify([{ source: 'backends', kind: 'timeout', message: 'slow, very' }]) } : {}),
      }),
    ),
  );
});
afterEach(async () => {
  await t.close();
});

function get(url: string) {
  return t.app.inject({ method: 'GET', url, headers: { authorization: t.auth } });
}

async function details(url: string) {
  const response = await get(url);
  expect(response.statusCode, response.body).toBe(400);
  return response.json<ErrorJson>().details;
}

describe('GET /api/clusters/:id/snapshots', () => {
  it('answers the last 24 hours with every field by default, oldest first', async () => {
    const response = await get(`/api/clusters/${cluster.id}/snapshots`);
    expect(response.statusCode).toBe(200);
    const body = response.json<SnapshotPageJson>();
    // The server sends export pages unchecked (app.ts: too many cells to check on every page); here they are.
    expect(SnapshotPageResponse.safeParse(body).error).toBeUndefined();
    expect(body).toMatchObject({ cluster_id: cluster.id, from: iso(NOW - 86_400_000), to: iso(NOW), next_cursor: null });
    expect(body.fields).toEqual(['collect_status', 'collect_duration_ms', 'frontends_scraped', 'failed_sources', ...SNAPSHOT_FIELDS.map((f) => f.name), 'custom']);
    expect(body.rows).toHaveLength(5);
    // No custom metric is defined here: an empty custom object.
    expect(body.rows[0]).toMatchObject({ collected_at: iso(NOW - 5 * MIN), qps: 0.5, rps: null, collect_status: 'ok', failed_sources: '[]', custom: {} });
    expect(Object.keys(body.rows[0] ?? {})).toEqual(['collected_at', ...body.fields]);
    expect(response.headers['x-next-cursor']).toBeUndefined();
  });

  it('pages with a cursor until next_cursor is null', async () => {
    const seen: unknown[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const response = await get(`/api/clusters/${cluster.id}/snapshots?fields=qps&limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      const body = response.json<SnapshotPageJson>();
      expect(body.fields).toEqual(['qps']);
      expect(response.headers['x-next-cursor']).toBe(body.next_cursor ?? undefined);
      seen.push(...body.rows);
      cursor = body.next_cursor;
      pages += 1;
    } while (cursor !== null);
    expect(pages).toBe(3);
    expect(seen).toEqual([0.5, 1.5, 2.5, 3.5, 4.5].map((qps, i) => ({ collected_at: iso(NOW - (5 - i) * MIN), qps })));
  });

  it('exports CSV with a header row, RFC 4180 quoting and an attachment name', async () => {
    const response = await get(`/api/clusters/${cluster.id}/snapshots?format=csv&fields=qps,frontend_leader,failed_sources&from=${NOW - 3 * MIN}&to=${iso(NOW)}`);
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(response.headers['content-disposition']).toBe(`attachment; filename="cluster-${cluster.id}-snapshots-2026-11-24-2026-11-24.csv"`);
    expect(response.body).toBe(
      [
        'collected_at,qps,frontend_leader,failed_sources',
        `${iso(NOW - 3 * MIN)},2.5,fe1,[]`,
        `${iso(NOW - 2 * MIN)},3.5,fe1,[]`,
        `${iso(NOW - MIN)},4.5,"fe ""one"", east","[{""source"":""backends"",""kind"":""timeout"",""message"":""slow, very""}]"`,
        '',
      ].join('\r\n'),
    );
  });

  it('puts the next cursor of a CSV page in X-Next-Cursor', async () => {
    const response = await get(`/api/clusters/${cluster.id}/snapshots?format=csv&fields=qps&limit=4`);
    expect(response.body.split('\r\n')).toHaveLength(6);
    const next = await get(`/api/clusters/${cluster.id}/snapshots?format=csv&fields=qps&cursor=${response.headers['x-next-cursor'] as string}`);
    expect(next.body).toBe(`collected_at,qps\r\n${iso(NOW - MIN)},4.5\r\n`);
  });

  it('names an unknown field and lists the accepted ones', async () => {
    const [detail] = (await details(`/api/clusters/${cluster.id}/snapshots?fields=qps,qpss`)) ?? [];
    expect(detail?.field).toBe('fields');
    expect(detail?.message).toMatch(/^unknown field "qpss"; accepted: collected_at, collect_status, .*, qps, rps, .*io_write_rate, custom$/);
  });

  it('names every other bad parameter', async () => {
    const base = `/api/clusters/${cluster.id}/snapshots`;
    expect(await details(`${base}?limit=0`)).toEqual([{ field: 'limit', message: 'must be a whole number from 1 to 10000' }]);
    expect(await details(`${base}?limit=10001`)).toEqual([{ field: 'limit', message: 'must be a whole number from 1 to 10000' }]);
    expect(await details(`${base}?format=xml`)).toEqual([{ field: 'format', message: 'must be one of json, csv' }]);
    expect(await details(`${base}?cursor=abc`)).toEqual([{ field: 'cursor', message: 'must be the next_cursor of a previous page' }]);
    expect(await details(`${base}?from=${NOW}&to=${NOW}`)).toEqual([{ field: 'from', message: expect.stringContaining('must be before to') }]);
    expect((await details(`${base}?from=noon`))?.[0]?.field).toBe('from');
    expect((await details(`${base}?page=2`))?.[0]).toEqual({ field: 'page', message: 'is not a known parameter; accepted: from, to, fields, format, limit, cursor' });
    expect((await get('/api/clusters/99/snapshots')).statusCode).toBe(404);
  });
});

describe('GET /api/clusters/:id/daily', () => {
  beforeEach(async () => {
    await insertDay(t.storage, cluster.id, '2026-11-20', { avg_qps: 1.5, samples: 2880, reachable_samples: 2880, availability_pct: 100 });
    await insertDay(t.storage, cluster.id, '2026-11-22', { avg_qps: 2.5, samples: 2880, reachable_samples: 1440, availability_pct: 50 });
  });

  it('answers the last 30 days with every daily column', async () => {
    const body = (await get(`/api/clusters/${cluster.id}/daily`)).json<DailyRowsJson>();
    expect(DailyRowsResponse.safeParse(body).error).toBeUndefined();
    expect(body).toMatchObject({ cluster_id: cluster.id, from: '2026-10-26', to: '2026-11-24' });
    expect(body.rows.map((r) => [r.snapshot_date, r.avg_qps, r.availability_pct])).toEqual([
      ['2026-11-20', 1.5, 100],
      ['2026-11-22', 2.5, 50],
    ]);
    expect(Object.keys(body.rows[0] ?? {})).toEqual(['snapshot_date', 'updated_at', ...DAILY_COLUMNS]);
    expect(body.rows[0]?.updated_at).toBe('2026-11-20T23:59:59.000Z');
  });

  it('takes dates or instants for from and to, and answers CSV', async () => {
    const byDate = (await get(`/api/clusters/${cluster.id}/daily?from=2026-11-21&to=2026-11-22`)).json<DailyRowsJson>();
    expect(byDate.rows.map((r) => r.snapshot_date)).toEqual(['2026-11-22']);
    const byInstant = (await get(`/api/clusters/${cluster.id}/daily?from=2026-11-20T10:00:00Z&to=${Date.UTC(2026, 10, 21)}`)).json<DailyRowsJson>();
    expect(byInstant).toMatchObject({ from: '2026-11-20', to: '2026-11-21' });
    expect(byInstant.rows.map((r) => r.snapshot_date)).toEqual(['2026-11-20']);
    const csv = await get(`/api/clusters/${cluster.id}/daily?format=csv&from=2026-11-22&to=2026-11-22`);
    expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(csv.headers['content-disposition']).toBe(`attachment; filename="cluster-${cluster.id}-daily-2026-11-22-2026-11-22.csv"`);
    const [header, row, end] = csv.body.split('\r\n');
    expect(header).toBe(['snapshot_date', 'updated_at', ...DAILY_COLUMNS].join(','));
    expect(row?.startsWith('2026-11-22,2026-11-22T23:59:59.000Z,2.5,')).toBe(true);
    expect(end).toBe('');
  });

  it('names a bad date and a backwards range', async () => {
    const base = `/api/clusters/${cluster.id}/daily`;
    expect((await details(`${base}?from=2026-02-30`))?.[0]?.field).toBe('from');
    expect((await details(`${base}?to=tomorrow`))?.[0]).toEqual({ field: 'to', message: expect.stringContaining('must be a date (YYYY-MM-DD)') });
    expect(await details(`${base}?from=2026-11-23&to=2026-11-22`)).toEqual([{ field: 'from', message: 'must not be after to (2026-11-22)' }]);
    expect((await details(`${base}?format=pdf`))?.[0]?.field).toBe('format');
    expect((await get('/api/clusters/99/daily')).statusCode).toBe(404);
  });
});
