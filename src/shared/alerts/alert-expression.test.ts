import { describe, expect, it } from 'vitest';
import { AlertExpressionError, type AlertInputs, evaluateAlertCondition, lookbacksOf, parseAlertCondition } from './alert-expression.js';

const MIN = 60_000;
const NOW = Date.UTC(2026, 11, 3, 12, 0, 0);

const inputs = (latest: Record<string, number | string | null> | null, extra: Partial<AlertInputs> = {}): AlertInputs => ({
  latest: latest === null ? null : { collected_at: NOW, collect_status: 'ok', ...latest },
  lastDataAt: NOW,
  now: NOW,
  intervalMs: 30_000,
  past: () => undefined,
  ...extra,
});
const holds = (text: string, i: AlertInputs) => evaluateAlertCondition(parseAlertCondition(text), i);

function errorOf(text: string): AlertExpressionError {
  try {
    parseAlertCondition(text);
  } catch (error) {
    expect(error).toBeInstanceOf(AlertExpressionError);
    return error as AlertExpressionError;
  }
  throw new Error(`"${text}" parsed`);
}

describe('alert conditions', () => {
  it('compare a field with a number, another field or a status, and give the left side as the value', () => {
    expect(holds('disk_usage_pct > 90', inputs({ disk_usage_pct: 93.5 }))).toEqual({ holds: true, value: 93.5 });
    expect(holds('disk_usage_pct > 90', inputs({ disk_usage_pct: 90 }))).toEqual({ holds: false, value: 90 });
    expect(holds('disk_usage_pct >= 90', inputs({ disk_usage_pct: 90 })).holds).toBe(true);
    expect(holds('backend_alive < backend_total', inputs({ backend_alive: 9, backend_total: 10 }))).toEqual({ holds: true, value: 9 });
    expect(holds('collect_status != "ok"', inputs({ collect_status: 'partial' }))).toEqual({ holds: true, value: 'partial' });
    expect(holds('collect_status != "ok"', inputs({ collect_status: 'ok' })).holds).toBe(false);
    expect(holds('frontend_leader == "fe1"', inputs({ frontend_leader: 'fe1' })).holds).toBe(true);
    expect(holds('backend_alive < -1', inputs({ backend_alive: -2 })).holds).toBe(true);
  });

  it('never hold on a missing value: a null field, no snapshot, no collection old enough', () => {
    expect(holds('disk_usage_pct > 90', inputs({ disk_usage_pct: null }))).toEqual({ holds: false, value: null });
    expect(holds('disk_usage_pct > 90', inputs(null)).holds).toBe(false);
    expect(holds('disk_usage_pct < 90', inputs(null)).holds).toBe(false);
    expect(holds('delta(backend_alive, 5m) < 0', inputs({ backend_alive: 3 })).holds).toBe(false);
  });

  it('take delta and rate over a lookback from the collection at or before its start', () => {
    const asked: Array<[string, number]> = [];
    const past = (field: string, lookbackMs: number) => {
      asked.push([field, lookbackMs]);
      return { value: 1_000, at: NOW - 10 * MIN };
    };
    const latest = { network_bytes_sent_total: 61_000, backend_alive: 3 };
    expect(holds('rate(network_bytes_sent_total, 10m) > 99', inputs(latest, { past }))).toEqual({ holds: true, value: 100 });
    expect(holds('delta(network_bytes_sent_total, 10m) == 60000', inputs(latest, { past })).holds).toBe(true);
    expect(asked).toEqual([['network_bytes_sent_total', 600_000], ['network_bytes_sent_total', 600_000]]);
    expect(lookbacksOf(parseAlertCondition('rate(network_bytes_sent_total, 10m) > 1 and delta(backend_alive, 90s) < 0 or rate(network_bytes_sent_total, 10m) > 5'))).toEqual([
      { field: 'network_bytes_sent_total', lookbackMs: 600_000 },
      { field: 'backend_alive', lookbackMs: 90_000 },
    ]);
  });

  it('say no_data(N) when nothing reached the cluster for N intervals', () => {
    expect(holds('no_data(3)', inputs({}, { lastDataAt: NOW - 89_000 })).holds).toBe(false);
    expect(holds('no_data(3)', inputs({}, { lastDataAt: NOW - 90_000 })).holds).toBe(true);
    expect(holds('no_data(1)', inputs(null, { lastDataAt: null })).holds).toBe(true);
  });

  it('join with and / or, and binding tighter, parentheses first', () => {
    const i = inputs({ disk_usage_pct: 95, backend_alive: 10, backend_total: 10, qps: 0 });
    expect(holds('disk_usage_pct > 90 and backend_alive < backend_total', i).holds).toBe(false);
    expect(holds('disk_usage_pct > 90 or backend_alive < backend_total', i).holds).toBe(true);
    expect(holds('qps > 1 and disk_usage_pct > 99 or disk_usage_pct > 90', i).holds).toBe(true);
    expect(holds('qps > 1 and (disk_usage_pct > 99 or disk_usage_pct > 90)', i).holds).toBe(false);
  });

  it('refuse what they cannot mean, saying where and what was expected', () => {
    expect(errorOf('disk_usage > 90').message).toMatch(/"disk_usage" at 1 is not a snapshot field \(did you mean disk_usage_pct/);
    expect(errorOf('disk_usage_pct >').message).toBe('expected a field, a number, a "string", delta(field, 10m) or rate(field, 10m) at 17, found the end');
    expect(errorOf('disk_usage_pct 90').message).toMatch(/^expected a comparison \(> >= < <= == !=\) at 16, found "90"/);
    expect(errorOf('collect_status > "ok"').message).toMatch(/text compares only with == or !=/);
    expect(errorOf('collect_status == 1').message).toMatch(/compares text with a number/);
    expect(errorOf('rate(frontend_leader, 5m) > 1').message).toMatch(/is not a numeric snapshot field/);
    expect(errorOf('rate(qps, 5x) > 1').message).toMatch(/"5x" at 11 is not a lookback/);
    expect(errorOf('no_data(0)').message).toMatch(/at least 1/);
    expect(errorOf('qps > 1 qps').message).toMatch(/expected "and", "or" or the end at 9/);
    expect(errorOf('collect_status == "ok').message).toMatch(/never closed/);
    expect(errorOf('  ').message).toBe('the condition is empty');
    expect(errorOf('qps > 1 & qps < 2').position).toBe(8);
  });
});
