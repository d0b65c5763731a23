import { describe, expect, it } from 'vitest';
import type { HealthReason, SnapshotJson } from '../../src/shared/api/overview.js';
import { SNAPSHOT_FIELDS } from '../../src/shared/snapshot-fields.js';
import { buildHealthCards } from '../../web/src/pages/cluster-overview/health-cards.js';
import { cardLevel, reasonLevel, worse } from '../../web/src/pages/cluster-overview/health-levels.js';

/** A snapshot where nothing was measured, plus the given figures. */
function snapshot(figures: Partial<SnapshotJson> = {}): SnapshotJson {
  const empty = Object.fromEntries(SNAPSHOT_FIELDS.map((f) => [f.name, null]));
  return { ...empty, collected_at: '2026-11-24T12:00:00.000Z', collect_status: 'ok', collect_duration_ms: 120, failed_sources: [], frontends_scraped: 3, ...figures } as SnapshotJson;
}

const reason = (code: string, level: HealthReason['level']): HealthReason => ({ code, level, message: code, penalty: 10 });

function card(cards: ReturnType<typeof buildHealthCards>, id: string) {
  const found = cards.find((c) => c.id === id);
  if (!found) throw new Error(`no card ${id} among ${cards.map((c) => c.id).join(', ')}`);
  return found;
}

describe('health levels', () => {
  // The levels themselves are @shared/health.ts's (src/shared/health.test.ts): the cards add only "not measured".
  it('reads a figure that was not measured as unknown', () => {
    expect(cardLevel(null)).toBe('unknown');
    expect(cardLevel('warning')).toBe('warning');
  });

  it('takes the worst matching reason', () => {
    const reasons = [reason('disk_usage', 'warning'), reason('disk_usage', 'critical'), reason('cpu_usage', 'warning')];
    expect(reasonLevel(reasons, ['disk_usage'])).toBe('critical');
    expect(reasonLevel(reasons, ['jvm_heap_usage'])).toBe('unknown');
    expect(worse('ok', 'warning')).toBe('warning');
    expect(worse('critical', 'warning')).toBe('critical');
  });
});

describe('buildHealthCards', () => {
  it('shows a dash and stays grey for what was not measured', () => {
    const cards = buildHealthCards(snapshot(), [], 'shared_nothing');
    for (const c of cards) {
      expect(c.level, c.id).toBe('unknown');
      expect(c.value, c.id).toMatch(/—/);
    }
  });

  it('shows nodes alive out of total, red when a backend is down', () => {
    const cards = buildHealthCards(snapshot({ backend_alive: 11, backend_total: 12, frontend_alive: 3, frontend_total: 3, frontend_leader: 'fe1' }), [], 'shared_nothing');
    expect(card(cards, 'backends')).toMatchObject({ value: '11/12', level: 'critical' });
    expect(card(cards, 'frontends')).toMatchObject({ value: '3/3', level: 'ok', detail: 'leader fe1' });
    expect(cards.some((c) => c.id === 'compute-nodes')).toBe(false);
  });

  it('shows compute nodes rather than backends on a shared-data cluster', () => {
    const cards = buildHealthCards(snapshot({ backend_total: 0, backend_alive: 0, compute_node_alive: 4, compute_node_total: 4 }), [], 'shared_data');
    expect(cards.some((c) => c.id === 'backends')).toBe(false);
    expect(card(cards, 'compute-nodes')).toMatchObject({ value: '4/4', level: 'ok' });
  });

  it('colours resource cards at the health score thresholds', () => {
    const cards = buildHealthCards(
      snapshot({ avg_cpu_usage: 91, disk_usage_pct: 70, disk_max_usage_pct: 92, max_compaction_score: 150, jvm_heap_usage_pct: 79, avg_memory_usage: 99 }),
      [],
      'shared_nothing',
    );
    expect(card(cards, 'cpu').level).toBe('warning');
    // The fullest disk decides, as in the score, and is the figure shown.
    expect(card(cards, 'disk')).toMatchObject({ label: 'Disk (fullest)', value: '92.0%', level: 'critical' });
    expect(card(cards, 'disk').detail).toMatch(/^all disks 70.0% · /);
    expect(card(cards, 'compaction').level).toBe('warning');
    expect(card(cards, 'jvm-heap').level).toBe('ok');
    expect(card(cards, 'memory').level).toBe('ok');
  });

  it('shows all disks together when the fullest is not reported', () => {
    const cards = buildHealthCards(snapshot({ disk_usage_pct: 85, disk_used_bytes: 85 * 1024 ** 4, disk_total_bytes: 100 * 1024 ** 4 }), [], 'shared_nothing');
    expect(card(cards, 'disk')).toMatchObject({ label: 'Disk', value: '85.0%', level: 'warning', detail: '85 TiB of 100 TiB' });
  });

  it('judges the error rate only with enough queries', () => {
    const few = buildHealthCards(snapshot({ query_error_pct: 50, queries: 4, query_errors: 2 }), [], 'shared_nothing');
    expect(card(few, 'error-rate').level).toBe('ok');
    const many = buildHealthCards(snapshot({ query_error_pct: 6, queries: 100, query_errors: 6 }), [], 'shared_nothing');
    expect(card(many, 'error-rate')).toMatchObject({ level: 'warning', detail: '6 failed of 100' });
  });

  it('is never calmer than the server reasons for the same figure', () => {
    const cards = buildHealthCards(snapshot({ jvm_heap_usage_pct: 50 }), [reason('jvm_heap_usage', 'critical')], 'shared_nothing');
    expect(card(cards, 'jvm-heap').level).toBe('critical');
  });

  it('formats values in their units', () => {
    const cards = buildHealthCards(
      snapshot({ qps: 1234.5, rps: 2000, query_latency_p99: 1250, query_latency_p95: 300, jvm_heap_usage_pct: 40, jvm_heap_used: 2 * 1024 ** 3, jvm_heap_max: 8 * 1024 ** 3, load_running: 3, txn_running: 12 }),
      [],
      'shared_nothing',
    );
    expect(card(cards, 'qps')).toMatchObject({ value: '1,235', detail: '2,000 requests/s' });
    expect(card(cards, 'latency-p99')).toMatchObject({ value: '1.25 s', detail: 'p95 300 ms' });
    expect(card(cards, 'jvm-heap').detail).toBe('2 GiB of 8 GiB');
    expect(card(cards, 'running-loads').value).toBe('3 / 12');
  });
});
