/** Storage and compaction (the leader's families) and the FEs' JVMs. */
import { counter, describeSeries, type FieldInputs, feFirst, feSum, field, type FieldSpec, jvmFirst, type RuntimeHeap } from './field-spec.js';
import { maxOf, sumOf } from './nullable-math.js';

const S = 'Storage and compaction';
const J = 'FE JVM';

const TABLET_NUM = feSum('tablet_num');
const HEAP_USED = jvmFirst('jvm_heap_size_bytes', { type: 'used' });
const HEAP_MAX = jvmFirst('jvm_heap_size_bytes', { type: 'max' });
const HEAP_COMMITTED = jvmFirst('jvm_heap_size_bytes', { type: 'committed' });

const leader = (family: string) => ({ type: 'leader' as const, read: feSum(family), leaderLabel: false });
/** A figure every FE prints, only the leader truly: its `is_leader="true"` series where labelled. */
const leaderOwn = (family: string) => ({ type: 'leader' as const, read: feFirst(family), leaderLabel: true });

interface Heap {
  readonly used: number | null;
  readonly max: number | null;
  readonly committed: number | null;
}

/**
 * Each FE's JVM heap: from its `jvm_heap_size_bytes` family, or, for an FE whose `/metrics`
 * has none (or did not answer), from its runtime info — committed minus free is the same
 * `used` the JVM family reports.
 */
function feHeaps(x: FieldInputs): Heap[] {
  const heaps = new Map<string, Heap>();
  for (const fe of x.fes) {
    const heap = { used: x.read(fe, HEAP_USED), max: x.read(fe, HEAP_MAX), committed: x.read(fe, HEAP_COMMITTED) };
    if (heap.used !== null || heap.max !== null || heap.committed !== null) heaps.set(fe.key, heap);
  }
  const fromRuntime = (info: RuntimeHeap): Heap => ({ used: info.total_mem - info.free_mem, max: info.max_mem, committed: info.total_mem });
  for (const { key, info } of x.runtime ?? []) if (!heaps.has(key)) heaps.set(key, fromRuntime(info));
  return [...heaps.values()];
}

const RUNTIME = 'with the `runtime_info` source, `/api/show_runtime_info` of an FE whose `/metrics` has no JVM families';
type Combine = (values: readonly (number | null)[]) => number | null;
const heap = (pick: (h: Heap) => number | null, combine: Combine, series: typeof HEAP_USED, runtime: string, formula: string) => ({
  value: { type: 'custom' as const, counters: [], compute: (x: FieldInputs) => combine(feHeaps(x).map(pick)) },
  doc: { source: `FE \`/metrics\` \`${describeSeries(series.starrocks, 'starrocks')}\`; ${RUNTIME}: ${runtime}`, formula },
});
const usagePct = (h: Heap): number | null => (h.used !== null && h.max !== null && h.max > 0 ? (h.used / h.max) * 100 : null);

export const FE_STATE_FIELDS = [
  field('tablet_count', {
    unit: 'tablets',
    kind: 'gauge',
    column: 'bigint',
    group: S,
    daily: 'stats',
    value: {
      type: 'custom',
      counters: [],
      // Shared-data clusters print no tablet_num series: the node lists count tablets instead.
      compute: (x) => (x.leader ? x.read(x.leader, TABLET_NUM) : null) ?? sumOf([...(x.backends ?? []), ...(x.computeNodes ?? [])].map((n) => n.tablets)),
    },
    doc: { source: 'FE `/metrics` of the leader `starrocks_fe_tablet_num{backend}`', formula: 'Σ of the series on the leader; without them (shared-data), Σ `TabletNum` of the node lists' },
  }),
  field('max_compaction_score', { unit: 'score', kind: 'gauge', column: 'double precision', group: S, daily: 'stats', value: leaderOwn('max_tablet_compaction_score') }),
  field('scheduled_tablets', { unit: 'tablets', kind: 'gauge', column: 'bigint', group: S, value: leaderOwn('scheduled_tablet_num') }),
  field('database_count', { unit: 'databases', kind: 'gauge', column: 'bigint', group: S, value: leaderOwn('database_num') }),
  field('table_count', { unit: 'tables', kind: 'gauge', column: 'bigint', group: S, value: leader('table_num'), doc: { formula: 'Σ of the `{db_name}` series on the leader' } }),
  field('max_journal_id', { unit: 'journal entries', kind: 'gauge', column: 'bigint', group: S, value: leaderOwn('max_journal_id') }),
  field('meta_log_count', { unit: 'journal entries', kind: 'gauge', column: 'bigint', group: S, value: leaderOwn('meta_log_count'), doc: { formula: "the leader's value (a checkpoint runs at 50,000)" } }),

  field('jvm_heap_used', { unit: 'bytes', kind: 'gauge', column: 'bigint', group: J, ...heap((h) => h.used, sumOf, HEAP_USED, '`total_mem − free_mem`', 'Σ over scraped FEs') }),
  field('jvm_heap_max', { unit: 'bytes', kind: 'gauge', column: 'bigint', group: J, ...heap((h) => h.max, sumOf, HEAP_MAX, '`max_mem`', 'Σ over scraped FEs') }),
  field('jvm_heap_committed', { unit: 'bytes', kind: 'gauge', column: 'bigint', group: J, ...heap((h) => h.committed, sumOf, HEAP_COMMITTED, '`total_mem`', 'Σ over scraped FEs') }),
  field('jvm_heap_usage_pct', {
    unit: '%',
    kind: 'gauge',
    column: 'double precision',
    group: J,
    daily: 'stats',
    ...heap(usagePct, maxOf, HEAP_USED, 'the same from `total_mem`, `free_mem` and `max_mem`', 'the highest used ÷ max × 100 among scraped FEs (the FE closest to an out-of-memory)'),
  }),
  field('jvm_thread_count', { unit: 'threads', kind: 'gauge', column: 'bigint', group: J, value: { type: 'fe_sum', read: jvmFirst('jvm_thread', { type: 'count' }) } }),
  field('young_gc_count', { unit: 'collections', kind: 'delta', column: 'bigint', group: J, value: { type: 'delta', counter: counter('fe', jvmFirst('jvm_young_gc', { type: 'count' })) } }),
  field('young_gc_time_ms', { unit: 'ms', kind: 'delta', column: 'bigint', group: J, value: { type: 'delta', counter: counter('fe', jvmFirst('jvm_young_gc', { type: 'time' })) } }),
  field('old_gc_count', { unit: 'collections', kind: 'delta', column: 'bigint', group: J, value: { type: 'delta', counter: counter('fe', jvmFirst('jvm_old_gc', { type: 'count' })) } }),
  field('old_gc_time_ms', { unit: 'ms', kind: 'delta', column: 'bigint', group: J, value: { type: 'delta', counter: counter('fe', jvmFirst('jvm_old_gc', { type: 'time' })) } }),
] as const satisfies readonly FieldSpec[];
