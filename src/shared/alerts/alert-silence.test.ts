import { describe, expect, it } from 'vitest';
import { baseAlertLabels, SilenceInput, silenceMatches, silencePeriod, silencesOf, type SilenceWindow } from './alert-silence.js';

const T0 = Date.UTC(2026, 11, 3, 10);
const LABELS = { alertname: 'backend-down', cluster: 'prod-olap', cluster_id: '7', severity: 'critical', team: 'storage' };

function silence(matchers: SilenceWindow['matchers'], id = 1, startsAt = T0, endsAt = T0 + 3_600_000): SilenceWindow {
  return { id, matchers, startsAt, endsAt };
}
const eq = (name: string, value: string) => ({ name, value, regex: false });
const re = (name: string, value: string) => ({ name, value, regex: true });

describe('silenceMatches', () => {
  it('mutes an alert whose labels satisfy every matcher: rule, cluster by name or id, severity, the rule’s labels', () => {
    expect(silenceMatches(silence([eq('alertname', 'backend-down'), eq('cluster', 'prod-olap')]), LABELS, T0)).toBe(true);
    expect(silenceMatches(silence([eq('cluster_id', '7'), eq('severity', 'critical'), eq('team', 'storage')]), LABELS, T0)).toBe(true);
    expect(silenceMatches(silence([eq('alertname', 'backend-down'), eq('cluster', 'prod-other')]), LABELS, T0)).toBe(false);
    expect(silenceMatches(silence([eq('severity', 'warning')]), LABELS, T0)).toBe(false);
  });

  it('matches a regex against the whole value, as Alertmanager’s =~ (anchored)', () => {
    expect(silenceMatches(silence([re('cluster', 'prod-.*')]), LABELS, T0)).toBe(true);
    expect(silenceMatches(silence([re('cluster', 'prod')]), LABELS, T0)).toBe(false);
    expect(silenceMatches(silence([re('alertname', 'backend-down|fe-down')]), LABELS, T0)).toBe(true);
    expect(silenceMatches(silence([re('severity', 'warning|info')]), LABELS, T0)).toBe(false);
  });

  it('takes a label the alert lacks as empty, as Alertmanager does', () => {
    expect(silenceMatches(silence([eq('owner', '')]), LABELS, T0)).toBe(true);
    expect(silenceMatches(silence([eq('owner', 'ann')]), LABELS, T0)).toBe(false);
  });

  it('mutes from its start up to, not at, its end', () => {
    const s = silence([eq('alertname', 'backend-down')], 1, T0, T0 + 1000);
    expect([T0 - 1, T0, T0 + 999, T0 + 1000].map((t) => silenceMatches(s, LABELS, t))).toEqual([false, true, true, false]);
  });

  it('silencesOf gives the ids of those muting; pending alerts match on the labels Stellar sets', () => {
    const all = [silence([eq('alertname', 'backend-down')], 1), silence([eq('cluster', 'other')], 2), silence([re('cluster_id', '[0-9]+')], 3)];
    expect(silencesOf(all, LABELS, T0)).toEqual([1, 3]);
    expect(silencesOf(all, baseAlertLabels('backend-down', { id: 7, name: 'prod-olap' }, 'critical'), T0)).toEqual([1, 3]);
  });
});

describe('SilenceInput', () => {
  const issues = (body: unknown) => {
    const parsed = SilenceInput.safeParse(body);
    return parsed.success ? [] : parsed.error.issues.map((i) => i.path.join('.'));
  };

  it('takes matchers, a comment and either ends_at or a duration', () => {
    const parsed = SilenceInput.parse({ matchers: [{ name: 'alertname', value: 'backend-down' }], duration: '4h', comment: 'upgrade' });
    expect(parsed.matchers).toEqual([eq('alertname', 'backend-down')]);
    expect(silencePeriod(parsed, T0)).toEqual({ startsAt: T0, endsAt: T0 + 4 * 3_600_000 });
    const until = SilenceInput.parse({ matchers: [eq('cluster', 'x')], starts_at: '2026-12-03T11:00:00Z', ends_at: '2026-12-04T11:00:00Z', comment: 'c' });
    expect(silencePeriod(until, T0)).toEqual({ startsAt: Date.UTC(2026, 11, 3, 11), endsAt: Date.UTC(2026, 11, 4, 11) });
  });

  it('names each key it refuses', () => {
    expect(issues({ matchers: [], duration: '1h', comment: 'c' })).toEqual(['matchers']);
    expect(issues({ matchers: [{ name: '1bad', value: 'x' }], duration: '1h', comment: 'c' })).toEqual(['matchers.0.name']);
    expect(issues({ matchers: [re('cluster', '(')], duration: '1h', comment: 'c' })).toEqual(['matchers.0.value']);
    expect(issues({ matchers: [eq('cluster', 'x')], duration: 'soon', comment: 'c' })).toEqual(['duration']);
    expect(issues({ matchers: [eq('cluster', 'x')], comment: 'c' })).toEqual(['duration']);
    expect(issues({ matchers: [eq('cluster', 'x')], duration: '1h', ends_at: '2026-12-04T00:00:00Z', comment: 'c' })).toEqual(['ends_at']);
    expect(issues({ matchers: [eq('cluster', 'x')], duration: '1h', comment: ' ' })).toEqual(['comment']);
    expect(issues({ matchers: [eq('cluster', 'x')], ends_at: 'tomorrow', comment: 'c' })).toEqual(['ends_at']);
  });

  it('refuses a period that ends before it starts, is already over, or lasts beyond a year, naming the key', () => {
    const parse = (body: object) => silencePeriod(SilenceInput.parse({ matchers: [eq('cluster', 'x')], comment: 'c', ...body }), T0);
    expect(parse({ starts_at: '2026-12-03T12:00:00Z', ends_at: '2026-12-03T11:00:00Z' })).toMatchObject({ field: 'ends_at', message: expect.stringContaining('after it starts') });
    expect(parse({ ends_at: '2026-12-03T09:00:00Z' })).toMatchObject({ field: 'ends_at' });
    expect(parse({ duration: '400d' })).toMatchObject({ field: 'duration', message: expect.stringContaining('366 days') });
  });
});
