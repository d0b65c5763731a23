/**
 * Days missing from the middle of a window's tier blocks (a block never built, or built before
 * a trend field existed) are read as the rest of the window is: from tier rows, or for the
 * 5-minute tier while raw rows are kept, from raw rows or their hourly trend blocks. The
 * overview must then answer exactly what it answered before any block was built. On SQLite, or
 * PostgreSQL with STELLAR_TEST_DATABASE=postgres (test/helpers/test-app.ts).
 *
 * The steps share one database and run in order, each removing more blocks than the last.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_METRICS_SETTINGS } from '../../src/api/stored-data-deps.js';
import { RAW_TREND_COLUMNS, TIER_TREND_COLUMNS } from '../../src/api/overview/trend-series.js';
import { buildClosedDayTierBlocks } from '../../src/collector/tier-blocks.js';
import { buildClosedHourBlocks } from '../../src/collector/trend-blocks.js';
import type { ClusterJson } from '../../src/shared/api/clusters.js';
import type { ClusterOverviewJson } from '../../src/shared/api/overview.js';
import { clusterBody } from '../helpers/factories.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';
import { failedRow, insertRows, snapshotRow } from './snapshot-rows.js';

const S = 1000;
const MIN = 60 * S;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
/** The test app's clock: noon, so raw rows kept four days reach back to noon of `today - 4 days`. */
const NOW = Date.UTC(2026, 10, 24, 12, 0, 0);
const TODAY = Math.floor(NOW / DAY) * DAY;
const RAW_RETENTION_DAYS = 4;
const RAW_KEPT = NOW - RAW_RETENTION_DAYS * DAY;
/** A day whose raw rows are gone: its gap can only be read from tier rows. */
const OLD_DAY = TODAY - 5 * DAY;
/** Days whose raw rows are kept (they start after RAW_KEPT): a 5-minute gap there is read raw. */
const KEPT_DAY = TODAY - 3 * DAY;
const NEXT_KEPT_DAY = TODAY - 2 * DAY;

/** Every number rounded to 10 significant digits: sums of floats may differ in their last bits by the order they are added in. */
const rounded = (body: ClusterOverviewJson) => JSON.parse(JSON.stringify(body), (_key, value: unknown) => (typeof value === 'number' ? Number(value.toPrecision(10)) : value)) as unknown;

/**
 * Windows that start before RAW_KEPT, so each reads some tier buckets both before and after the
 * blocks are built (a window read wholly raw before would know maxima a tier does not keep).
 */
const QUERIES = [
  'time_range=30d',
  'time_range=7d',
  // Ragged at both ends; both missing days whole inside it.
  `from=${TODAY - 6 * DAY + 9 * HOUR + 7 * MIN + 13 * S}&to=${TODAY - DAY + 18 * HOUR + 49 * MIN}&max_points=800`,
  // Starts inside the old missing day, ends inside the day after the kept one (blocked until the last step).
  `from=${OLD_DAY + 5 * HOUR + 3 * MIN + 11 * S}&to=${NEXT_KEPT_DAY + 21 * HOUR + 10 * MIN + 7 * S}&max_points=900`,
  // The same on the hourly tier.
  `from=${OLD_DAY + 3 * HOUR + 17 * MIN}&to=${NEXT_KEPT_DAY + 20 * HOUR + 41 * MIN}&max_points=30`,
];
const RESOLUTIONS = ['1h', '5m', '5m', '5m', '1h'];

