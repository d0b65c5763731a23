/**
 * The tiers and the daily rows against a direct computation over the raw rows: whatever rows a
 * cluster has (nulls, failed collections, any order of arrival, a writer restarted half-way,
 * older rows back-filled into the tiers after an upgrade, raw rows deleted afterwards), every
 * 5-minute and hourly bucket holds exactly the sum, count,
 * minimum and maximum of its rows, and every day's row is what the documented definitions give
 * from those rows, in any time zone. The custom metrics' figures of each bucket and day (JSON
 * `{name: [sum, n, max]}`) likewise: computed in SQL as rows arrive, in plain code in the back-fill.
 */
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { ClusterRegistry } from '../registry/cluster-registry.js';
import { parseCustomFigures } from '../shared/custom-figures.js';
import { DAILY_COLUMNS, DAILY_STATISTICS, dailyRollupOf } from '../shared/daily-fields.js';
import { dayBounds, dayOf } from '../shared/day.js';
import { SNAPSHOT_FIELDS } from '../shared/snapshot-fields.js';
import { bucketStart, tierColumnsOf, TIERS } from '../shared/tier-fields.js';
import type { Storage } from '../storage/dialect/dialect.js';
import { migrateToLatest } from '../storage/migrate.js';
import { dailyRowsBetween } from '../storage/repos/daily.repo.js';
import { insertSnapshotRow } from '../storage/repos/snapshots.repo.js';
import { DIALECTS } from '../../test/helpers/dialects.js';
import { clusterFields, randomSecretBox } from '../../test/helpers/factories.js';
import { type StoredSnapshot, writeSnapshots } from '../../test/helpers/write-snapshots.js';
import { backfillDailyRollups, rollUpDay } from './daily-job.js';

const HOUR = 3_600_000;
const DAY0 = Date.UTC(2026, 10, 20);
const TIER_COLUMNS = tierColumnsOf(SNAPSHOT_FIELDS);

let storage: Storage | null = null;
afterEach(async () => {
  await storage?.close();
  storage = null;
});

async function setUp(dialect: (typeof DIALECTS)[number]) {
  storage = await dialect.open();
  await migrateToLatest(storage);
  const registry = new ClusterRegistry({ db: storage.db, dialect: storage.dialect, secrets: randomSecretBox(), now: () => DAY0 });
  const cluster = await registry.create(clusterFields());
  return { storage, db: storage.db, id: cluster.id };
}

// The oracle: the definitions, computed over raw rows in plain code.
type Row = StoredSnapshot;
const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
const present = (rows: readonly Row[], field: string): number[] => rows.map((r) => num(r[field])).filter((v): v is number => v !== null);
const sumOf = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0);

function groupBy(rows: readonly Row[], key: (r: Row) => number | string): Map<number | string, Row[]> {
  const out = new Map<number | string, Row[]>();
  for (const r of rows) out.set(key(r), [...(out.get(key(r)) ?? []), r]);
  return out;
}

function bucketOracle(rows: readonly Row[]): Record<string, number | null> {
  const out: Record<string, number | null> = { samples: rows.length, reachable_samples: rows.filter((r) => r.collect_status !== 'failed').length };
  for (const c of TIER_COLUMNS) {
    const values = present(rows, c.field);
    out[c.name] = c.aggregate === 'n' ? values.length : values.length === 0 ? null : c.aggregate === 'sum' ? sumOf(values) : c.aggregate === 'min' ? Math.min(...values) : Math.max(...values);
  }
  return out;
}

