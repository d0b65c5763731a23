/**
 * GET a path now and again every `intervalMs`, silently: a failed refresh keeps the last data
 * and reports the error beside it (pages show "stale since hh:mm", never a pop-up). The next
 * request starts only after the previous one ended, and none starts while the tab is hidden;
 * coming back to the tab refreshes at once when a refresh is due. A new `path` is fetched at
 * once, keeping the old data on screen until the new arrives (no flash on a filter change).
 */
import { useCallback, useEffect, useState } from 'react';
import { apiGet } from './api-client.js';

export interface Polled<T> {
  /** The last data received, for any path so far; null until the first answer. */
  readonly data: T | null;
  /** The path `data` answers. */
  readonly dataPath: string | null;
  /** The error of the last attempt, when it failed; null after a success. */
  readonly error: Error | null;
  /** When data last arrived (ms since epoch). */
  readonly lastSuccessAt: number | null;
  /** A request is under way. */
  readonly loading: boolean;
  /** Fetch again now (after a change the page made, or a "try again"). */
  readonly refresh: () => void;
}

interface PollState<T> {
  data: T | null;
  dataPath: string | null;
  error: Error | null;
  lastSuccessAt: number | null;
  loading: boolean;
}

export function usePolling<T>(path: string | null, intervalMs: number): Polled<T> {
  const [state, setState] = useState<PollState<T>>({ data: null, dataPath: null, error: null, lastSuccessAt: null, loading: path !== null });
  const [generation, setGeneration] = useState(0);
  const refresh = useCallback(() => setGeneration((g) => g + 1), []);

  useEffect(() => {
    if (path === null) return;
    const controller = new AbortController();
    let timer: number | undefined;
    let due = false;

    const load = async () => {
      due = false;
      setState((s) => ({ ...s, loading: true }));
      try {
        const data = await apiGet<T>(path, { signal: controller.signal });
        setState({ data, dataPath: path, error: null, lastSuccessAt: Date.now(), loading: false });
      } catch (err) {
        if (controller.signal.aborted) return;
        setState((s) => ({ ...s, error: err instanceof Error ? err : new Error(String(err)), loading: false }));
      }
      if (!controller.signal.aborted) timer = window.setTimeout(tick, intervalMs);
    };
    const tick = () => {
      if (document.hidden) due = true;
      else void load();
    };
    const onVisibility = () => {
      if (!document.hidden && due) void load();
    };

    document.addEventListener('visibilitychange', onVisibility);
    void load();
    return () => {
      controller.abort();
      window.clearTimeout(timer);
      document.removeEventListener('visibilitychange', onVisibility);
    };
  }, [path, intervalMs, generation]);

  return { ...state, refresh };
}
