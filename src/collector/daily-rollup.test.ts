import { afterEach, describe, expect, it } from 'vitest';
import { DAILY_COLUMNS } from '../shared/daily-fields.js';
import { SNAPSHOT_FIELDS } from '../shared/snapshot-fields.js';
import { ClusterRegistry } from '../registry/cluster-registry.js';
import type { Storage } from '../storage/dialect/dialect.js';
import { migrateToLatest } from '../storage/migrate.js';
import { dailyRowsBetween } from '../storage/repos/daily.repo.js';
import { DIALECTS } from '../../test/helpers/dialects.js';
import { clusterFields, randomSecretBox } from '../../test/helpers/factories.js';
import { backfillDailyRollups, rollUpDay } from './daily-job.js';
import { dailyRollup } from './daily-rollup.js';

const HOUR = 3_600_000;
const DAY0 = Date.UTC(2026, 10, 20);

const row = (at: number, values: Record<string, number | null>, status = 'ok') => ({ collected_at: at, collect_status: status, ...values });

describe('dailyRollup', () => {
  it('keeps every delta of the catalogue as a daily total', () => {
    const totals = DAILY_COLUMNS.filter((c) => c.startsWith('total_')).map((c) => c.slice('total_'.length));
    expect(totals.sort()).toEqual(SNAPSHOT_FIELDS.filter((f) => f.kind === 'delta').map((f) => f.name).sort());
  });

  it('averages gauges, sums deltas (never cumulative totals), and says how available the cluster was', () => {
    const rows = [
      row(DAY0, { qps: 10, queries: 100, query_errors: 2, query_total: 1_000_000, data_used_bytes: 500 }),
      row(DAY0 + HOUR, { qps: 30, queries: 300, query_errors: 1, query_total: 1_000_300, data_used_bytes: 700 }),
      row(DAY0 + 2 * HOUR, { qps: null, queries: null, query_errors: null }, 'failed'),
      row(DAY0 + 3 * HOUR, { qps: 20, queries: 200, query_errors: 0, query_total: 1_000_500, data_used_bytes: 900 }, 'partial'),
    ];
    const day = dailyRollup(rows);
    expect(Object.keys(day).sort()).toEqual([...DAILY_COLUMNS].sort());
    expect(day).toMatchObject({
      avg_qps: 20, min_qps: 10, max_qps: 30, p95_qps: 30,
      total_queries: 600, total_query_errors: 3, query_error_pct: 0.5,
      samples: 4, reachable_samples: 3, availability_pct: 75,
      data_size_start: 500, data_size_end: 900, data_growth_bytes: 400,
      avg_avg_cpu_usage: null, total_txn_begin: null,
    });
  });

  it('takes the nearest-rank 95th percentile', () => {
    const rows = Array.from({ length: 100 }, (_, i) => row(DAY0 + i * 60_000, { query_latency_p99: i + 1 }));
    expect(dailyRollup(rows).p95_query_latency_p99).toBe(95);
  });
});

let storage: Storage | null = null;
afterEach(async () => {
  await storage?.close();
  storage = null;
});

describe.each(DIALECTS)('daily roll-up job on $name', (dialect) => {
  async function setUp() {
    storage = await dialect.open();
    await migrateToLatest(storage);
    const registry = new ClusterRegistry({ db: storage.db, dialect: storage.dialect, secrets: randomSecretBox(), now: () => DAY0 });
    const cluster = await registry.create(clusterFields());
    const insert = (at: number, queries: number) =>
      storage!.db.insertInto('metrics_snapshots').values({ cluster_id: cluster.id, collected_at: at, collect_status: 'ok', queries, qps: queries / 3600 }).execute();
    return { db: storage.db, id: cluster.id, insert };
  }

  it('back-fills every whole day up to yesterday, skips days without data, and is idempotent', async () => {
    const { db, id, insert } = await setUp();
    // Days 20, 21 and 23 have data; 22 has none; 24 is today.
    for (const day of [0, 1, 3, 4]) for (let h = 0; h < 24; h += 6) await insert(DAY0 + day * 24 * HOUR + h * HOUR, 100 + h);
    const now = DAY0 + 4 * 24 * HOUR + 12 * HOUR;
    expect(await backfillDailyRollups(db, [id], 'UTC', now)).toBe(3);
    const rows = await dailyRowsBetween(db, id, '2026-11-01', '2026-11-30');
    expect(rows.map((r) => r.snapshot_date)).toEqual(['2026-11-20', '2026-11-21', '2026-11-23']);
    expect(rows[0]?.total_queries).toBe(100 + 106 + 112 + 118);
    expect(await backfillDailyRollups(db, [id], 'UTC', now)).toBe(0);
    expect(await rollUpDay(db, id, '2026-11-21', 'UTC', now + 1)).toBe(true);
    expect(await dailyRowsBetween(db, id, '2026-11-21', '2026-11-21')).toHaveLength(1);
  });

  it('cuts days in the configured time zone', async () => {
    const { db, id, insert } = await setUp();
    // 20:00 UTC on the 20th is already the 21st in Shanghai (UTC+8).
    await insert(DAY0 + 10 * HOUR, 1);
    await insert(DAY0 + 20 * HOUR, 2);
    await backfillDailyRollups(db, [id], 'Asia/Shanghai', DAY0 + 5 * 24 * HOUR);
    const rows = await dailyRowsBetween(db, id, '2026-11-01', '2026-11-30');
    expect(rows.map((r) => [r.snapshot_date, r.total_queries])).toEqual([['2026-11-20', 1], ['2026-11-21', 2]]);
  });
});
