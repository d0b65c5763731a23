/**
 * The statistics of an overview window: average and maximum of the key figures and the
 * availability. Pure. From raw snapshots every sample counts once; from daily rows each day's
 * average is weighted by the collections that reached the cluster that day (the ones that can
 * carry a figure), so a day with half its collections failed weighs half.
 */
import type { OverviewStatistics } from '../../shared/overview-types.js';

/** The columns of a raw snapshot the statistics read. */
export interface StatisticsSample {
  readonly collect_status: string | null;
  readonly qps: number | null;
  readonly query_latency_p99: number | null;
  readonly avg_cpu_usage: number | null;
  readonly avg_memory_usage: number | null;
  readonly disk_usage_pct: number | null;
}

/** The columns of a daily row the statistics read. */
export interface DailyStatisticsRow {
  readonly samples: number | null;
  readonly reachable_samples: number | null;
  readonly avg_qps: number | null;
  readonly max_qps: number | null;
  readonly avg_query_latency_p99: number | null;
  readonly max_query_latency_p99: number | null;
  readonly avg_avg_cpu_usage: number | null;
  readonly max_avg_cpu_usage: number | null;
  readonly avg_avg_memory_usage: number | null;
  readonly max_avg_memory_usage: number | null;
  readonly avg_disk_usage_pct: number | null;
  readonly max_disk_usage_pct: number | null;
}

/** A weighted mean and a maximum of one figure. */
class Figure {
  private sum = 0;
  private weight = 0;
  private highest: number | null = null;

  add(value: number | null | undefined, weight = 1, max: number | null | undefined = value): void {
    if (typeof value === 'number' && Number.isFinite(value) && weight > 0) {
      this.sum += value * weight;
      this.weight += weight;
    }
    if (typeof max === 'number' && Number.isFinite(max) && (this.highest === null || max > this.highest)) this.highest = max;
  }

  get avg(): number | null {
    return this.weight === 0 ? null : this.sum / this.weight;
  }

  get max(): number | null {
    return this.highest;
  }
}

const REACHABLE = new Set(['ok', 'partial']);

function result(figures: Record<'qps' | 'p99' | 'cpu' | 'memory' | 'disk', Figure>, samples: number, reachable: number): OverviewStatistics {
  return {
    avg_qps: figures.qps.avg,
    max_qps: figures.qps.max,
    avg_latency_p99: figures.p99.avg,
    max_latency_p99: figures.p99.max,
    avg_cpu_usage: figures.cpu.avg,
    max_cpu_usage: figures.cpu.max,
    avg_memory_usage: figures.memory.avg,
    max_memory_usage: figures.memory.max,
    avg_disk_usage: figures.disk.avg,
    max_disk_usage: figures.disk.max,
    availability_pct: samples === 0 ? null : (reachable / samples) * 100,
    samples,
  };
}

const figures = () => ({ qps: new Figure(), p99: new Figure(), cpu: new Figure(), memory: new Figure(), disk: new Figure() });

/** Statistics over raw snapshots, fed one at a time (the rows are streamed, never all held). */
export class WindowStatistics {
  private readonly figures = figures();
  private samples = 0;
  private reachable = 0;

  add(sample: StatisticsSample): void {
    this.samples += 1;
    if (sample.collect_status !== null && REACHABLE.has(sample.collect_status)) this.reachable += 1;
    this.figures.qps.add(sample.qps);
    this.figures.p99.add(sample.query_latency_p99);
    this.figures.cpu.add(sample.avg_cpu_usage);
    this.figures.memory.add(sample.avg_memory_usage);
    this.figures.disk.add(sample.disk_usage_pct);
  }

  result(): OverviewStatistics {
    return result(this.figures, this.samples, this.reachable);
  }
}

/** Statistics over daily rows: the maxima are the highest of the days' maxima. */
export function dailyStatistics(rows: Iterable<DailyStatisticsRow>): OverviewStatistics {
  const f = figures();
  let samples = 0;
  let reachable = 0;
  for (const row of rows) {
    const weight = row.reachable_samples ?? 0;
    samples += row.samples ?? 0;
    reachable += weight;
    f.qps.add(row.avg_qps, weight, row.max_qps);
    f.p99.add(row.avg_query_latency_p99, weight, row.max_query_latency_p99);
    f.cpu.add(row.avg_avg_cpu_usage, weight, row.max_avg_cpu_usage);
    f.memory.add(row.avg_avg_memory_usage, weight, row.max_avg_memory_usage);
    f.disk.add(row.avg_disk_usage_pct, weight, row.max_disk_usage_pct);
  }
  return result(f, samples, reachable);
}
