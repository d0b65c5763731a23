/**
 * The console's query client (web/src/app/query-client.ts) driving TanStack Query's own
 * observers, as the pages do, on fake timers: when a refresh runs, what a hidden tab does, what
 * a failed refresh leaves on screen, what a new key does to the old request, and what a 401
 * does. The server is a function answering after a delay (the browser tests use the real one).
 */
import { environmentManager, focusManager, MutationObserver, type QueryClient, QueryObserver, type QueryObserverResult } from '@tanstack/query-core';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from '../../web/src/app/api-error.js';
import { createQueryClient, queryView, refreshEvery, RETRY_DELAY_MS } from '../../web/src/app/query-client.js';

const REQUEST_MS = 1_000;
const INTERVAL_MS = 15_000;

/** A fake API: each call answers after REQUEST_MS with the next scripted answer (the last one repeats). */
class FakeApi {
  calls: { key: string; signal: AbortSignal }[] = [];
  private answers: (number | Error)[] = [];
  private served = 0;

  answer(...answers: (number | Error)[]): void {
    this.answers = answers;
    this.served = 0;
  }

  fn(key: string) {
    return ({ signal }: { signal: AbortSignal }): Promise<number> => {
      this.calls.push({ key, signal });
      const answer = this.answers[Math.min(this.served++, this.answers.length - 1)] ?? 0;
      return new Promise((resolve, reject) => {
        setTimeout(() => (answer instanceof Error ? reject(answer) : resolve(answer)), REQUEST_MS);
      });
    };
  }
}

const networkDown = () => new ApiError(0, 'NETWORK', 'Stellar did not answer (is the service running?)');

let client: QueryClient;
let api: FakeApi;
let unauthorized: number;
const cleanups: (() => void)[] = [];

// Node has no `window`, which TanStack takes for a server (no refresh timers): this test stands in for a browser.
environmentManager.setIsServer(() => false);

beforeEach(() => {
  vi.useFakeTimers();
  api = new FakeApi();
  unauthorized = 0;
  client = createQueryClient({ onUnauthorized: () => unauthorized++ });
  client.mount();
});

afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
  client.unmount();
  client.clear();
  focusManager.setFocused(undefined);
  vi.useRealTimers();
});

/** A page showing `key`, refreshed every `intervalMs` (null: off). */
function watch(key: string, intervalMs: number | null) {
  const observer = new QueryObserver(client, { queryKey: ['api', key], queryFn: api.fn(key), ...refreshEvery(intervalMs) });
  cleanups.push(observer.subscribe(() => {}));
  return observer;
}

const view = (observer: { getCurrentResult(): QueryObserverResult<number, Error> }) => queryView(observer.getCurrentResult());
const wait = (ms: number) => vi.advanceTimersByTimeAsync(ms);

async function setHidden(hidden: boolean): Promise<void> {
  focusManager.setFocused(!hidden);
  await wait(0);
}

describe('refreshing data', () => {
  it('loads at once, then refreshes every interval timed from the end of the previous request', async () => {
    api.answer(1, 2, 3);
    const page = watch('/fleet', INTERVAL_MS);
    expect(api.calls).toHaveLength(1);
    await wait(REQUEST_MS);
    expect(view(page).data).toBe(1);

    await wait(INTERVAL_MS - 10);
    expect(api.calls).toHaveLength(1);
    await wait(10);
    expect(api.calls).toHaveLength(2);
    expect(view(page)).toMatchObject({ data: 1, fetching: true, staleError: null });
    await wait(REQUEST_MS);
    expect(view(page)).toMatchObject({ data: 2, fetching: false });
    // The next one counts from this answer, not from when the previous request left.
    await wait(INTERVAL_MS - 10);
    expect(api.calls).toHaveLength(2);
    await wait(10);
    expect(api.calls).toHaveLength(3);
  });

  it('does not refresh while the tab is hidden, and refreshes on return only when one fell due', async () => {
    api.answer(1, 2, 3);
    const page = watch('/fleet', INTERVAL_MS);
    await wait(REQUEST_MS);

    await setHidden(true);
    await wait(10 * INTERVAL_MS);
    expect(api.calls).toHaveLength(1);
    await setHidden(false);
    expect(api.calls).toHaveLength(2);
    await wait(REQUEST_MS);
    expect(view(page).data).toBe(2);

    // Away for less than the interval: nothing was due, nothing is asked.
    await setHidden(true);
    await wait(INTERVAL_MS / 3);
    await setHidden(false);
    expect(api.calls).toHaveLength(2);
  });

  it('with auto-refresh off, loads once and never by itself, not even on return to the tab', async () => {
    api.answer(1);
    const page = watch('/overview', null);
    await wait(REQUEST_MS);
    await wait(20 * INTERVAL_MS);
    await setHidden(true);
    await setHidden(false);
    expect(api.calls).toHaveLength(1);
    expect(view(page).data).toBe(1);
    // "Refresh now" still works.
    void page.refetch();
    expect(api.calls).toHaveLength(2);
  });

  it('keeps the data of a failed refresh on screen, marked stale, until a refresh succeeds', async () => {
    api.answer(1, networkDown(), networkDown(), 4);
    const page = watch('/fleet', INTERVAL_MS);
    await wait(REQUEST_MS);
    const loadedAt = view(page).updatedAt;
    expect(loadedAt).not.toBeNull();

    await wait(INTERVAL_MS + REQUEST_MS);
    // The first failure is retried once after a pause, the data still shown as fresh meanwhile.
    expect(view(page)).toMatchObject({ data: 1, fetching: true, staleError: null });
    await wait(RETRY_DELAY_MS + REQUEST_MS);
    expect(api.calls).toHaveLength(3);
    expect(view(page)).toMatchObject({ data: 1, fetching: false, failure: null, updatedAt: loadedAt });
    expect(view(page).staleError?.message).toMatch(/did not answer/);

    await wait(INTERVAL_MS + REQUEST_MS);
    expect(view(page)).toMatchObject({ data: 4, staleError: null });
    expect(view(page).updatedAt).toBeGreaterThan(loadedAt ?? Infinity);
  });

  it('reports a failed first load as a failure, with nothing to show', async () => {
    api.answer(new ApiError(404, 'STELLAR_ERR_CLUSTER_NOT_FOUND', 'There is no cluster 9'));
    const page = watch('/overview', INTERVAL_MS);
    await wait(REQUEST_MS);
    expect(view(page)).toMatchObject({ data: undefined, staleError: null, updatedAt: null });
    expect(view(page).failure?.message).toBe('There is no cluster 9');
  });
});

