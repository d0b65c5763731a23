import { describe, expect, it } from 'vitest';
import { frontendsAliveLevel, HEALTH_STATUSES, levelAbove, nodesAliveLevel, queryErrorLevel, statusOf, urgencyRank } from './health.js';

describe('health levels', () => {
  it('compares strictly above the thresholds', () => {
    expect(levelAbove(80, 80, 90)).toBe('ok');
    expect(levelAbove(80.1, 80, 90)).toBe('warning');
    expect(levelAbove(90.1, 80, 90)).toBe('critical');
    expect(levelAbove(95, 90)).toBe('warning');
    expect(levelAbove(null, 80)).toBeNull();
  });

  it('treats any BE/CN down as critical, FEs by quorum', () => {
    expect(nodesAliveLevel(11, 12)).toBe('critical');
    expect(nodesAliveLevel(12, 12)).toBe('ok');
    expect(frontendsAliveLevel(2, 3)).toBe('warning');
    expect(frontendsAliveLevel(1, 3)).toBe('critical');
    expect(frontendsAliveLevel(1, 2)).toBe('critical');
    expect(frontendsAliveLevel(null, 3)).toBeNull();
  });

  it('judges the share of failed queries only over enough queries', () => {
    expect(queryErrorLevel(30, 10)).toBe('critical');
    expect(queryErrorLevel(30, 9)).toBe('ok');
    expect(queryErrorLevel(6, null)).toBe('ok');
    expect(queryErrorLevel(null, 100)).toBeNull();
  });
});

describe('statuses', () => {
  it('go worst first: unreachable, critical, warning, pending, healthy', () => {
    expect(HEALTH_STATUSES).toEqual(['unreachable', 'critical', 'warning', 'pending', 'healthy']);
    expect(urgencyRank('unreachable')).toBeLessThan(urgencyRank('critical'));
    expect(urgencyRank('pending')).toBeLessThan(urgencyRank('healthy'));
  });

  it('are the worst reason, or unreachable when nothing was reached', () => {
    expect(statusOf(false, [])).toBe('healthy');
    expect(statusOf(false, [{ level: 'warning' }, { level: 'critical' }])).toBe('critical');
    expect(statusOf(false, [{ level: 'warning' }])).toBe('warning');
    expect(statusOf(true, [])).toBe('unreachable');
  });
});
