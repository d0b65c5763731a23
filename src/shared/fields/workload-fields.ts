/** Transactions and loads (FE counters and the leader's job families), network and disk IO. */
import { beSum, byEngine, counter, starrocksOnly, describeSeries, type EngineSeries, feFirst, feSum, field, type FieldInputs, type FieldSpec } from './field-spec.js';
import { percentOf } from './nullable-math.js';

const T = 'Transactions and loads';
const N = 'Network and disk IO';

const delta = (read: EngineSeries) => ({ type: 'delta' as const, counter: counter('fe', read) });
const total = (read: EngineSeries) => ({ type: 'fe_sum' as const, read });
const onLeader = (read: EngineSeries) => ({ type: 'leader' as const, read, leaderLabel: false });

/** StarRocks has a family per outcome (`txn_begin`, …); Doris one family, `txn_counter{type}` (its MetricRepo). */
const txn = (outcome: 'begin' | 'success' | 'failed' | 'reject'): EngineSeries => byEngine(feSum(`txn_${outcome}`), feSum('txn_counter', { type: outcome }));
/** Running transactions: StarRocks 3.4+ `txn_running{db}`; Doris an unlabelled `txn_num` with a `{db}` breakdown beside it. */
const TXN_RUNNING = byEngine(feSum('txn_running'), feSum('txn_num'));

const TCP_RETRANS = counter('fe', feFirst('snmp', { name: 'tcp_retrans_segs' }));
const TCP_OUT = counter('fe', feFirst('snmp', { name: 'tcp_out_segs' }));
const CPU_IDLE = counter('be', beSum('cpu', { mode: 'idle' }));
const CPU_ALL = counter('be', beSum('cpu'));
const NET_SENT = beSum('network_send_bytes');
const NET_RECEIVED = beSum('network_receive_bytes');
const IO_READ = beSum('disk_bytes_read');
const IO_WRITTEN = beSum('disk_bytes_written');

function beCpuUsage(x: FieldInputs): number | null {
  if (x.bes === null || x.bes.length === 0) return null;
  const idle = x.increase(CPU_IDLE);
  const all = x.increase(CPU_ALL);
  return idle !== null && all !== null && all > 0 ? (1 - idle / all) * 100 : null;
}

