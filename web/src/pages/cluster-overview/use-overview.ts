/**
 * The overview's data for a cluster and a time range: a query of the console's query client
 * (query-client.ts), refreshed every `refreshMs` (null: auto-refresh off).
 *
 * - A new range (or cluster) is a foreground load: the request of the old range is aborted, and
 *   the old charts stay on screen, dimmed (`loading`), until the new range's data arrives; if it
 *   fails, the failure replaces the charts (they would show the old range under the new name).
 * - A refresh is silent: the data on screen stays until new data arrives; a failed refresh
 *   marks the data stale (`staleError`) instead of interrupting, until a refresh succeeds.
 * - Timing, hidden tabs and retries are the query client's, as for every page.
 */
import { useQuery } from '@tanstack/react-query';
import { useCallback, useLayoutEffect, useRef } from 'react';
import type { ClusterOverviewJson } from '@shared/api/overview.js';
import { API_DATA_KEY, apiGet } from '../../app/api-client.js';
import { queryView, refreshEvery } from '../../app/query-client.js';
import { overviewQuery, type ViewRange } from './view-params.js';

export interface OverviewState {
  data: ClusterOverviewJson | null;
  /** The failure of the last foreground load (nothing to show). */
  error: Error | null;
  /** A foreground load is under way (the data shown is of the previous range). */
  loading: boolean;
  /** A background refresh is under way. */
  refreshing: boolean;
  /** The last refresh failed: what is shown is as of `data.timestamp`. */
  staleError: Error | null;
  /** Load again now (the "refresh" button); during a foreground load, that load goes on. */
  refreshNow: () => void;
}

export function useOverview(clusterId: number, range: ViewRange, refreshMs: number | null, maxPoints: () => number): OverviewState {
  // Read at request time: the window's width decides the points, but resizing alone does not reload.
  const maxPointsRef = useRef(maxPoints);
  useLayoutEffect(() => {
    maxPointsRef.current = maxPoints;
  });
  const path = `/api/clusters/${clusterId}/overview`;
  const query = useQuery({
    queryKey: [API_DATA_KEY, path, range],
    queryFn: ({ signal }) => apiGet<ClusterOverviewJson>(`${path}?${overviewQuery(range, maxPointsRef.current())}`, { signal }),
    ...refreshEvery(refreshMs),
  });
  const view = queryView(query);
  const { refetch } = query;
  const refreshNow = useCallback(() => void refetch(), [refetch]);
  return {
    data: view.data ?? null,
    error: view.failure,
    loading: view.replacing,
    refreshing: view.fetching && !view.replacing,
    staleError: view.staleError,
    refreshNow,
  };
}
