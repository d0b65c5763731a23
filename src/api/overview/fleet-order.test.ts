import { describe, expect, it } from 'vitest';
import type { FleetClusterJson } from '../../shared/api/fleet.js';
import type { HealthStatus } from '../../shared/health.js';
import { hasEveryTag, nameContains, sortFleet } from './fleet-order.js';

function entry(id: number, name: string, status: HealthStatus, figures: Partial<FleetClusterJson> = {}): FleetClusterJson {
  return {
    id,
    name,
    health: { status, score: status === 'pending' ? null : 100 - id, reasons: [] },
    qps: null,
    avg_cpu_usage: null,
    disk_usage_pct: null,
    ...figures,
  } as FleetClusterJson;
}

const names = (list: FleetClusterJson[]) => list.map((c) => c.name);

describe('sortFleet', () => {
  const fleet = [
    entry(1, 'beta', 'critical', { qps: 5, avg_cpu_usage: 10 }),
    entry(2, 'Alpha', 'healthy', { qps: 50 }),
    entry(3, 'gamma', 'pending'),
    entry(4, 'delta', 'unreachable', { qps: 0 }),
    entry(5, 'epsilon', 'warning', { qps: 5 }),
  ];

  it('sorts by name without regard to case', () => {
    expect(names(sortFleet(fleet, 'name', 'asc'))).toEqual(['Alpha', 'beta', 'delta', 'epsilon', 'gamma']);
    expect(names(sortFleet(fleet, 'name', 'desc'))).toEqual(['gamma', 'epsilon', 'delta', 'beta', 'Alpha']);
  });

  it('sorts by status from healthy to unreachable, worst first when descending', () => {
    expect(names(sortFleet(fleet, 'status', 'asc'))).toEqual(['Alpha', 'gamma', 'epsilon', 'beta', 'delta']);
    expect(names(sortFleet(fleet, 'status', 'desc'))).toEqual(['delta', 'beta', 'epsilon', 'gamma', 'Alpha']);
  });

  it('puts clusters without the figure last in either order, ties by name', () => {
    expect(names(sortFleet(fleet, 'qps', 'desc'))).toEqual(['Alpha', 'beta', 'epsilon', 'delta', 'gamma']);
    expect(names(sortFleet(fleet, 'qps', 'asc'))).toEqual(['delta', 'beta', 'epsilon', 'Alpha', 'gamma']);
    expect(names(sortFleet(fleet, 'score', 'asc'))).toEqual(['epsilon', 'delta', 'Alpha', 'beta', 'gamma']);
    expect(names(sortFleet(fleet, 'cpu', 'asc'))).toEqual(['beta', 'Alpha', 'delta', 'epsilon', 'gamma']);
  });
});

describe('sortFleet, as the fleet page asks', () => {
  // The page's sorts: status worst first, names as people read them, figures highest first, score lowest first.
  const page = [
    entry(1, 'prod-2', 'healthy', { qps: 50, avg_cpu_usage: 20, health: { status: 'healthy', score: 100, reasons: [] } }),
    entry(2, 'prod-10', 'critical', { qps: 10, avg_cpu_usage: 90, health: { status: 'critical', score: 40, reasons: [] } }),
    entry(3, 'staging', 'warning', { qps: null, avg_cpu_usage: 50, health: { status: 'warning', score: 60, reasons: [] } }),
    entry(4, 'new-one', 'pending'),
    entry(5, 'gone', 'unreachable', { health: { status: 'unreachable', score: 0, reasons: [] } }),
  ];

  it('orders by urgency: unreachable, critical, warning, pending, healthy', () => {
    expect(names(sortFleet(page, 'status', 'desc'))).toEqual(['gone', 'prod-10', 'staging', 'new-one', 'prod-2']);
  });

  it('sorts names as people read them, and numbers with the unmeasured last', () => {
    expect(names(sortFleet(page, 'name', 'asc'))).toEqual(['gone', 'new-one', 'prod-2', 'prod-10', 'staging']);
    expect(names(sortFleet(page, 'qps', 'desc'))).toEqual(['prod-2', 'prod-10', 'gone', 'new-one', 'staging']);
    expect(names(sortFleet(page, 'cpu', 'desc')).slice(0, 3)).toEqual(['prod-10', 'staging', 'prod-2']);
    expect(names(sortFleet(page, 'score', 'asc'))[0]).toBe('gone');
    expect(names(sortFleet(page, 'score', 'asc')).at(-1)).toBe('new-one');
  });

  it('breaks ties of status by score (lowest first) and of score by status (most urgent first)', () => {
    const ties = [
      entry(1, 'a-warn', 'warning', { health: { status: 'warning', score: 70, reasons: [] } }),
      entry(2, 'b-crit', 'critical', { health: { status: 'critical', score: 70, reasons: [] } }),
      entry(3, 'c-crit', 'critical', { health: { status: 'critical', score: 40, reasons: [] } }),
    ];
    expect(names(sortFleet(ties, 'status', 'desc'))).toEqual(['c-crit', 'b-crit', 'a-warn']);
    expect(names(sortFleet(ties, 'score', 'asc'))).toEqual(['c-crit', 'b-crit', 'a-warn']);
  });
});

describe('nameContains', () => {
  it('finds a part of the name without regard to case', () => {
    expect(nameContains('prod-10', 'PROD-1')).toBe(true);
    expect(nameContains('prod-2', 'PROD-1')).toBe(false);
    expect(nameContains('anything', '')).toBe(true);
  });
});

describe('hasEveryTag', () => {
  it('needs every tag asked for', () => {
    expect(hasEveryTag(['prod', 'eu'], ['prod'])).toBe(true);
    expect(hasEveryTag(['prod', 'eu'], ['prod', 'eu'])).toBe(true);
    expect(hasEveryTag(['prod'], ['prod', 'eu'])).toBe(false);
    expect(hasEveryTag([], [])).toBe(true);
    // Tags are compared exactly.
    expect(hasEveryTag(['prod'], ['Prod'])).toBe(false);
  });
});
