/**
 * `/clusters/:id`: one cluster as a Grafana-like dashboard. Header with status and collection
 * state, the alerts firing on it, time and refresh controls (kept in the URL: `?range=6h&refresh=1m`, or
 * `?from=&to=` in epoch ms), health cards of the latest snapshot, and trend charts.
 */
import './cluster-overview.css';
import { type JSX, useCallback, useMemo, useRef } from 'react';
import { ApiError } from '../../app/api-client.js';
import { formatDateTime, formatRelativeTime } from '../../app/format.js';
import { Link, useSearchParams } from '../../app/router.js';
import { EmptyBlock, LoadingBlock, ProblemBlock } from '../../app/ui/feedback.js';
import { useDocumentTitle } from '../../app/use-document-title.js';
import { ClusterAlertsLine } from './ClusterAlertsLine.js';
import { HealthCards } from './HealthCards.js';
import { OverviewCharts } from './OverviewCharts.js';
import { CustomMetricCharts } from './CustomMetricCharts.js';
import { OverviewHeader } from './OverviewHeader.js';
import { TimeControls } from './TimeControls.js';
import { useOverview } from './use-overview.js';
import { parseView, rangeToParams, refreshIntervalMs, type RefreshInterval, type ViewRange, zoomedOut, zoomedRange } from './view-params.js';
import type { ClusterOverviewJson } from '@shared/api/overview.js';

/** Chart width in pixels ≈ points worth asking for; before the charts exist, half the page. */
function maxPointsFor(grid: HTMLElement | null): number {
  const plot = grid?.querySelector('.ts-plot');
  const width = plot?.clientWidth ?? (grid?.clientWidth ?? window.innerWidth) / 2;
  // Whole fifties, so a few pixels of resizing do not move the bucket boundaries.
  return Math.max(100, Math.floor(width / 50) * 50);
}

export function ClusterOverviewPage(props: { clusterId: number }): JSX.Element {
  const { clusterId } = props;
  const [search, setSearch] = useSearchParams();
  const view = useMemo(() => parseView(search), [search]);
  const gridRef = useRef<HTMLDivElement>(null);
  const maxPoints = useCallback(() => maxPointsFor(gridRef.current), []);
  const overview = useOverview(clusterId, view.range, refreshIntervalMs(view.refresh), maxPoints);
  const { data } = overview;
  useDocumentTitle(data?.cluster_name ?? `Cluster ${clusterId}`);

  const dataWindow = useMemo(() => (data === null ? null : { fromMs: Date.parse(data.window.from), toMs: Date.parse(data.window.to) }), [data]);
  const setRange = useCallback((range: ViewRange) => setSearch(rangeToParams(range)), [setSearch]);
  const onZoom = useCallback((fromMs: number, toMs: number) => setRange(zoomedRange(fromMs, toMs, Date.now())), [setRange]);
  const onZoomOut = useCallback(() => {
    if (dataWindow !== null) setRange(zoomedOut(dataWindow, Date.now()));
  }, [dataWindow, setRange]);
  const setRefresh = useCallback((refresh: RefreshInterval) => setSearch({ refresh }), [setSearch]);

  if (data === null && overview.error !== null) {
    if (overview.error instanceof ApiError && overview.error.status === 404) {
      return (
        <EmptyBlock title={`There is no cluster ${clusterId}`}>
          <span>
            It may have been deleted. See the <Link to="/">fleet</Link> for the clusters Stellar watches.
          </span>
        </EmptyBlock>
      );
    }
    return <ProblemBlock title="The overview could not be loaded" message={overview.error.message} onRetry={overview.refreshNow} />;
  }
  if (data === null) return <LoadingBlock label="Loading the overview" />;

  const controls = (
    <TimeControls
      view={view}
      window={dataWindow}
      dataTimestamp={data.timestamp}
      staleError={overview.staleError}
      busy={overview.loading || overview.refreshing}
      onRange={setRange}
      onRefreshInterval={setRefresh}
      onRefreshNow={overview.refreshNow}
      onZoomOut={onZoomOut}
    />
  );

  return (
    <div className={overview.loading ? 'overview overview-loading' : 'overview'} aria-busy={overview.loading}>
      <OverviewHeader data={data} controls={controls} />
      <ClusterAlertsLine clusterId={clusterId} />
      {data.latest_snapshot === null ? (
        <PendingBlock data={data} refreshing={view.refresh !== 'off'} />
      ) : (
        <>
          <HealthCards snapshot={data.latest_snapshot} reasons={data.health.reasons} mode={data.deployment_mode} />
          <OverviewCharts data={data} onZoom={onZoom} gridRef={gridRef} />
          <CustomMetricCharts data={data} onZoom={onZoom} />
        </>
      )}
    </div>
  );
}

function PendingBlock(props: { data: ClusterOverviewJson; refreshing: boolean }): JSX.Element {
  const next = props.data.collection?.next_attempt_at ?? null;
  return (
    <EmptyBlock title="Collection pending — the first collection of this cluster has not run yet">
      {next !== null ? (
        <span>
          Next attempt {formatRelativeTime(next)} ({formatDateTime(next)}).{' '}
          {props.refreshing ? 'This page refreshes by itself.' : 'Turn auto-refresh on to see the figures arrive.'}
        </span>
      ) : (
        <span>Collection is off in this Stellar process, so no figures will arrive.</span>
      )}
    </EmptyBlock>
  );
}
