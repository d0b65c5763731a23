import { describe, expect, it } from 'vitest';
import { assessHealth, type HealthFigures } from './health-score.js';

const NOW = Date.UTC(2026, 10, 24, 12, 0, 0);
const context = { now: NOW, intervalMs: 30_000 };

/** A healthy cluster's figures, changed only where a test cares. */
function figures(overrides: Partial<HealthFigures> = {}): HealthFigures {
  return {
    collected_at: NOW - 10_000,
    collect_status: 'ok',
    failed_sources: [],
    backend_alive: 3,
    backend_total: 3,
    compute_node_alive: 0,
    compute_node_total: 0,
    frontend_alive: 3,
    frontend_total: 3,
    disk_usage_pct: 40,
    disk_max_usage_pct: 55,
    max_compaction_score: 12,
    avg_cpu_usage: 30,
    jvm_heap_usage_pct: 45,
    query_error_pct: 0.1,
    queries: 1200,
    ...overrides,
  };
}

const codes = (overrides: Partial<HealthFigures>) => assessHealth(figures(overrides), context).reasons.map((r) => `${r.code}:${r.level}:${r.penalty}`);

describe('assessHealth', () => {
  it('is pending with no snapshot, healthy at 100 with nothing wrong', () => {
    expect(assessHealth(null, context)).toEqual({ status: 'pending', score: null, reasons: [] });
    expect(assessHealth(figures(), context)).toEqual({ status: 'healthy', score: 100, reasons: [] });
  });

  it('is unreachable when the latest collection reached nothing, whatever else', () => {
    const health = assessHealth(
      figures({ collect_status: 'failed', failed_sources: [{ source: 'frontends', kind: 'refused', message: 'x' }], backend_alive: null, backend_total: null }),
      context,
    );
    expect(health.status).toBe('unreachable');
    expect(health.score).toBe(0);
    expect(health.reasons).toEqual([expect.objectContaining({ code: 'collection_failing', level: 'critical', message: expect.stringContaining('frontends (refused)') })]);
  });

  it('counts BE, CN and FE outages; half the FEs down is critical', () => {
    expect(codes({ backend_alive: 2 })).toEqual(['backend_down:critical:30']);
    expect(codes({ compute_node_alive: 1, compute_node_total: 2 })).toEqual(['compute_node_down:critical:30']);
    expect(codes({ frontend_alive: 2 })).toEqual(['frontend_down:warning:15']);
    expect(codes({ frontend_alive: 1 })).toEqual(['frontend_down:critical:30']);
    expect(codes({ frontend_alive: 0, frontend_total: 1 })).toEqual(['frontend_down:critical:30']);
  });

  it('judges the fullest disk when known, else the cluster’s disks', () => {
    expect(codes({ disk_max_usage_pct: 85 })).toEqual(['disk_usage:warning:10']);
    expect(codes({ disk_max_usage_pct: 95 })).toEqual(['disk_usage:critical:20']);
    expect(codes({ disk_max_usage_pct: null, disk_usage_pct: 91 })).toEqual(['disk_usage:critical:20']);
    expect(codes({ disk_max_usage_pct: 80 })).toEqual([]);
  });

  it('warns on compaction over 100, CPU over 90 %, heap over 80 %; criticals above', () => {
    expect(codes({ max_compaction_score: 101 })).toEqual(['compaction_score:warning:10']);
    expect(codes({ max_compaction_score: 501 })).toEqual(['compaction_score:critical:20']);
    expect(codes({ avg_cpu_usage: 91 })).toEqual(['cpu_usage:warning:10']);
    expect(codes({ jvm_heap_usage_pct: 81 })).toEqual(['jvm_heap_usage:warning:10']);
    expect(codes({ jvm_heap_usage_pct: 92 })).toEqual(['jvm_heap_usage:critical:20']);
  });

  it('judges the error rate only over enough queries', () => {
    expect(codes({ query_error_pct: 6 })).toEqual(['query_error_rate:warning:10']);
    expect(codes({ query_error_pct: 30 })).toEqual(['query_error_rate:critical:20']);
    expect(codes({ query_error_pct: 50, queries: 4 })).toEqual([]);
  });

  it('flags a partial collection and a stale snapshot', () => {
    expect(codes({ collect_status: 'partial', failed_sources: [{ source: 'backends', kind: 'timeout', message: '' }] })).toEqual(['collection_partial:warning:5']);
    expect(codes({ collected_at: NOW - 91_000 })).toEqual(['data_stale:warning:10']);
    expect(codes({ collected_at: NOW - 90_000 })).toEqual([]);
  });

  it('never makes a reason of a figure that is not known', () => {
    const unknown = figures({
      backend_alive: null,
      frontend_total: null,
      disk_usage_pct: null,
      disk_max_usage_pct: null,
      max_compaction_score: null,
      avg_cpu_usage: null,
      jvm_heap_usage_pct: null,
      query_error_pct: null,
    });
    expect(assessHealth(unknown, context)).toEqual({ status: 'healthy', score: 100, reasons: [] });
  });

  it('takes every penalty off 100, never below 0, and is as bad as its worst reason', () => {
    const warning = assessHealth(figures({ avg_cpu_usage: 95, jvm_heap_usage_pct: 85 }), context);
    expect(warning).toMatchObject({ status: 'warning', score: 80 });
    const bad = assessHealth(figures({ backend_alive: 0, compute_node_alive: 0, compute_node_total: 2, frontend_alive: 1, disk_max_usage_pct: 99, max_compaction_score: 900, jvm_heap_usage_pct: 99 }), context);
    expect(bad).toMatchObject({ status: 'critical', score: 0 });
  });
});
