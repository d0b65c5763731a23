import { describe, expect, it } from 'vitest';
import { dailyStatistics, type DailyStatisticsRow, type StatisticsSample, WindowStatistics } from './statistics.js';

const sample = (overrides: Partial<StatisticsSample>): StatisticsSample => ({
  collect_status: 'ok',
  qps: null,
  query_latency_p99: null,
  avg_cpu_usage: null,
  avg_memory_usage: null,
  disk_usage_pct: null,
  ...overrides,
});

describe('WindowStatistics', () => {
  it('is all null with no sample', () => {
    expect(new WindowStatistics().result()).toEqual({
      avg_qps: null,
      max_qps: null,
      avg_latency_p99: null,
      max_latency_p99: null,
      avg_cpu_usage: null,
      max_cpu_usage: null,
      avg_memory_usage: null,
      max_memory_usage: null,
      avg_disk_usage: null,
      max_disk_usage: null,
      availability_pct: null,
      samples: 0,
    });
  });

  it('averages over the samples that carry a figure and counts reachable collections', () => {
    const stats = new WindowStatistics();
    stats.add(sample({ qps: 10, avg_cpu_usage: 20, disk_usage_pct: 50 }));
    stats.add(sample({ collect_status: 'partial', qps: 30, query_latency_p99: 100 }));
    stats.add(sample({ collect_status: 'failed' }));
    stats.add(sample({ collect_status: 'failed' }));
    expect(stats.result()).toMatchObject({
      avg_qps: 20,
      max_qps: 30,
      avg_latency_p99: 100,
      max_latency_p99: 100,
      avg_cpu_usage: 20,
      avg_memory_usage: null,
      avg_disk_usage: 50,
      availability_pct: 50,
      samples: 4,
    });
  });
});

describe('dailyStatistics', () => {
  const day = (overrides: Partial<DailyStatisticsRow>): DailyStatisticsRow => ({
    samples: 2880,
    reachable_samples: 2880,
    avg_qps: null,
    max_qps: null,
    avg_query_latency_p99: null,
    max_query_latency_p99: null,
    avg_avg_cpu_usage: null,
    max_avg_cpu_usage: null,
    avg_avg_memory_usage: null,
    max_avg_memory_usage: null,
    avg_disk_usage_pct: null,
    max_disk_usage_pct: null,
    ...overrides,
  });

  it('weights each day by its reachable collections and keeps the highest maximum', () => {
    const stats = dailyStatistics([
      day({ avg_qps: 10, max_qps: 50, avg_disk_usage_pct: 40, max_disk_usage_pct: 41 }),
      day({ samples: 2880, reachable_samples: 960, avg_qps: 40, max_qps: 90 }),
    ]);
    expect(stats.avg_qps).toBeCloseTo((10 * 2880 + 40 * 960) / 3840, 9);
    expect(stats.max_qps).toBe(90);
    expect(stats.avg_disk_usage).toBe(40);
    expect(stats.max_disk_usage).toBe(41);
    expect(stats.availability_pct).toBeCloseTo((3840 / 5760) * 100, 9);
    expect(stats.samples).toBe(5760);
  });
});
