/** Queries: rates, per-interval counts, cumulative counters, latency, connections, the queue. */
import { byEngine, counter, describeSeries, type EngineSeries, feFirst, feSum, field, type FieldSpec, starrocksOnly } from './field-spec.js';
import { maxOf, percentOf } from './nullable-math.js';

const G = 'Queries';

export const QUERY_TOTAL = counter('fe', feSum('query_total'));
const REQUEST_TOTAL = counter('fe', feSum('request_total'));
const QUERY_ERR = counter('fe', feSum('query_err'));
// Doris counts no timed-out or successful queries, and names its slow-query counter query_slow (its MetricRepo).
const QUERY_TIMEOUT = counter('fe', starrocksOnly(feSum('query_timeout')));
const SLOW_QUERY = counter('fe', byEngine(feSum('slow_query'), feSum('query_slow')));
const QUEUE_TOTAL = counter('fe', feSum('query_queue_total'));
const QUEUE_TIMEOUT = counter('fe', feSum('query_queue_timeout'));

const P50 = feFirst('query_latency', { type: '50_quantile' });

/** The worst FE among those that served queries since the previous collection. */
function latencyQuantile(quantile: string): Pick<FieldSpec, 'value' | 'doc'> {
  const series: EngineSeries = feFirst('query_latency_ms', { quantile });
  return {
    value: { type: 'custom', counters: [QUERY_TOTAL], compute: (x) => maxOf(x.fesWhereMoved(QUERY_TOTAL).map((fe) => x.read(fe, series))) },
    doc: {
      source: `FE \`/metrics\` \`${describeSeries(series.starrocks, 'starrocks')}\``,
      formula: 'maximum over FEs that served queries since the previous collection (all scraped FEs on the first); null when none',
    },
  };
}

export const QUERY_FIELDS = [
  field('qps', { unit: 'queries/s', kind: 'rate', column: 'double precision', group: G, daily: 'stats', value: { type: 'fe_rate', counter: QUERY_TOTAL, firstGauge: feFirst('qps') } }),
  field('rps', { unit: 'requests/s', kind: 'rate', column: 'double precision', group: G, daily: 'stats', value: { type: 'fe_rate', counter: REQUEST_TOTAL, firstGauge: feFirst('rps') } }),
  field('query_error_rate', { unit: 'errors/s', kind: 'rate', column: 'double precision', group: G, daily: 'stats', value: { type: 'fe_rate', counter: QUERY_ERR, firstGauge: feFirst('query_err_rate') } }),
  field('query_error_pct', {
    unit: '%',
    kind: 'derived',
    column: 'double precision',
    group: G,
    daily: 'recompute',
    value: { type: 'derived', inputs: ['query_errors', 'queries'], derive: (v) => percentOf(v.query_errors, v.queries) },
    doc: { formula: 'query_errors ÷ queries × 100; null when no query ran' },
  }),
  field('queries', { unit: 'queries', kind: 'delta', column: 'bigint', group: G, value: { type: 'delta', counter: QUERY_TOTAL } }),
  field('requests', { unit: 'requests', kind: 'delta', column: 'bigint', group: G, value: { type: 'delta', counter: REQUEST_TOTAL } }),
  field('query_errors', { unit: 'queries', kind: 'delta', column: 'bigint', group: G, value: { type: 'delta', counter: QUERY_ERR } }),
  field('query_timeouts', { unit: 'queries', kind: 'delta', column: 'bigint', group: G, value: { type: 'delta', counter: QUERY_TIMEOUT } }),
  field('slow_queries', { unit: 'queries', kind: 'delta', column: 'bigint', group: G, value: { type: 'delta', counter: SLOW_QUERY } }),
  field('query_total', { unit: 'queries', kind: 'total', column: 'bigint', group: G, value: { type: 'fe_sum', read: feSum('query_total') } }),
  field('query_success', { unit: 'queries', kind: 'total', column: 'bigint', group: G, value: { type: 'fe_sum', read: starrocksOnly(feSum('query_success')) } }),
  field('query_error', { unit: 'queries', kind: 'total', column: 'bigint', group: G, value: { type: 'fe_sum', read: feSum('query_err') } }),
  field('query_timeout', { unit: 'queries', kind: 'total', column: 'bigint', group: G, value: { type: 'fe_sum', read: starrocksOnly(feSum('query_timeout')) } }),
  field('query_latency_p50', {
    unit: 'ms',
    kind: 'gauge',
    column: 'double precision',
    group: G,
    daily: 'stats',
    // The FE prints 0 until `enable_collect_query_detail_info` is on: a 0 is no reading.
    value: { type: 'custom', counters: [], compute: (x) => maxOf(x.fes.map((fe) => x.read(fe, P50)).map((v) => (v === 0 ? null : v))) },
    doc: {
      source: `FE \`/metrics\` \`${describeSeries(P50.starrocks, 'starrocks')}\``,
      formula: 'maximum over scraped FEs of the non-zero gauges; null when all are 0 (the FE fills them only with `enable_collect_query_detail_info`)',
    },
  }),
  field('query_latency_p75', { unit: 'ms', kind: 'gauge', column: 'double precision', group: G, ...latencyQuantile('0.75') }),
  field('query_latency_p95', { unit: 'ms', kind: 'gauge', column: 'double precision', group: G, daily: 'stats', ...latencyQuantile('0.95') }),
  field('query_latency_p99', { unit: 'ms', kind: 'gauge', column: 'double precision', group: G, daily: 'stats', ...latencyQuantile('0.99') }),
  field('query_latency_p999', { unit: 'ms', kind: 'gauge', column: 'double precision', group: G, ...latencyQuantile('0.999') }),
  field('connections', {
    unit: 'connections',
    kind: 'gauge',
    column: 'bigint',
    group: G,
    daily: 'stats',
    value: { type: 'fe_sum', read: feSum('connection_total') },
    doc: { formula: "Σ over scraped FEs of each FE's unlabelled series, or of its `{user}` series where it prints only those (StarRocks 3.3+)" },
  }),
  field('query_queue_pending', { unit: 'queries', kind: 'gauge', column: 'bigint', group: G, value: { type: 'fe_sum', read: feSum('query_queue_pending') }, doc: { formula: 'Σ over scraped FEs; null before 3.1' } }),
  field('queued_queries', { unit: 'queries', kind: 'delta', column: 'bigint', group: G, value: { type: 'delta', counter: QUEUE_TOTAL } }),
  field('query_queue_timeouts', { unit: 'queries', kind: 'delta', column: 'bigint', group: G, value: { type: 'delta', counter: QUEUE_TIMEOUT } }),
] as const satisfies readonly FieldSpec[];
