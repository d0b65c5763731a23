import { describe, expect, it } from 'vitest';
import { dailyStatistics, type DailyStatisticsRow, SpanStatistics } from './statistics.js';
import { SpanSample } from './span-figures.js';
import { DERIVED_TREND_FIELDS, TREND_FIELDS } from './trend-series.js';

type StatisticsSample = Parameters<SpanStatistics['add']>[0];

let clock = 0;
const sample = (overrides: Record<string, unknown>): StatisticsSample => ({ collected_at: (clock += 30_000), collect_status: 'ok', ...overrides });
const NONE = { last: null, mean: null, max: null };

describe('SpanStatistics', () => {
  it('is all null with no sample', () => {
    const empty = new SpanStatistics().result();
    expect(empty).toMatchObject({ availability_pct: null, samples: 0 });
    for (const group of [empty.performance_trends, empty.resource_trends, empty.workload_trends]) {
      for (const figures of Object.values(group)) expect(figures).toEqual(NONE);
    }
  });

  it('averages over the samples that carry a figure and counts reachable collections', () => {
    const stats = new SpanStatistics();
    stats.add(sample({ qps: 10, avg_cpu_usage: 20, disk_usage_pct: 50 }));
    stats.add(sample({ collect_status: 'partial', qps: 30, query_latency_p99: 100 }));
    stats.add(sample({ collect_status: 'failed' }));
    stats.add(sample({ collect_status: 'failed' }));
    const result = stats.result();
    expect(result).toMatchObject({ availability_pct: 50, samples: 4 });
    expect(result.performance_trends.qps).toEqual({ last: 30, mean: 20, max: 30 });
    expect(result.performance_trends.latency_p99).toEqual({ last: 100, mean: 100, max: 100 });
    expect(result.resource_trends.cpu_usage).toEqual({ last: 20, mean: 20, max: 20 });
    expect(result.resource_trends.memory_usage).toEqual(NONE);
    expect(result.resource_trends.disk_usage).toEqual({ last: 50, mean: 50, max: 50 });
  });

  it('gives last, mean and max of the samples themselves, skipping gaps', () => {
    const stats = new SpanStatistics();
    for (const qps of [1, null, 5, 3, null]) stats.add(sample({ qps, txn_begin: qps === null ? null : qps * 10 }));
    expect(stats.result().performance_trends.qps).toEqual({ last: 3, mean: 3, max: 5 });
    expect(stats.result().workload_trends.txn_begin).toEqual({ last: 30, mean: 30, max: 50 });
  });

  it('adds tier buckets as their sums and counts, and knows a derived maximum only from single collections', () => {
    const stats = new SpanStatistics();
    stats.add(sample({ qps: 10, queries: 10, query_errors: 5 }));
    // A later bucket of 9 collections, 2 without a qps figure.
    stats.addSample(new SpanSample(TREND_FIELDS, DERIVED_TREND_FIELDS).loadGroup({ bucket_start: (clock += 30_000), samples: 9, reachable_samples: 8, sum_qps: 140, n_qps: 7, max_qps: 40, sum_queries: 90, n_queries: 9, sum_query_errors: 0, n_query_errors: 9 }));
    const result = stats.result();
    expect(result).toMatchObject({ samples: 10, availability_pct: 90 });
    expect(result.performance_trends.qps).toEqual({ last: 20, mean: 150 / 8, max: 40 });
    // 5 errors in 100 queries: 5 %, however the share was per collection.
    expect(result.performance_trends.query_error_pct).toEqual({ last: 0, mean: 5, max: null });
  });

  it('takes `last` from the latest sample, whatever the order a window’s parts are added in', () => {
    const stats = new SpanStatistics();
    const later = sample({ qps: 7 });
    const earlier = { ...sample({ qps: 3 }), collected_at: Number(later.collected_at) - 60_000 };
    stats.add(later);
    stats.add(earlier);
    expect(stats.result().performance_trends.qps.last).toBe(7);
  });

  it('keeps the true maximum that bucket averages would hide', () => {
    // One spike among quiet samples: a bucket of all four averages 25, the spike is 91.
    const stats = new SpanStatistics();
    for (const cpu of [3, 91, 3, 3]) stats.add(sample({ avg_cpu_usage: cpu }));
    expect(stats.result().resource_trends.cpu_usage.max).toBe(91);
  });
});

describe('dailyStatistics', () => {
  const day = (overrides: DailyStatisticsRow): DailyStatisticsRow => ({ samples: 2880, reachable_samples: 2880, ...overrides });

  it('weights each day by its reachable collections and keeps the highest maximum', () => {
    const stats = dailyStatistics([
      day({ avg_qps: 10, max_qps: 50, avg_disk_usage_pct: 40, max_disk_usage_pct: 41 }),
      day({ samples: 2880, reachable_samples: 960, avg_qps: 40, max_qps: 90 }),
    ]);
    expect(stats.performance_trends.qps.mean).toBeCloseTo((10 * 2880 + 40 * 960) / 3840, 9);
    expect(stats.performance_trends.qps.max).toBe(90);
    expect(stats.performance_trends.qps.last).toBe(40);
    expect(stats.resource_trends.disk_usage).toEqual({ last: 40, mean: 40, max: 41 });
    expect(stats.availability_pct).toBeCloseTo((3840 / 5760) * 100, 9);
    expect(stats.samples).toBe(5760);
  });

  it('gives per-collection means of the deltas and no maximum where the roll-up keeps none', () => {
    const stats = dailyStatistics([day({ total_txn_begin: 2880 * 4, query_error_pct: 2 }), day({ reachable_samples: 1440, total_txn_begin: 1440 * 10, query_error_pct: 5 })]);
    expect(stats.workload_trends.txn_begin).toEqual({ last: 10, mean: (2880 * 4 + 1440 * 10) / 4320, max: null });
    expect(stats.performance_trends.query_error_pct).toEqual({ last: 5, mean: (2 * 2880 + 5 * 1440) / 4320, max: null });
    expect(stats.performance_trends.latency_p50).toEqual(NONE);
  });
});