function dayOracle(rows: readonly Row[]): Record<string, number | null> {
  const fiveMinute = [...groupBy(rows, (r) => bucketStart(TIERS[0], r.collected_at)).entries()].sort(([a], [b]) => Number(a) - Number(b)).map(([, rs]) => rs);
  const out: Record<string, number | null> = {};
  const dayValue: Record<string, number | null> = {};
  for (const f of SNAPSHOT_FIELDS) {
    const mode = dailyRollupOf(f);
    const values = present(rows, f.name);
    const mean = values.length === 0 ? null : sumOf(values) / values.length;
    if (mode === 'sum') out[`total_${f.name}`] = dayValue[f.name] = values.length === 0 ? null : sumOf(values);
    if (mode !== 'stats') continue;
    dayValue[f.name] = mean;
    const means = fiveMinute.map((rs) => present(rs, f.name)).filter((v) => v.length > 0).map((v) => sumOf(v) / v.length).sort((a, b) => a - b);
    out[`avg_${f.name}`] = mean;
    out[`min_${f.name}`] = values.length === 0 ? null : Math.min(...values);
    out[`max_${f.name}`] = values.length === 0 ? null : Math.max(...values);
    out[`p95_${f.name}`] = means.length === 0 ? null : means[Math.min(means.length - 1, Math.ceil(0.95 * means.length) - 1)]!;
  }
  for (const f of SNAPSHOT_FIELDS) {
    if (dailyRollupOf(f) === 'recompute' && f.value.type === 'derived') out[f.name] = f.value.derive(Object.fromEntries(f.value.inputs.map((i) => [i, dayValue[i] ?? null])));
  }
  out.samples = rows.length;
  out.reachable_samples = rows.filter((r) => r.collect_status !== 'failed').length;
  out.availability_pct = rows.length === 0 ? null : (out.reachable_samples / rows.length) * 100;
  const sizes = fiveMinute.map((rs) => present(rs, 'data_used_bytes')).filter((v) => v.length > 0).map((v) => Math.round(sumOf(v) / v.length));
  out.data_size_start = sizes[0] ?? null;
  out.data_size_end = sizes.at(-1) ?? null;
  out.data_growth_bytes = sizes.length === 0 ? null : sizes.at(-1)! - sizes[0]!;
  return out;
}

/** The custom figures a bucket or day of these rows holds: each metric's sum, count and maximum of the numbers its rows have. */
function expectCustomFigures(stored: unknown, rows: readonly Row[], what: string): void {
  const figures = parseCustomFigures(typeof stored === 'string' ? stored : null);
  const values = (name: string) => rows.flatMap((r) => {
    const value = (JSON.parse(r.custom_values ?? '{}') as Record<string, number | null>)[name];
    return typeof value === 'number' ? [value] : [];
  });
  const expected = CUSTOM.filter((name) => values(name).length > 0);
  expect([...figures.keys()].sort(), `${what} custom metrics`).toEqual(expected);
  for (const name of expected) {
    const [sum, n, max] = figures.get(name)!;
    expect([n, max], `${what} ${name}`).toEqual([values(name).length, Math.max(...values(name))]);
    expect(Math.abs(sum - sumOf(values(name))), `${what} ${name} sum`).toBeLessThanOrEqual(Math.abs(sumOf(values(name))) * 1e-9 + 1e-9);
  }
}

/** Equal, numbers to 9 significant digits (sums in SQL and in plain code add in other orders). */
function expectClose(actual: Readonly<Record<string, unknown>>, expected: Record<string, number | null>, what: string): void {
  for (const [key, value] of Object.entries(expected)) {
    const got = actual[key];
    if (value === null || got === null || got === undefined) expect(got ?? null, `${what} ${key}`).toBe(value);
    else expect(Math.abs(Number(got) - value), `${what} ${key}: ${Number(got)} vs ${value}`).toBeLessThanOrEqual(Math.abs(value) * 1e-9 + 1e-9);
  }
}

