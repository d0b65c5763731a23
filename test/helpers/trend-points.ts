/** An overview's columnar series as points (its bucket's start, ISO, and its value): how a test compares a trend with the rows it came from. */
import type { ClusterOverviewJson, TrendValues } from '../../src/shared/api/overview.js';

export interface TrendPointOf {
  readonly timestamp: string;
  readonly value: number | null;
}

export function trendPoints(body: Pick<ClusterOverviewJson, 'trend_timestamps'>, values: TrendValues | undefined): TrendPointOf[] {
  if (values !== undefined && values.length !== body.trend_timestamps.length) throw new Error(`a series of ${values.length} values beside ${body.trend_timestamps.length} timestamps`);
  return (values ?? []).map((value, i) => ({ timestamp: new Date(body.trend_timestamps[i]! * 1000).toISOString(), value }));
}
