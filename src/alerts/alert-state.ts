/**
 * The life of one rule on one cluster, as Prometheus' alerting rules live: inactive while the
 * condition does not hold; pending from the first evaluation where it holds; firing once it has
 * held for the rule's `for` (at once when `for` is 0); back to inactive, as a `resolved` event,
 * at the first evaluation where it no longer holds. A pending alert that stops holding goes back
 * to inactive without an event. Pure: the evaluator stores what this returns, so a restart
 * resumes pending and firing alerts where they were and repeats no notification.
 */

export type AlertStatus = 'inactive' | 'pending' | 'firing';

export interface AlertState {
  readonly status: AlertStatus;
  /** When the condition started to hold (pending and firing), ms. */
  readonly activeSince: number | null;
  /** When it fired (firing), ms. */
  readonly firedAt: number | null;
  /** The value the condition saw at the last evaluation (the `{{ value }}` of templates). */
  readonly value: number | string | null;
  readonly evaluatedAt: number | null;
}

export const INACTIVE: AlertState = { status: 'inactive', activeSince: null, firedAt: null, value: null, evaluatedAt: null };

/** What an evaluation changed that someone should hear of. */
export type AlertEvent = 'fired' | 'resolved' | null;

export function nextAlertState(state: AlertState, holds: boolean, value: number | string | null, now: number, forMs: number): { state: AlertState; event: AlertEvent } {
  if (!holds) {
    const event: AlertEvent = state.status === 'firing' ? 'resolved' : null;
    return { state: { ...INACTIVE, value, evaluatedAt: now }, event };
  }
  const activeSince = state.status === 'inactive' ? now : (state.activeSince ?? now);
  if (state.status === 'firing') return { state: { ...state, value, evaluatedAt: now }, event: null };
  if (now - activeSince >= forMs) return { state: { status: 'firing', activeSince, firedAt: now, value, evaluatedAt: now }, event: 'fired' };
  return { state: { status: 'pending', activeSince, firedAt: null, value, evaluatedAt: now }, event: null };
}
