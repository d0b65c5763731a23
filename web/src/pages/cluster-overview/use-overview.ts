/**
 * The overview's data: loaded for a cluster and a time range, then refreshed in the background.
 *
 * - A new range (or cluster) is a foreground load: the previous request is aborted and the page
 *   may show progress; if it fails, the failure replaces the charts (they would show the old
 *   range under the new range's name).
 * - A refresh is silent: the data on screen stays until new data arrives; a failed refresh
 *   marks the data stale (with the time of the last good data) instead of interrupting.
 * - The next refresh is timed from the end of the previous load, so requests never pile up;
 *   none starts while the tab is hidden, and one runs on return when it fell due meanwhile.
 *
 * The console's usePolling does not fit: refresh can be off here, and a changed range must
 * drop the old data rather than keep it.
 */
import { useCallback, useEffect, useLayoutEffect, useRef, useState } from 'react';
import type { ClusterOverviewJson } from '@shared/api/overview.js';
import { apiGet } from '../../app/api-client.js';
import { overviewQuery, type ViewRange } from './view-params.js';

export interface OverviewState {
  data: ClusterOverviewJson | null;
  /** The failure of the last foreground load (nothing to show). */
  error: Error | null;
  /** A foreground load is under way. */
  loading: boolean;
  /** A background refresh is under way. */
  refreshing: boolean;
  /** The last refresh failed: what is shown is as of `data.timestamp`. */
  staleError: Error | null;
  /** Load again now, silently (the "refresh" button). */
  refreshNow: () => void;
}

interface LoadState {
  data: ClusterOverviewJson | null;
  error: Error | null;
  loading: boolean;
  refreshing: boolean;
  staleError: Error | null;
  /** Bumped when a load ends: the refresh timer starts again from there. */
  settled: number;
}

const asError = (err: unknown): Error => (err instanceof Error ? err : new Error(String(err)));

export function useOverview(clusterId: number, range: ViewRange, refreshMs: number | null, maxPoints: () => number): OverviewState {
  const [state, setState] = useState<LoadState>({ data: null, error: null, loading: true, refreshing: false, staleError: null, settled: 0 });
  const controllerRef = useRef<AbortController | null>(null);
  // Read at request time: the window's width decides the points, but resizing alone does not reload.
  const maxPointsRef = useRef(maxPoints);
  useLayoutEffect(() => {
    maxPointsRef.current = maxPoints;
  });
  const rangeKey = JSON.stringify(range);

  const load = useCallback(
    async (mode: 'foreground' | 'silent') => {
      controllerRef.current?.abort();
      const controller = new AbortController();
      controllerRef.current = controller;
      const requestRange = JSON.parse(rangeKey) as ViewRange;
      setState((s) => (mode === 'foreground' ? { ...s, loading: true, refreshing: false } : { ...s, refreshing: true }));
      try {
        const path = `/api/clusters/${clusterId}/overview?${overviewQuery(requestRange, maxPointsRef.current())}`;
        const data = await apiGet<ClusterOverviewJson>(path, { signal: controller.signal });
        if (controller.signal.aborted) return;
        setState((s) => ({ data, error: null, loading: false, refreshing: false, staleError: null, settled: s.settled + 1 }));
      } catch (err) {
        if (controller.signal.aborted) return;
        setState((s) =>
          mode === 'foreground'
            ? { data: null, error: asError(err), loading: false, refreshing: false, staleError: null, settled: s.settled + 1 }
            : { ...s, refreshing: false, staleError: asError(err), settled: s.settled + 1 },
        );
      }
    },
    [clusterId, rangeKey],
  );

  useEffect(() => {
    void load('foreground');
    return () => controllerRef.current?.abort();
  }, [load]);

  const inFlight = state.loading || state.refreshing;
  useEffect(() => {
    if (refreshMs === null || inFlight) return;
    let due = false;
    const tick = (): void => {
      if (document.hidden) due = true;
      else void load('silent');
    };
    const onVisibility = (): void => {
      if (!document.hidden && due) {
        due = false;
        void load('silent');
      }
    };
    const timer = window.setTimeout(tick, refreshMs);
    document.addEventListener('visibilitychange', onVisibility);
    return () => {
      window.clearTimeout(timer);
      document.removeEventListener('visibilitychange', onVisibility);
    };
  }, [refreshMs, inFlight, state.settled, load]);

  // During a foreground load (a new range), "refresh" restarts that load: the data on screen is of the old range.
  const foreground = state.data === null || state.loading;
  const refreshNow = useCallback(() => void load(foreground ? 'foreground' : 'silent'), [load, foreground]);
  return { data: state.data, error: state.error, loading: state.loading, refreshing: state.refreshing, staleError: state.staleError, refreshNow };
}