describe('retries', () => {
  it('tries a request that got no answer once more after a pause, then gives up until the next refresh', async () => {
    api.answer(networkDown());
    const page = watch('/fleet', INTERVAL_MS);
    await wait(REQUEST_MS + RETRY_DELAY_MS - 10);
    expect(api.calls).toHaveLength(1);
    await wait(10);
    expect(api.calls).toHaveLength(2);
    await wait(REQUEST_MS);
    expect(view(page).failure?.message).toMatch(/did not answer/);
    await wait(INTERVAL_MS - 10);
    expect(api.calls).toHaveLength(2);
  });

  it('does not repeat a request the server refused (4xx)', async () => {
    api.answer(new ApiError(400, 'STELLAR_ERR_VALIDATION', 'bad time_range'));
    const page = watch('/overview', INTERVAL_MS);
    await wait(REQUEST_MS + 5 * RETRY_DELAY_MS);
    expect(api.calls).toHaveLength(1);
    expect(view(page).failure?.message).toBe('bad time_range');
  });
});

describe('a new key (a new range, new filters)', () => {
  it('keeps the previous data on screen while it loads, and aborts the request of a key no longer shown', async () => {
    api.answer(60, 360, 1440);
    const page = watch('/overview?range=1h', INTERVAL_MS);
    await wait(REQUEST_MS);

    page.setOptions({ queryKey: ['api', '/overview?range=6h'], queryFn: api.fn('/overview?range=6h'), ...refreshEvery(INTERVAL_MS) });
    expect(view(page)).toMatchObject({ data: 60, replacing: true, fetching: true, updatedAt: null });
    await wait(REQUEST_MS / 2);
    page.setOptions({ queryKey: ['api', '/overview?range=24h'], queryFn: api.fn('/overview?range=24h'), ...refreshEvery(INTERVAL_MS) });
    expect(api.calls.map((c) => [c.key, c.signal.aborted])).toEqual([
      ['/overview?range=1h', false],
      ['/overview?range=6h', true],
      ['/overview?range=24h', false],
    ]);
    expect(view(page)).toMatchObject({ data: 60, replacing: true });
    await wait(REQUEST_MS);
    expect(view(page)).toMatchObject({ data: 1440, replacing: false, fetching: false, staleError: null });
  });
});

describe('a 401', () => {
  it('from a query or a mutation ends the session, without a retry', async () => {
    const expired = new ApiError(401, 'STELLAR_ERR_UNAUTHORIZED', 'token expired');
    api.answer(expired);
    watch('/fleet', INTERVAL_MS);
    await wait(REQUEST_MS + 2 * RETRY_DELAY_MS);
    expect(api.calls).toHaveLength(1);
    expect(unauthorized).toBe(1);

    const mutation = new MutationObserver(client, { mutationFn: () => Promise.reject(expired) });
    await expect(mutation.mutate()).rejects.toThrow('token expired');
    expect(unauthorized).toBe(2);
  });
});
