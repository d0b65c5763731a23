/**
 * Where the data of an auto-refreshing page stands, quietly: "updated 12 s ago" while refreshes
 * succeed, "stale since 14:05" (with the error in its tooltip) once one failed. Never a pop-up:
 * a wall screen must not fill with alerts because the network hiccupped.
 */
import type { JSX } from 'react';
import { formatClockTime, formatDateTime, formatRelativeTime } from './format.js';

export function RefreshMarker(props: { lastSuccessAt: number | null; error: Error | null; loading: boolean; now: number; onRefresh: () => void }): JSX.Element | null {
  const { lastSuccessAt, error } = props;
  if (lastSuccessAt === null) return null;
  const stale = error !== null;
  return (
    <span className={`refresh-marker${stale ? ' refresh-marker-stale' : ''}`} role="status">
      <span title={stale ? `The last refresh failed: ${error.message}` : `Updated ${formatDateTime(lastSuccessAt)}`}>
        {stale ? `stale since ${formatClockTime(lastSuccessAt)}` : `updated ${formatRelativeTime(new Date(lastSuccessAt).toISOString(), props.now)}`}
      </span>
      <button type="button" className="button button-quiet button-icon button-small" onClick={props.onRefresh} aria-label="Refresh now" title="Refresh now" disabled={props.loading}>
        <svg viewBox="0 0 24 24" aria-hidden="true" className={props.loading ? 'refresh-spinning' : undefined}>
          <path d="M20 12a8 8 0 1 1-2.34-5.66M20 4v4.5h-4.5" />
        </svg>
      </button>
    </span>
  );
}
