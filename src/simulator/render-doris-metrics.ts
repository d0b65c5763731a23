/**
 * The series a Doris FE prints its own way (apache/doris fe-core `metric/MetricRepo.java`,
 * `CloudMetrics.java`, `PrometheusMetricVisitor.java`), for `render-fe-metrics.ts`:
 *
 * - totals with their breakdowns in the same family: one `{user}` series per user of
 *   `query_total` and `query_err` (apache/doris#22125) and of `connection_total`
 *   (apache/doris#39200); in compute-storage mode one `{cluster_id, cluster_name}` series per
 *   compute group of `request_total`, `query_total`, `query_err`, `qps`, `rps`,
 *   `query_err_rate` (`MetricRepo.registerCloudMetrics`). A family's series are one
 *   `MetricList`, a HashMap by label set, in which the unlabelled series (hash 0) comes first;
 * - transactions as `txn_counter{type}` and the running ones as `txn_num`, unlabelled and per `{db}`;
 * - summaries as the newer visitor writes them: `{quantile="0.75",user="…"}` joined by `,`,
 *   `_sum {}` with a blank before the braces; per-group summaries right after the total (the
 *   histogram registry is sorted by name), per-user ones after all others.
 */
import type { ClusterModel } from './cluster-model.js';
import { type FeValues, runningTxnsByDb } from './fe-values.js';
import { javaDouble, javaLong } from './java-format.js';
import type { Labels, PrometheusWriter } from './prometheus-writer.js';

const groupLabels = (model: ClusterModel, g: number): Labels => {
  const group = model.computeGroups[g]!;
  return [['cluster_id', group.id], ['cluster_name', group.name]];
};

/** `request_total`, `query_total` and `query_err`: the FE's totals, then their breakdowns. */
export function writeDorisQueryCounters(w: PrometheusWriter, model: ClusterModel, v: FeValues, p: string): void {
  const c = v.counters;
  const counter = (name: string, help: string, value: number, labels: Labels = []): void => w.series(`${p}${name}`, 'counter', help, labels, javaLong(value));
  const users = v.fe.users;
  counter('request_total', 'total request', c.requestTotal);
  c.byComputeGroup.forEach((group, g) => counter('request_total', 'total request', group.requestTotal, groupLabels(model, g)));
  counter('query_total', 'total query', c.queryTotal);
  users.forEach((u, i) => counter('query_total', 'total query for single user', c.queryTotalByUser[i] ?? 0, [['user', u.name]]));
  c.byComputeGroup.forEach((group, g) => counter('query_total', 'total query', group.queryTotal, groupLabels(model, g)));
  counter('query_err', 'total error query', c.queryErr);
  users.forEach((u, i) => counter('query_err', 'total error query for single user', c.queryErrByUser[i] ?? 0, [['user', u.name]]));
  c.byComputeGroup.forEach((group, g) => counter('query_err', 'total error query', group.queryErr, groupLabels(model, g)));
}

/** `qps`, `rps`, `query_err_rate`: the FE's gauges, then each compute group's. */
export function writeDorisRateGauges(w: PrometheusWriter, model: ClusterModel, v: FeValues, p: string): void {
  const gauge = (name: string, help: string, value: number, labels: Labels = []): void => w.series(`${p}${name}`, 'gauge', help, labels, javaDouble(value));
  gauge('qps', 'query per second', v.qps);
  v.computeGroupRates.forEach((r, g) => gauge('qps', 'query per second', r.qps, groupLabels(model, g)));
  gauge('rps', 'request per second', v.rps);
  v.computeGroupRates.forEach((r, g) => gauge('rps', 'request per second', r.rps, groupLabels(model, g)));
  gauge('query_err_rate', 'query error rate', v.errRate);
  v.computeGroupRates.forEach((r, g) => gauge('query_err_rate', 'query error rate', r.errRate, groupLabels(model, g)));
}

/** `connection_total`: the FE's connections (`getConnectionNum`), then each user's. */
export function writeDorisConnections(w: PrometheusWriter, v: FeValues, p: string): void {
  const total = v.connectionsByUser.reduce((sum, u) => sum + u.count, 0);
  w.series(`${p}connection_total`, 'gauge', 'total connections', [], javaLong(total));
  for (const { user, count } of v.connectionsByUser) w.series(`${p}connection_total`, 'gauge', 'total connections', [['user', user]], javaLong(count));
}

/**
 * `txn_counter{type}` in the order `MetricRepo` registers them, and `txn_num`: every FE replays
 * the transaction states, so followers print the running ones too.
 */
export function writeDorisTransactions(w: PrometheusWriter, v: FeValues, p: string, model: ClusterModel, tMs: number): void {
  const c = v.counters;
  for (const [type, help, value] of [
    ['reject', 'counter of rejected transactions', c.txnReject],
    ['begin', 'counter of beginning transactions', c.txnBegin],
    ['success', 'counter of success transactions', c.txnSuccess],
    ['failed', 'counter of failed transactions', c.txnFailed],
  ] as const) {
    w.series(`${p}txn_counter`, 'counter', help, [['type', type]], javaLong(value));
  }
  const running = runningTxnsByDb(model, tMs);
  w.series(`${p}txn_num`, 'gauge', 'number of running transactions', [], javaLong(running.reduce((sum, r) => sum + r.running, 0)));
  for (const r of running) w.series(`${p}txn_num`, 'gauge', 'number of running transactions', [['db', r.db]], javaLong(r.running));
}

/** One summary as Doris' visitor writes it; the header only before the family's first series. */
export function writeDorisSummary(w: PrometheusWriter, name: string, quantiles: readonly number[], count: number, mean: number, labels: Labels = []): void {
  w.header(name, 'summary', '');
  const tags = labels.map(([k, value]) => `${k}="${value}"`).join(',');
  const more = tags === '' ? '' : `,${tags}`;
  for (const [i, quantile] of ['0.75', '0.95', '0.98', '0.99', '0.999'].entries()) w.raw(`${name}{quantile="${quantile}"${more}} ${javaDouble(quantiles[i] ?? 0)}`);
  w.raw(`${name}_sum {${tags}} ${javaDouble(count * mean)}`);
  w.raw(`${name}_count {${tags}} ${javaLong(count)}`);
}

/** The latency summaries of each compute group (after the FE's own) and of each user (after every other summary). */
export function writeDorisLatencyBreakdowns(w: PrometheusWriter, model: ClusterModel, v: FeValues, p: string, where: 'groups' | 'users'): void {
  const l = v.latency;
  const name = `${p}query_latency_ms`;
  // A group's or a user's queries are not the FE's: their quantiles differ from its own.
  const scaled = (factor: number): number[] => [l.p75, l.p95, l.p98, l.p99, l.p999].map((q) => Math.round(q * factor));
  if (where === 'groups') {
    v.counters.byComputeGroup.forEach((group, g) => writeDorisSummary(w, name, scaled(0.8 + g), group.queryTotal, l.mean, groupLabels(model, g)));
    return;
  }
  v.fe.users.forEach((u, i) => writeDorisSummary(w, name, scaled(1.5 + i), v.counters.queryTotalByUser[i] ?? 0, l.mean, [['user', u.name]]));
}