describe('tier blocks missing from the middle of a window', () => {
  let t: TestApp;
  let clusterId: number;
  let before: ClusterOverviewJson[];

  const overviews = () =>
    Promise.all(
      QUERIES.map(async (query) => {
        const response = await t.app.inject({ method: 'GET', url: `/api/clusters/overview?cluster_id=${clusterId}&${query}`, headers: { authorization: t.auth } });
        expect(response.statusCode, response.body).toBe(200);
        return response.json<ClusterOverviewJson>();
      }),
    );

  const expectUnchanged = async () => {
    const after = await overviews();
    QUERIES.forEach((query, i) => expect(rounded(after[i]!), query).toEqual(rounded(before[i]!)));
  };

  /** Deletes a day's blocks of both tiers, as if they had never been built. */
  const dropBlocksOf = async (day: number) => {
    const result = await t.storage.db.deleteFrom('tier_blocks').where('cluster_id', '=', clusterId).where('day_start', '=', day).executeTakeFirst();
    expect(Number(result.numDeletedRows)).toBe(2);
  };

  beforeAll(async () => {
    t = await createTestApp({ metrics: { ...DEFAULT_METRICS_SETTINGS, retentionDays: RAW_RETENTION_DAYS } });
    expect(t.clock.now()).toBe(NOW);
    const created = await t.app.inject({ method: 'POST', url: '/api/clusters', headers: { authorization: t.auth }, payload: clusterBody({ name: 'gaps' }) });
    clusterId = created.json<ClusterJson>().id;
    // Six and a half days every 2 minutes, some failed, figures moving; the raw rows past retention then deleted, as retention does.
    const first = TODAY - 6 * DAY + 17 * S;
    await insertRows(
      t.storage,
      Array.from({ length: 6.5 * 720 }, (_, i) => {
        const at = first + i * 2 * MIN;
        if (i % 97 === 5) return failedRow(clusterId, at);
        return snapshotRow(clusterId, at, { qps: 50 + Math.sin(i / 40) * 20, query_errors: i % 7, queries: 100 + (i % 11), avg_cpu_usage: (i * 37) % 100, query_latency_p99: 90 + (i % 17) * 0.7, disk_usage_pct: 40 + (i % 29) / 3, txn_begin: i % 13 });
      }),
    );
    await t.storage.db.deleteFrom('metrics_snapshots').where('collected_at', '<', RAW_KEPT).execute();
    before = await overviews();
    expect(before.map((b) => b.window.resolution)).toEqual(RESOLUTIONS);
    const built = await buildClosedDayTierBlocks({ db: t.storage.db, reader: t.storage.reader, columns: TIER_TREND_COLUMNS, clusterIds: () => Promise.resolve([clusterId]), retentionDays: { '5m': 35, '1h': 400 } }, NOW);
    // Six closed days of each tier, not today.
    expect(built.blocks).toBe(12);
  });

  afterAll(async () => {
    await t.close();
  });

  it('reads a missing day past the raw rows from tier rows, and one within them from raw rows', async () => {
    await dropBlocksOf(OLD_DAY);
    await dropBlocksOf(KEPT_DAY);
    // Without its 5-minute rows the kept day can only be answered from its raw rows.
    await t.storage.db.deleteFrom('metrics_5m').where('cluster_id', '=', clusterId).where('bucket_start', '>=', KEPT_DAY).where('bucket_start', '<', KEPT_DAY + DAY).execute();
    await expectUnchanged();
  });

  it('reads a missing day within the raw rows from their trend blocks once the hours are packed', async () => {
    await buildClosedHourBlocks({ db: t.storage.db, reader: t.storage.reader, fields: RAW_TREND_COLUMNS, clusterIds: () => Promise.resolve([clusterId]), retentionDays: RAW_RETENTION_DAYS }, NOW);
    // Without its raw rows either, the kept day can only be answered from the trend blocks.
    await t.storage.db.deleteFrom('metrics_snapshots').where('collected_at', '>=', KEPT_DAY).where('collected_at', '<', KEPT_DAY + DAY).execute();
    // Still the 5-minute tier (its blocks reach the windows' last days), not packed raw rows.
    await expectUnchanged();
  });

  it('reads two missing days in a row as one gap', async () => {
    await dropBlocksOf(NEXT_KEPT_DAY);
    await expectUnchanged();
  });
});
