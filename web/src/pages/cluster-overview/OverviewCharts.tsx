/**
 * The overview's chart grid: two panels per row on a laptop, three on a wide screen, one on a
 * phone (CSS grid, auto-fill), all with one shared crosshair.
 */
import { type JSX, type ReactNode, type RefObject, useMemo } from 'react';
import type { ClusterOverviewJson } from '@shared/api/overview.js';
import { alignTrends, hasAnyValue } from '../../charts/aligned-data.js';
import { TimeSeriesChart } from '../../charts/TimeSeriesChart.js';
import { formatDuration } from '../../app/format.js';
import { NETWORK_IO_TEST_ID, OVERVIEW_CHARTS } from './overview-charts.js';

const SYNC_KEY = 'cluster-overview';

export function OverviewCharts(props: { data: ClusterOverviewJson; onZoom: (fromMs: number, toMs: number) => void; gridRef: RefObject<HTMLDivElement | null> }): JSX.Element {
  const { data, onZoom } = props;
  const { window: w } = data;
  const chartWindow = useMemo(() => ({ fromMs: Date.parse(w.from), toMs: Date.parse(w.to) }), [w.from, w.to]);
  const aligned = useMemo(
    () => OVERVIEW_CHARTS.map((spec) => alignTrends(data.trend_timestamps, spec.series.map((s) => s.pick(data)), w.bucket_seconds)),
    [data, w.bucket_seconds],
  );
  return (
    <section className="overview-charts" aria-label="Trends">
      <div className="overview-charts-caption">
        <h2>Trends</h2>
        <span className="muted">
          {w.resolution === 'daily' ? 'daily averages — this window reaches beyond the raw retention' : `one point per ${formatDuration(w.bucket_seconds * 1000)}`}
          {' · drag across a chart to zoom'}
        </span>
      </div>
      <div className="overview-chart-grid" ref={props.gridRef}>
        {OVERVIEW_CHARTS.map((spec, i) => {
          const chartData = aligned[i] ?? [[]];
          const note = spec.testId === NETWORK_IO_TEST_ID && !hasAnyValue(chartData) ? networkNote(data) : undefined;
          return (
            <div key={spec.testId} className={spec.wide ? 'overview-chart-cell overview-chart-wide' : 'overview-chart-cell'}>
              <TimeSeriesChart
                testId={spec.testId}
                title={spec.title}
                unitLabel={spec.unitLabel}
                unit={spec.unit}
                series={spec.series}
                data={chartData}
                figures={spec.series.map((s) => s.statistics(data))}
                window={chartWindow}
                bucketSeconds={w.bucket_seconds}
                syncKey={SYNC_KEY}
                thresholds={spec.thresholds}
                percentScale={spec.percentScale}
                onZoom={onZoom}
                note={note}
              />
            </div>
          );
        })}
      </div>
    </section>
  );
}

/**
 * Why network and disk IO are empty: the BEs did not answer, or they were not asked — by this
 * cluster's own sources, or by the global `[metrics] sources` it follows.
 */
function networkNote(data: ClusterOverviewJson): ReactNode {
  const failed = (data.latest_snapshot?.failed_sources ?? []).filter((f) => f.source.startsWith('be_metrics'));
  if (failed.length > 0) {
    return (
      <span>
        No network or disk IO figures: the BEs' <code>/metrics</code> did not answer ({failed[0]?.kind}
        {failed.length > 1 ? ` and ${failed.length - 1} more` : ''}).
      </span>
    );
  }
  if (data.effective_sources.includes('be_metrics')) {
    return (
      <span>
        Network and disk IO come from each BE's own <code>/metrics</code>, which this cluster's collections ask: they appear after the next ones.
      </span>
    );
  }
  return data.sources === null ? (
    <span>
      Network and disk IO come from each BE's own <code>/metrics</code>, which Stellar reads only when asked: this cluster follows the global
      setting, which has <code>be_metrics</code> off. Turn on <code>[metrics] scrape_backends = true</code> for every cluster, or BE/CN /metrics in this
      cluster's sources (Clusters → Edit).
    </span>
  ) : (
    <span>
      Network and disk IO come from each BE's own <code>/metrics</code>, which this cluster's own sources leave out: turn on BE/CN /metrics in its
      sources (Clusters → Edit).
    </span>
  );
}