// Rows within two days: a few fields with values or nulls, some failed collections, any order.
const TESTED = ['qps', 'queries', 'query_errors', 'query_latency_p99', 'connections', 'data_used_bytes', 'backend_alive', 'io_read_rate'];
// Custom metrics: a number (a fraction, maybe negative), null, or absent from the row; or no custom values at all.
const CUSTOM = ['a', 'b'];
const customValues = fc.option(fc.array(fc.option(fc.integer({ min: -1000, max: 1e6 }).map((x) => x / 4), { nil: null }), { minLength: CUSTOM.length, maxLength: CUSTOM.length }), { nil: null });
const rowsArbitrary = fc
  .uniqueArray(fc.integer({ min: 0, max: 2 * 24 * 120 - 1 }), { minLength: 1, maxLength: 120 })
  .chain((slots) =>
    fc.tuple(
      fc.constant(slots),
      fc.array(fc.record({ failed: fc.integer({ min: 0, max: 9 }).map((x) => x === 0), values: fc.array(fc.option(fc.integer({ min: 0, max: 1e6 }), { nil: null }), { minLength: TESTED.length, maxLength: TESTED.length }), custom: customValues }), {
        minLength: slots.length,
        maxLength: slots.length,
      }),
      fc.integer({ min: 0, max: slots.length }),
      fc.integer({ min: 0, max: 2 * 24 * 120 }),
    ),
  )
  .map(([slots, cells, restartAt, tiersFromSlot]) => ({
    tiersFrom: DAY0 + tiersFromSlot * 30_000,
    rows: slots.map((slot, i): Row => ({
      cluster_id: 0,
      collected_at: DAY0 + slot * 30_000,
      collect_status: cells[i]!.failed ? 'failed' : 'ok',
      ...Object.fromEntries(TESTED.map((f, j) => [f, cells[i]!.failed ? null : (cells[i]!.values[j] ?? null)])),
      // `b` left out of the object when null: a metric defined after the row, as the collector writes it.
      custom_values: cells[i]!.custom === null ? null : JSON.stringify({ a: cells[i]!.custom[0], ...(cells[i]!.custom[1] === null ? {} : { b: cells[i]!.custom[1] }) }),
    })),
    restartAt,
  }));

