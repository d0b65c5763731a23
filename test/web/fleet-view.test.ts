import { describe, expect, it } from 'vitest';
import type { FleetClusterJson, HealthStatus } from '../../src/shared/overview-types.js';
import { aliveOfTotal, parseSort, parseStatus, parseTags, viewFleet } from '../../web/src/pages/fleet/fleet-view.js';

function cluster(id: number, name: string, status: HealthStatus, extra: Partial<FleetClusterJson> = {}): FleetClusterJson {
  return {
    id,
    name,
    tags: [],
    engine: 'starrocks',
    deployment_mode: 'shared_nothing',
    version: '3.3.8',
    health: { status, score: status === 'healthy' ? 100 : status === 'pending' ? null : 60, reasons: [] },
    collection: null,
    last_collected_at: null,
    collect_status: 'ok',
    qps: null,
    query_latency_p99: null,
    query_error_pct: null,
    backend_alive: null,
    backend_total: null,
    compute_node_alive: null,
    compute_node_total: null,
    frontend_alive: null,
    frontend_total: null,
    avg_cpu_usage: null,
    avg_memory_usage: null,
    disk_usage_pct: null,
    max_compaction_score: null,
    jvm_heap_usage_pct: null,
    qps_sparkline: [],
    ...extra,
  };
}

const FLEET = [
  cluster(1, 'prod-2', 'healthy', { tags: ['prod'], qps: 50, avg_cpu_usage: 20 }),
  cluster(2, 'prod-10', 'critical', { tags: ['prod', 'eu'], qps: 10, avg_cpu_usage: 90, health: { status: 'critical', score: 40, reasons: [] } }),
  cluster(3, 'staging', 'warning', { tags: ['staging'], qps: null, avg_cpu_usage: 50 }),
  cluster(4, 'new-one', 'pending', { tags: ['prod'] }),
  cluster(5, 'gone', 'unreachable', { tags: ['staging'], health: { status: 'unreachable', score: 0, reasons: [] } }),
];

const names = (view: { clusters: FleetClusterJson[] }) => view.clusters.map((c) => c.name);
const none = { tags: [], status: null, query: '', sort: 'status' } as const;

describe('viewFleet', () => {
  it('orders by urgency by default: critical, unreachable, warning, pending, healthy', () => {
    expect(names(viewFleet(FLEET, none))).toEqual(['prod-10', 'gone', 'staging', 'new-one', 'prod-2']);
  });

  it('sorts names as people read them, and numbers with the unmeasured last', () => {
    expect(names(viewFleet(FLEET, { ...none, sort: 'name' }))).toEqual(['gone', 'new-one', 'prod-2', 'prod-10', 'staging']);
    expect(names(viewFleet(FLEET, { ...none, sort: 'qps' }))).toEqual(['prod-2', 'prod-10', 'gone', 'new-one', 'staging']);
    expect(names(viewFleet(FLEET, { ...none, sort: 'cpu' })).slice(0, 3)).toEqual(['prod-10', 'staging', 'prod-2']);
    expect(names(viewFleet(FLEET, { ...none, sort: 'score' }))[0]).toBe('gone');
    expect(names(viewFleet(FLEET, { ...none, sort: 'score' })).at(-1)).toBe('new-one');
  });

  it('filters by tag, name and status; the counts ignore the status filter', () => {
    const prod = viewFleet(FLEET, { ...none, tags: ['prod'] });
    expect(names(prod)).toEqual(['prod-10', 'new-one', 'prod-2']);
    expect(prod.counts).toEqual({ critical: 1, unreachable: 0, warning: 0, pending: 1, healthy: 1 });

    const critical = viewFleet(FLEET, { ...none, tags: ['prod'], status: 'critical' });
    expect(names(critical)).toEqual(['prod-10']);
    expect(critical.counts).toEqual(prod.counts);
    expect(critical.matching).toBe(3);

    expect(names(viewFleet(FLEET, { ...none, query: 'PROD-1' }))).toEqual(['prod-10']);
    expect(names(viewFleet(FLEET, { ...none, tags: ['nope'] }))).toEqual([]);
  });

  it('filters by tags as the API does: a cluster must have every tag given', () => {
    expect(names(viewFleet(FLEET, { ...none, tags: ['prod', 'eu'] }))).toEqual(['prod-10']);
    expect(names(viewFleet(FLEET, { ...none, tags: ['prod', 'staging'] }))).toEqual([]);
    expect(viewFleet(FLEET, { ...none, tags: ['prod', 'eu'] }).matching).toBe(1);
    // Tags are compared exactly.
    expect(names(viewFleet(FLEET, { ...none, tags: ['Prod'] }))).toEqual([]);
  });

  it('reads the tag parameters as the API does: repeated or comma-separated', () => {
    expect(parseTags([])).toEqual([]);
    expect(parseTags(['prod'])).toEqual(['prod']);
    expect(parseTags(['prod', 'eu'])).toEqual(['prod', 'eu']);
    expect(parseTags(['prod,eu'])).toEqual(['prod', 'eu']);
    expect(parseTags([' prod , eu,', '', 'prod'])).toEqual(['prod', 'eu']);
  });

  it('reads the URL leniently: an unknown sort or status is the default', () => {
    expect(parseSort('disk')).toBe('disk');
    expect(parseSort('toString')).toBe('status');
    expect(parseSort(null)).toBe('status');
    expect(parseStatus('warning')).toBe('warning');
    expect(parseStatus('bad')).toBeNull();
  });

  it('prints nodes alive of total, or a dash when never read', () => {
    expect(aliveOfTotal(11, 12)).toBe('11/12');
    expect(aliveOfTotal(0, 0)).toBe('0/0');
    expect(aliveOfTotal(null, 12)).toBe('—');
  });
});
