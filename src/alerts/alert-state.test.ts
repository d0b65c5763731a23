import { describe, expect, it } from 'vitest';
import { type AlertState, INACTIVE, nextAlertState } from './alert-state.js';

const S = 1000;

/** Evaluates a run of (instant, holds) pairs from inactive; returns each step's status and event. */
function run(steps: ReadonlyArray<readonly [number, boolean]>, forMs: number) {
  let state: AlertState = INACTIVE;
  return steps.map(([at, holds]) => {
    const next = nextAlertState(state, holds, holds ? 1 : 0, at, forMs);
    state = next.state;
    return `${state.status}${next.event ? `:${next.event}` : ''}`;
  });
}

describe('an alert’s life', () => {
  it('is pending while the condition holds for less than `for`, fires once, resolves once', () => {
    expect(run([[0, false], [30 * S, true], [60 * S, true], [90 * S, true], [120 * S, true], [150 * S, false], [180 * S, false]], 60 * S)).toEqual([
      'inactive',
      'pending',
      'pending',
      'firing:fired',
      'firing',
      'inactive:resolved',
      'inactive',
    ]);
  });

  it('fires at the first evaluation when `for` is 0, and a pending alert that stops holding says nothing', () => {
    expect(run([[0, true], [30 * S, false]], 0)).toEqual(['firing:fired', 'inactive:resolved']);
    expect(run([[0, true], [30 * S, false], [60 * S, true], [90 * S, true]], 60 * S)).toEqual(['pending', 'inactive', 'pending', 'pending']);
  });

  it('keeps when it started and when it fired, and the last value seen', () => {
    let state = nextAlertState(INACTIVE, true, 91, 10 * S, 20 * S).state;
    state = nextAlertState(state, true, 95, 40 * S, 20 * S).state;
    expect(state).toEqual({ status: 'firing', activeSince: 10 * S, firedAt: 40 * S, value: 95, evaluatedAt: 40 * S });
    state = nextAlertState(state, true, 97, 70 * S, 20 * S).state;
    expect(state).toEqual({ status: 'firing', activeSince: 10 * S, firedAt: 40 * S, value: 97, evaluatedAt: 70 * S });
  });
});