describe.each(DIALECTS)('tiers and daily rows against the raw rows on $name', (dialect) => {
  it('every bucket holds its rows’ sum, count, minimum and maximum; every day its definitions, in any zone', async () => {
    await fc.assert(
      fc.asyncProperty(rowsArbitrary, fc.constantFrom('UTC', 'Asia/Kathmandu', 'America/Santiago'), async ({ rows: generated, restartAt, tiersFrom }, zone) => {
        const t = await setUp(dialect);
        const rows = generated.map((r) => ({ ...r, cluster_id: t.id }));
        // Rows before `tiersFrom` were written by a Stellar without tiers, and are back-filled into them.
        const old = rows.filter((r) => r.collected_at < tiersFrom);
        const live = rows.filter((r) => r.collected_at >= tiersFrom);
        for (const r of old) await insertSnapshotRow(t.db, r);
        // Live rows come from two processes in turn (a restart: a writer of its own each), the later rows first.
        const cut = Math.min(restartAt, live.length);
        await writeSnapshots(t.storage, live.slice(cut), t.storage.snapshotWriter(SNAPSHOT_FIELDS));
        await writeSnapshots(t.storage, live.slice(0, cut), t.storage.snapshotWriter(SNAPSHOT_FIELDS));
        await t.db.insertInto('tier_backfill').values({ cluster_id: t.id, before: tiersFrom, done_until: DAY0 }).execute();
        await t.storage.snapshotWriter(SNAPSHOT_FIELDS).backfillTiers(t.id, DAY0, tiersFrom);
        // A retried write counts once; raw rows deleted afterwards leave the tiers as they were.
        expect(await writeSnapshots(t.storage, rows.slice(0, 1))).toEqual([false]);
        expect(await t.db.selectFrom('tier_backfill').select('done_until').executeTakeFirst()).toEqual({ done_until: tiersFrom });
        await t.db.deleteFrom('metrics_snapshots').execute();

        for (const tier of TIERS) {
          const stored = await t.db.selectFrom(tier.table).selectAll().where('cluster_id', '=', t.id).orderBy('bucket_start').execute();
          const expected = [...groupBy(rows, (r) => bucketStart(tier, r.collected_at)).entries()].sort(([a], [b]) => Number(a) - Number(b));
          expect(stored.map((b) => Number(b.bucket_start))).toEqual(expected.map(([at]) => at));
          stored.forEach((b, i) => {
            expectClose(b, bucketOracle(expected[i]![1]), `${tier.table} ${b.bucket_start}`);
            expectCustomFigures(b.custom_figures, expected[i]![1], `${tier.table} ${b.bucket_start}`);
          });
        }
        const days = [...groupBy(rows, (r) => dayOf(r.collected_at, zone)).entries()];
        for (const [day] of days) expect(await rollUpDay(t.db, t.id, String(day), zone, DAY0)).toBe(true);
        for (const [day, dayRows] of days) {
          const [stored] = await dailyRowsBetween(t.db, t.id, String(day), String(day));
          expect(Object.keys(dayOracle(dayRows)).sort()).toEqual([...DAILY_COLUMNS].sort());
          expectClose(stored as unknown as Record<string, unknown>, dayOracle(dayRows), `day ${day} in ${zone}`);
          expectCustomFigures(stored?.custom_figures, dayRows, `day ${day} in ${zone}`);
          const { start, end } = dayBounds(String(day), zone);
          expect(dayRows.every((r) => r.collected_at >= start && r.collected_at < end)).toBe(true);
        }
        await t.storage.close();
        storage = null;
      }),
      { numRuns: 25 },
    );
  });

  it('keeps what a day keeps of each field: statistics of gauges, totals of deltas, the day’s own error share', async () => {
    const t = await setUp(dialect);
    const row = (at: number, values: Record<string, number | null>, status: 'ok' | 'partial' | 'failed' = 'ok') => ({ cluster_id: t.id, collected_at: at, collect_status: status, ...values });
    await writeSnapshots(t.storage, [
      row(DAY0, { qps: 10, queries: 100, query_errors: 2, query_total: 1_000_000, data_used_bytes: 500 }),
      row(DAY0 + HOUR, { qps: 30, queries: 300, query_errors: 1, query_total: 1_000_300, data_used_bytes: 700 }),
      row(DAY0 + 2 * HOUR, { qps: null, queries: null, query_errors: null }, 'failed'),
      row(DAY0 + 3 * HOUR, { qps: 20, queries: 200, query_errors: 0, query_total: 1_000_500, data_used_bytes: 900 }, 'partial'),
    ]);
    expect(await rollUpDay(t.db, t.id, '2026-11-20', 'UTC', DAY0)).toBe(true);
    const [day] = await dailyRowsBetween(t.db, t.id, '2026-11-20', '2026-11-20');
    expect(day).toMatchObject({
      avg_qps: 20, min_qps: 10, max_qps: 30, p95_qps: 30,
      // Deltas are summed; the cumulative query_total is not a daily figure at all.
      total_queries: 600, total_query_errors: 3, query_error_pct: 0.5,
      samples: 4, reachable_samples: 3, availability_pct: 75,
      data_size_start: 500, data_size_end: 900, data_growth_bytes: 400,
      avg_avg_cpu_usage: null, total_txn_begin: null,
    });
    expect(DAILY_STATISTICS.map((s) => `${s}_query_total`).some((c) => c in (day ?? {}))).toBe(false);
  });

  it('back-fills every whole day up to yesterday, skips days without data, and is idempotent', async () => {
    const { storage: s, db, id } = await setUp(dialect);
    // Days 20, 21 and 23 have data; 22 has none; 24 is today.
    for (const day of [0, 1, 3, 4]) for (let h = 0; h < 24; h += 6) await writeSnapshots(s, [{ cluster_id: id, collected_at: DAY0 + day * 24 * HOUR + h * HOUR, queries: 100 + h, qps: (100 + h) / 3600 }]);
    const now = DAY0 + 4 * 24 * HOUR + 12 * HOUR;
    expect(await backfillDailyRollups(db, [id], 'UTC', now)).toBe(3);
    const rows = await dailyRowsBetween(db, id, '2026-11-01', '2026-11-30');
    expect(rows.map((r) => r.snapshot_date)).toEqual(['2026-11-20', '2026-11-21', '2026-11-23']);
    expect(rows[0]?.total_queries).toBe(100 + 106 + 112 + 118);
    expect(await backfillDailyRollups(db, [id], 'UTC', now)).toBe(0);
    expect(await rollUpDay(db, id, '2026-11-21', 'UTC', now + 1)).toBe(true);
    expect(await dailyRowsBetween(db, id, '2026-11-21', '2026-11-21')).toHaveLength(1);
  });
});
