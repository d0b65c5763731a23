/**
 * Every request of the console goes through one TanStack Query client: loads, refreshes on an
 * interval, stale markers, mutations. This module holds its policy, pure of browser objects so
 * it is unit-tested in Node (test/web/query-client.test.ts):
 *
 * - Refreshing data (`refreshEvery(ms)`) is fetched when a page opens (showing what the cache
 *   holds meanwhile), then every `ms`, timed from the end of the previous request, so requests
 *   never pile up. No refresh runs while the tab is hidden; coming back runs one at once if one
 *   fell due (the data is older than `ms`), never more: switching tabs quickly costs nothing.
 * - A failed refresh keeps the data on screen and reports the error beside it (`queryView`'s
 *   `staleError`: "stale since …"), never a pop-up; the next refresh tries again.
 * - A new key (a new range, new filters) keeps the previous data on screen while it loads
 *   (`replacing`), and the request of a key no longer shown is aborted.
 * - One more try after a short pause for a failure that may pass (no answer, a 5xx); none for
 *   an answer that will not change (4xx): a dead server gets one request per interval, not a
 *   burst. Requests are sent whatever the browser thinks of the network: the service is often
 *   on the same host or LAN, which `navigator.onLine` knows nothing about.
 * - A 401 from any query or mutation ends the session (`onUnauthorized`): the console goes to
 *   the login page and comes back afterwards. Calls where a 401 is an answer (the login itself,
 *   who am I) turn it into a value before it gets here.
 */
// The framework-free core that @tanstack/react-query re-exports (the same module): importing it
// here keeps React's DOM type stubs out of the Node-typed tests that import this file.
import { keepPreviousData, MutationCache, QueryCache, QueryClient, type QueryObserverResult } from '@tanstack/query-core';
import { isTransientFailure, isUnauthorized } from './api-error.js';

/** The pause before the one retry of a transient failure. */
export const RETRY_DELAY_MS = 2_000;

/** TanStack's `retry`: once, and only for a failure that may pass. */
export function shouldRetry(failureCount: number, error: unknown): boolean {
  return failureCount < 1 && isTransientFailure(error);
}

export interface RefreshOptions {
  readonly refetchInterval: number | false;
  readonly staleTime: number;
  readonly refetchOnMount: 'always';
  readonly refetchOnWindowFocus: boolean;
  readonly refetchOnReconnect: boolean;
}

/**
 * The options of data refreshed every `intervalMs` (null: not refreshed by itself, e.g. an
 * overview with auto-refresh off). Data younger than the interval counts as fresh, which is
 * what makes coming back to the tab refresh only when a refresh fell due meanwhile.
 */
export function refreshEvery(intervalMs: number | null): RefreshOptions {
  if (intervalMs === null) return { refetchInterval: false, staleTime: 0, refetchOnMount: 'always', refetchOnWindowFocus: false, refetchOnReconnect: false };
  return { refetchInterval: intervalMs, staleTime: intervalMs, refetchOnMount: 'always', refetchOnWindowFocus: true, refetchOnReconnect: true };
}

export function createQueryClient(events: { onUnauthorized: () => void }): QueryClient {
  const onError = (error: unknown): void => {
    if (isUnauthorized(error)) events.onUnauthorized();
  };
  return new QueryClient({
    queryCache: new QueryCache({ onError }),
    mutationCache: new MutationCache({ onError }),
    defaultOptions: {
      queries: {
        networkMode: 'always',
        retry: shouldRetry,
        retryDelay: RETRY_DELAY_MS,
        // Only refreshing data comes back on focus or reconnect, and only when due (refreshEvery).
        refetchOnWindowFocus: false,
        refetchOnReconnect: false,
        // A wall screen in a background tab must not keep the service busy.
        refetchIntervalInBackground: false,
        placeholderData: keepPreviousData,
      },
      // A mutation changes something: never sent twice behind the user's back.
      mutations: { networkMode: 'always', retry: false },
    },
  });
}

/** What a page shows of a query, in its words. */
export interface QueryView<T> {
  /** The data on screen: this key's, or the previous key's while `replacing`. */
  readonly data: T | undefined;
  /** Nothing of this key could be loaded: the page shows this error instead of data. */
  readonly failure: Error | null;
  /** The previous key's data is on screen while this key's first load runs (dim it). */
  readonly replacing: boolean;
  /** A request is under way (the refresh icon spins). */
  readonly fetching: boolean;
  /** The last refresh failed: the data on screen is as of `updatedAt` ("stale since"). */
  readonly staleError: Error | null;
  /** When the data on screen arrived (ms since epoch); null before this key's first answer. */
  readonly updatedAt: number | null;
}

export type QueryResultLike<T> = Pick<QueryObserverResult<T, Error>, 'data' | 'error' | 'isFetching' | 'isPlaceholderData' | 'dataUpdatedAt'>;

export function queryView<T>(result: QueryResultLike<T>): QueryView<T> {
  const { data, error, isPlaceholderData: replacing } = result;
  const own = data !== undefined && !replacing;
  return {
    data,
    failure: data === undefined ? error : null,
    replacing,
    fetching: result.isFetching,
    staleError: own ? error : null,
    updatedAt: own && result.dataUpdatedAt > 0 ? result.dataUpdatedAt : null,
  };
}
