/**
 * Grafana's top-right controls: when the data on screen is from (and whether it is stale), zoom
 * out, the time range (presets or a custom from/to) and the auto-refresh interval with a
 * refresh-now button. Every choice goes to the URL; the page reads it back from there.
 */
import { type FormEvent, type JSX, useState } from 'react';
import { TIME_RANGES, type TimeRange } from '@shared/api/overview.js';
import { formatDateTime } from '../../app/format.js';
import {
  fromLocalInputValue,
  RANGE_LABELS,
  REFRESH_INTERVALS,
  REFRESH_LABELS,
  type OverviewView,
  type RefreshInterval,
  toLocalInputValue,
  type ViewRange,
} from './view-params.js';

export interface TimeControlsProps {
  view: OverviewView;
  /** The window of the data on screen (to prefill a custom range and to zoom out from). */
  window: { fromMs: number; toMs: number } | null;
  /** The `timestamp` of the data on screen. */
  dataTimestamp: string | null;
  staleError: Error | null;
  busy: boolean;
  onRange: (range: ViewRange) => void;
  onRefreshInterval: (refresh: RefreshInterval) => void;
  onRefreshNow: () => void;
  onZoomOut: () => void;
}

const CUSTOM = 'custom';

export function TimeControls(props: TimeControlsProps): JSX.Element {
  const { view } = props;
  const [editingCustom, setEditingCustom] = useState(false);
  const custom = view.range.kind === 'absolute' || editingCustom;

  const onRangeSelect = (value: string): void => {
    if (value === CUSTOM) {
      setEditingCustom(true);
      return;
    }
    setEditingCustom(false);
    props.onRange({ kind: 'relative', range: value as TimeRange });
  };

  return (
    <div className="time-controls">
      <LastUpdated timestamp={props.dataTimestamp} staleError={props.staleError} busy={props.busy} />
      <button type="button" className="button button-icon" onClick={props.onZoomOut} disabled={props.window === null} aria-label="Zoom out" title="Zoom out (twice the window)">
        <svg viewBox="0 0 24 24" aria-hidden="true">
          <circle cx="10.5" cy="10.5" r="6.5" />
          <path d="M7.5 10.5h6M15.5 15.5l5 5" />
        </svg>
      </button>
      <select className="select time-range-select" aria-label="Time range" value={!custom && view.range.kind === 'relative' ? view.range.range : CUSTOM} onChange={(e) => onRangeSelect(e.target.value)}>
        {TIME_RANGES.map((r) => (
          <option key={r} value={r}>
            {RANGE_LABELS[r]}
          </option>
        ))}
        <option value={CUSTOM}>Custom…</option>
      </select>
      <div className="refresh-group">
        <button type="button" className="button button-icon" onClick={props.onRefreshNow} aria-label="Refresh now" title="Refresh now">
          <svg viewBox="0 0 24 24" aria-hidden="true" className={props.busy ? 'refresh-spinning' : undefined}>
            <path d="M20 12a8 8 0 1 1-2.34-5.66M20 4v4.5h-4.5" />
          </svg>
        </button>
        <select className="select refresh-select" aria-label="Auto-refresh" value={view.refresh} onChange={(e) => props.onRefreshInterval(e.target.value as RefreshInterval)}>
          {REFRESH_INTERVALS.map((r) => (
            <option key={r} value={r}>
              {r === 'off' ? 'Auto-refresh off' : `Every ${REFRESH_LABELS[r]}`}
            </option>
          ))}
        </select>
      </div>
      {custom && (
        <CustomRangeForm
          // A new window (a drag on a chart, zoom out) refills the inputs.
          key={view.range.kind === 'absolute' ? `${view.range.fromMs}-${view.range.toMs}` : 'new'}
          initial={view.range.kind === 'absolute' ? view.range : props.window}
          onApply={(range) => {
            setEditingCustom(false);
            props.onRange(range);
          }}
          onCancel={view.range.kind === 'relative' ? () => setEditingCustom(false) : undefined}
        />
      )}
    </div>
  );
}

function LastUpdated(props: { timestamp: string | null; staleError: Error | null; busy: boolean }): JSX.Element {
  const time = props.timestamp === null ? '—' : formatDateTime(props.timestamp).slice(11);
  return (
    <span className="last-updated-group">
      <span className="last-updated muted" data-testid="last-updated" data-timestamp={props.timestamp ?? ''} title={props.timestamp === null ? undefined : `Data as of ${formatDateTime(props.timestamp)}`}>
        as of {time}
      </span>
      {props.staleError !== null && (
        <span className="stale-marker" data-testid="stale-marker" role="status" title={`The last refresh failed: ${props.staleError.message}`}>
          stale
        </span>
      )}
    </span>
  );
}

function CustomRangeForm(props: {
  initial: { fromMs: number; toMs: number } | null;
  onApply: (range: ViewRange) => void;
  onCancel: (() => void) | undefined;
}): JSX.Element {
  const now = Date.now();
  const [from, setFrom] = useState(toLocalInputValue(props.initial?.fromMs ?? now - 3_600_000));
  const [to, setTo] = useState(toLocalInputValue(props.initial?.toMs ?? now));
  const fromMs = fromLocalInputValue(from);
  const toMs = fromLocalInputValue(to);
  const problem = fromMs === null || toMs === null ? 'Enter both times' : fromMs >= toMs ? '“From” must be before “to”' : null;

  const submit = (event: FormEvent): void => {
    event.preventDefault();
    if (problem === null && fromMs !== null && toMs !== null) props.onApply({ kind: 'absolute', fromMs, toMs });
  };

  return (
    <form className="custom-range" onSubmit={submit} aria-label="Custom time range">
      <label className="custom-range-field">
        <span>From</span>
        <input className="input" type="datetime-local" value={from} onChange={(e) => setFrom(e.target.value)} required />
      </label>
      <label className="custom-range-field">
        <span>To</span>
        <input className="input" type="datetime-local" value={to} onChange={(e) => setTo(e.target.value)} required />
      </label>
      <button type="submit" className="button button-primary" disabled={problem !== null} title={problem ?? undefined}>
        Apply
      </button>
      {props.onCancel && (
        <button type="button" className="button button-quiet" onClick={props.onCancel}>
          Cancel
        </button>
      )}
    </form>
  );
}
