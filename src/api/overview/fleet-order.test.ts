import { describe, expect, it } from 'vitest';
import type { FleetClusterJson, HealthStatus } from '../../shared/overview-types.js';
import { hasEveryTag, sortFleet } from './fleet-order.js';

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

describe('hasEveryTag', () => {
  it('needs every tag asked for', () => {
    expect(hasEveryTag(['prod', 'eu'], ['prod'])).toBe(true);
    expect(hasEveryTag(['prod', 'eu'], ['prod', 'eu'])).toBe(true);
    expect(hasEveryTag(['prod'], ['prod', 'eu'])).toBe(false);
    expect(hasEveryTag([], [])).toBe(true);
  });
});
