/**
 * Where the data of an auto-refreshing page stands, quietly: "updated 12 s ago" while refreshes
 * succeed, "stale since 14:05" (with the error in its tooltip) once one failed. Never a pop-up:
 * a wall screen must not fill with alerts because the network hiccupped.
 */
import { type JSX, useState } from 'react';
import { formatClockTime, formatDateTime, formatRelativeTime } from './format.js';
import type { QueryView } from './query-client.js';

export function RefreshMarker(props: { view: QueryView<unknown>; now: number; onRefresh: () => void }): JSX.Element | null {
  const { staleError: error, fetching } = props.view;
  // While new filters load, the previous data stays on screen: so does its time.
  const [lastSuccessAt, setLastSuccessAt] = useState<number | null>(null);
  if (props.view.updatedAt !== null && props.view.updatedAt !== lastSuccessAt) setLastSuccessAt(props.view.updatedAt);
  const shownAt = props.view.updatedAt ?? lastSuccessAt;
  if (shownAt === null) return null;
  const stale = error !== null;
  return (
    <span className={`refresh-marker${stale ? ' refresh-marker-stale' : ''}`} role="status">
      <span title={stale ? `The last refresh failed: ${error.message}` : `Updated ${formatDateTime(shownAt)}`}>
        {stale ? `stale since ${formatClockTime(shownAt)}` : `updated ${formatRelativeTime(new Date(shownAt).toISOString(), props.now)}`}
      </span>
      <button type="button" className="button button-quiet button-icon button-small" onClick={props.onRefresh} aria-label="Refresh now" title="Refresh now" disabled={fetching}>
        <svg viewBox="0 0 24 24" aria-hidden="true" className={fetching ? 'refresh-spinning' : undefined}>
          <path d="M20 12a8 8 0 1 1-2.34-5.66M20 4v4.5h-4.5" />
        </svg>
      </button>
    </span>
  );
}
