/**
 * The overview's charts as data: which trends each plots, in which unit and colour, with which
 * threshold lines. Kept apart from the component so the list reads as a dashboard definition.
 */
import { HEALTH_THRESHOLDS as T } from '@shared/health-thresholds.js';
import type { ClusterOverviewJson, TrendPoint } from '@shared/overview-types.js';
import type { ChartUnit } from '../../charts/chart-units.js';
import type { ChartSeriesDef, ChartThreshold } from '../../charts/uplot-options.js';

export interface OverviewSeries extends ChartSeriesDef {
  pick: (overview: ClusterOverviewJson) => TrendPoint[];
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
      { label: 'QPS', color: 1, fill: true, pick: (o) => o.performance_trends.qps },
      { label: 'RPS', color: 6, pick: (o) => o.performance_trends.rps },
    ],
  },
  {
    testId: 'chart-latency',
    title: 'Query latency',
    unitLabel: 'slowest FE',
    unit: 'ms',
    series: [
      { label: 'p50', color: 2, pick: (o) => o.performance_trends.latency_p50 },
      { label: 'p95', color: 5, pick: (o) => o.performance_trends.latency_p95 },
      { label: 'p99', color: 3, fill: true, pick: (o) => o.performance_trends.latency_p99 },
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
    series: [{ label: 'failed', color: 'crit', fill: true, pick: (o) => o.performance_trends.error_rate }],
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
      { label: 'CPU (avg)', color: 1, pick: (o) => o.resource_trends.cpu_usage },
      { label: 'memory (avg)', color: 4, pick: (o) => o.resource_trends.memory_usage },
      { label: 'disk', color: 6, pick: (o) => o.resource_trends.disk_usage },
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
    series: [{ label: 'heap used', color: 3, fill: true, pick: (o) => o.resource_trends.jvm_heap_usage }],
  },
  {
    testId: NETWORK_IO_TEST_ID,
    title: 'Network and disk IO',
    unitLabel: 'all BEs',
    unit: 'bytes_per_second',
    series: [
      { label: 'network sent', color: 1, pick: (o) => o.resource_trends.network_tx },
      { label: 'network received', color: 2, pick: (o) => o.resource_trends.network_rx },
      { label: 'disk read', color: 4, dashed: true, pick: (o) => o.resource_trends.io_read },
      { label: 'disk written', color: 3, dashed: true, pick: (o) => o.resource_trends.io_write },
    ],
  },
  {
    testId: 'chart-workload',
    title: 'Transactions and loads',
    unitLabel: 'per collection interval; running: at collection',
    unit: 'count',
    wide: true,
    series: [
      { label: 'txns begun', color: 1, pick: (o) => o.workload_trends.txn_begin },
      { label: 'txns committed', color: 2, pick: (o) => o.workload_trends.txn_success },
      { label: 'txns failed', color: 'crit', pick: (o) => o.workload_trends.txn_failed },
      { label: 'txns running', color: 4, dashed: true, pick: (o) => o.workload_trends.txn_running },
      { label: 'loads running', color: 6, dashed: true, pick: (o) => o.workload_trends.load_running },
      { label: 'loads finished', color: 5, pick: (o) => o.workload_trends.loads_finished },
    ],
  },
];
