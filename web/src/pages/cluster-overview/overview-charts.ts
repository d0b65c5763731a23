/**
 * The overview's charts as data: which trends each plots, in which unit and colour, with which
 * threshold lines. Kept apart from the component so the list reads as a dashboard definition.
 * Each series is named by its group and name in the API's trends; its legend figures are the
 * server's statistics of the same series (taken from the stored rows, not the plotted buckets).
 */
import { HEALTH_THRESHOLDS as T } from '@shared/health.js';
import type { ClusterOverviewJson, SeriesName, SeriesStatistics, TrendGroup, TrendValues } from '@shared/api/overview.js';
import type { ChartUnit } from '../../charts/chart-units.js';
import type { ChartSeriesDef, ChartThreshold } from '../../charts/uplot-options.js';

export interface OverviewSeries extends ChartSeriesDef {
  /** The series' values, one per `trend_timestamps` entry. */
  pick: (overview: ClusterOverviewJson) => TrendValues;
  statistics: (overview: ClusterOverviewJson) => SeriesStatistics;
}

/** A chart's series `name` of the trend group `group`. */
function trend<G extends TrendGroup>(group: G, name: SeriesName<G>, look: ChartSeriesDef): OverviewSeries {
  return {
    ...look,
    pick: (o) => (o[group] as Record<SeriesName<G>, TrendValues>)[name],
    statistics: (o) => (o.statistics[group] as Record<SeriesName<G>, SeriesStatistics>)[name],
  };
}

export interface OverviewChartSpec {
  testId: string;
  title: string;
  unitLabel: string;
  unit: ChartUnit;
  series: OverviewSeries[];
  percentScale?: boolean;
  thresholds?: ChartThreshold[];
  /** Spans the whole row (a chart with many series). */
  wide?: boolean;
}

export const NETWORK_IO_TEST_ID = 'chart-network-io';

export const OVERVIEW_CHARTS: OverviewChartSpec[] = [
  {
    testId: 'chart-qps',
    title: 'Queries',
    unitLabel: 'per second',
    unit: 'per_second',
    series: [
      trend('performance_trends', 'qps', { label: 'QPS', color: 1, fill: true }),
      trend('performance_trends', 'rps', { label: 'RPS', color: 6 }),
    ],
  },
  {
    testId: 'chart-latency',
    title: 'Query latency',
    unitLabel: 'slowest FE',
    unit: 'ms',
    series: [
      trend('performance_trends', 'latency_p50', { label: 'p50', color: 2 }),
      trend('performance_trends', 'latency_p95', { label: 'p95', color: 5 }),
      trend('performance_trends', 'latency_p99', { label: 'p99', color: 3, fill: true }),
    ],
  },
  {
    testId: 'chart-errors',
    title: 'Query errors',
    unitLabel: '% of queries',
    unit: 'percent',
    thresholds: [
      { value: T.errorWarningPct, level: 'warning' },
      { value: T.errorCriticalPct, level: 'critical' },
    ],
    series: [trend('performance_trends', 'query_error_pct', { label: 'failed', color: 'crit', fill: true })],
  },
  {
    testId: 'chart-resources',
    title: 'CPU, memory and disk',
    unitLabel: '% of BEs/CNs',
    unit: 'percent',
    percentScale: true,
    // The disk's lines: the series the score judges in two steps (CPU's one step, 90 %, is also the disk's critical today).
    thresholds: [
      { value: T.diskWarningPct, level: 'warning' },
      { value: T.diskCriticalPct, level: 'critical' },
    ],
    series: [
      trend('resource_trends', 'cpu_usage', { label: 'CPU (avg)', color: 1 }),
      trend('resource_trends', 'memory_usage', { label: 'memory (avg)', color: 4 }),
      trend('resource_trends', 'disk_usage', { label: 'disk', color: 6 }),
    ],
  },
  {
    testId: 'chart-jvm',
    title: 'FE JVM heap',
    unitLabel: '% used, fullest FE',
    unit: 'percent',
    percentScale: true,
    thresholds: [
      { value: T.heapWarningPct, level: 'warning' },
      { value: T.heapCriticalPct, level: 'critical' },
    ],
    series: [trend('resource_trends', 'jvm_heap_usage', { label: 'heap used', color: 3, fill: true })],
  },
  {
    testId: NETWORK_IO_TEST_ID,
    title: 'Network and disk IO',
    unitLabel: 'all BEs',
    unit: 'bytes_per_second',
    series: [
      trend('resource_trends', 'network_tx', { label: 'network sent', color: 1 }),
      trend('resource_trends', 'network_rx', { label: 'network received', color: 2 }),
      trend('resource_trends', 'io_read', { label: 'disk read', color: 4, dashed: true }),
      trend('resource_trends', 'io_write', { label: 'disk written', color: 3, dashed: true }),
    ],
  },
  {
    testId: 'chart-workload',
    title: 'Transactions and loads',
    unitLabel: 'per collection interval; running: at collection',
    unit: 'count',
    wide: true,
    series: [
      trend('workload_trends', 'txn_begin', { label: 'txns begun', color: 1 }),
      trend('workload_trends', 'txn_success', { label: 'txns committed', color: 2 }),
      trend('workload_trends', 'txn_failed', { label: 'txns failed', color: 'crit' }),
      trend('workload_trends', 'txn_running', { label: 'txns running', color: 4, dashed: true }),
      trend('workload_trends', 'load_running', { label: 'loads running', color: 6, dashed: true }),
      trend('workload_trends', 'loads_finished', { label: 'loads finished', color: 5 }),
    ],
  },
];