export const WORKLOAD_FIELDS = [
  field('txn_begin', { unit: 'transactions', kind: 'delta', column: 'bigint', group: T, value: delta(txn('begin')) }),
  field('txn_success', { unit: 'transactions', kind: 'delta', column: 'bigint', group: T, value: delta(txn('success')) }),
  field('txn_failed', { unit: 'transactions', kind: 'delta', column: 'bigint', group: T, value: delta(txn('failed')) }),
  field('txn_reject', { unit: 'transactions', kind: 'delta', column: 'bigint', group: T, value: delta(txn('reject')) }),
  field('txn_begin_total', { unit: 'transactions', kind: 'total', column: 'bigint', group: T, value: total(txn('begin')), doc: { formula: 'Σ over scraped FEs (only the leader counts them)' } }),
  field('txn_success_total', { unit: 'transactions', kind: 'total', column: 'bigint', group: T, value: total(txn('success')) }),
  field('txn_failed_total', { unit: 'transactions', kind: 'total', column: 'bigint', group: T, value: total(txn('failed')) }),
  field('txn_running', {
    unit: 'transactions',
    kind: 'gauge',
    column: 'bigint',
    group: T,
    daily: 'stats',
    value: onLeader(TXN_RUNNING),
    doc: { formula: 'Σ of the `{db}` series on the leader, null before 3.4; on Doris the unlabelled series (its `{db}` series break it down)' },
  }),
  field('load_running', {
    unit: 'jobs',
    kind: 'gauge',
    column: 'bigint',
    group: T,
    daily: 'stats',
    value: onLeader(feSum('job', { job: 'load', state: ['PENDING', 'ETL', 'LOADING', 'COMMITTED'] })),
    doc: { formula: 'Σ of the PENDING, ETL, LOADING and COMMITTED series on the leader' },
  }),
  field('load_cancelled', { unit: 'jobs', kind: 'gauge', column: 'bigint', group: T, value: onLeader(feSum('job', { job: 'load', state: 'CANCELLED' })), doc: { formula: 'Σ of the series on the leader (jobs the FE still retains)' } }),
  field('alter_jobs_running', { unit: 'jobs', kind: 'gauge', column: 'bigint', group: T, value: onLeader(feSum('job', { job: 'alter' })) }),
  field('loads_finished', { unit: 'jobs', kind: 'delta', column: 'bigint', group: T, value: delta(starrocksOnly(feSum('load_finished'))) }),
  field('load_finished_total', { unit: 'jobs', kind: 'total', column: 'bigint', group: T, value: total(starrocksOnly(feSum('load_finished'))) }),
  field('routine_load_running', { unit: 'jobs', kind: 'gauge', column: 'bigint', group: T, value: onLeader(feFirst('routine_load_jobs', { state: 'RUNNING' })) }),
  field('routine_load_paused', { unit: 'jobs', kind: 'gauge', column: 'bigint', group: T, value: onLeader(feFirst('routine_load_jobs', { state: 'PAUSED' })) }),
  field('routine_load_rows', { unit: 'rows', kind: 'delta', column: 'bigint', group: T, value: delta(feSum('routine_load_rows')) }),
  field('edit_log_writes', { unit: 'journal entries', kind: 'delta', column: 'bigint', group: T, value: delta(byEngine(feSum('edit_log_write'), feSum('edit_log', { type: 'write' }))) }),

  field('tcp_retrans_pct', {
    unit: '%',
    kind: 'gauge',
    column: 'double precision',
    group: N,
    value: { type: 'custom', counters: [TCP_RETRANS, TCP_OUT], compute: (x) => percentOf(x.increase(TCP_RETRANS), x.increase(TCP_OUT)) },
    doc: { source: 'FE `/metrics` `starrocks_fe_snmp{name="tcp_retrans_segs"|"tcp_out_segs"}`', formula: 'Δretrans ÷ Δout × 100, both summed over FEs; null on the first collection' },
  }),
  field('be_cpu_usage', {
    unit: '%',
    kind: 'gauge',
    column: 'double precision',
    group: N,
    value: { type: 'custom', counters: [CPU_IDLE, CPU_ALL], compute: beCpuUsage },
    doc: { source: `BE \`/metrics\` \`${describeSeries(CPU_ALL.read.starrocks, 'starrocks')}{mode}\``, formula: '(1 − Δidle ÷ Δall modes) × 100, jiffies summed over alive BEs; null without BE scraping' },
  }),
  field('network_bytes_sent_total', { unit: 'bytes', kind: 'total', column: 'bigint', group: N, value: { type: 'be_sum', read: NET_SENT } }),
  field('network_bytes_received_total', { unit: 'bytes', kind: 'total', column: 'bigint', group: N, value: { type: 'be_sum', read: NET_RECEIVED } }),
  field('network_send_rate', { unit: 'bytes/s', kind: 'rate', column: 'double precision', group: N, daily: 'stats', value: { type: 'be_rate', counter: counter('be', NET_SENT) } }),
  field('network_receive_rate', { unit: 'bytes/s', kind: 'rate', column: 'double precision', group: N, daily: 'stats', value: { type: 'be_rate', counter: counter('be', NET_RECEIVED) } }),
  field('io_read_bytes_total', { unit: 'bytes', kind: 'total', column: 'bigint', group: N, value: { type: 'be_sum', read: IO_READ } }),
  field('io_write_bytes_total', { unit: 'bytes', kind: 'total', column: 'bigint', group: N, value: { type: 'be_sum', read: IO_WRITTEN } }),
  field('io_read_rate', { unit: 'bytes/s', kind: 'rate', column: 'double precision', group: N, daily: 'stats', value: { type: 'be_rate', counter: counter('be', IO_READ) } }),
  field('io_write_rate', { unit: 'bytes/s', kind: 'rate', column: 'double precision', group: N, daily: 'stats', value: { type: 'be_rate', counter: counter('be', IO_WRITTEN) } }),
] as const satisfies readonly FieldSpec[];
