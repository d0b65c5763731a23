/**
 * The overview's "Custom metrics" section: one chart per unit from `custom_trends`, with the
 * legend's last, mean and max, sharing the crosshair and the zoom of the other charts. Hidden
 * when the answer has no custom trends (none defined, or a server without them).
 */
import { useQuery } from '@tanstack/react-query';
import { type JSX, useMemo } from 'react';
import type { CustomMetricsJson } from '@shared/api/custom-metrics.js';
import type { ClusterOverviewJson } from '@shared/api/overview.js';
import { apiQuery } from '../../app/api-client.js';
import { alignTrends } from '../../charts/aligned-data.js';
import { TimeSeriesChart } from '../../charts/TimeSeriesChart.js';
import { customCharts } from './custom-charts.js';

const SYNC_KEY = 'cluster-overview';

export function CustomMetricCharts(props: { data: ClusterOverviewJson; onZoom: (fromMs: number, toMs: number) => void }): JSX.Element | null {
  const { data } = props;
  const w = data.window;
  const hasTrends = Object.keys(data.custom_trends).length > 0;
  // The units live in the definitions; a metric deleted since its values were stored has none.
  const definitions = useQuery({ ...apiQuery<CustomMetricsJson>('/api/custom-metrics'), enabled: hasTrends }).data;
  const charts = useMemo(() => {
    const units = new Map((definitions?.metrics ?? []).map((m) => [m.name, m.unit]));
    return customCharts(data, (name) => units.get(name)).map((chart) => ({ ...chart, aligned: alignTrends(data.trend_timestamps, chart.series.map((s) => s.values), data.window.bucket_seconds) }));
  }, [data, definitions]);
  const chartWindow = useMemo(() => ({ fromMs: Date.parse(w.from), toMs: Date.parse(w.to) }), [w.from, w.to]);
  if (!hasTrends || charts.length === 0) return null;
  return (
    <section className="overview-charts" aria-label="Custom metrics" data-testid="custom-metrics-section">
      <div className="overview-charts-caption">
        <h2>Custom metrics</h2>
      </div>
      <div className="overview-chart-grid">
        {charts.map((chart) => (
          <div key={chart.testId} className={chart.series.length > 4 ? 'overview-chart-cell overview-chart-wide' : 'overview-chart-cell'}>
            <TimeSeriesChart
              testId={chart.testId}
              title={chart.title}
              unitLabel={chart.unitLabel}
              unit={chart.unit}
              series={chart.series}
              data={chart.aligned}
              figures={chart.series.map((s) => s.figures)}
              window={chartWindow}
              bucketSeconds={w.bucket_seconds}
              syncKey={SYNC_KEY}
              onZoom={props.onZoom}
            />
          </div>
        ))}
      </div>
    </section>
  );
}
