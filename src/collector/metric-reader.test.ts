/**
 * How a catalogue series is read out of a parsed body: a family's total is its series without
 * other labels when it prints one, its breakdowns are never added to it, and a family without
 * such a series is the sum of its parts. Bodies spelled as the FEs print them.
 */
import { describe, expect, it } from 'vitest';
import { byEngine, feFirst, feSum } from '../shared/fields/field-spec.js';
import { parsePrometheusText } from '../starrocks/parse/prometheus-text.js';
import { MetricReader } from './metric-reader.js';

const doris = (body: string) => new MetricReader(parsePrometheusText(body), 'doris');
const starrocks = (body: string) => new MetricReader(parsePrometheusText(body), 'starrocks');

describe('MetricReader.read', () => {
  it('takes a Doris total and leaves its per-user and per-compute-group breakdowns out', () => {
    const body = [
      '# HELP doris_fe_query_total total query',
      '# TYPE doris_fe_query_total counter',
      'doris_fe_query_total 1000',
      'doris_fe_query_total{user="root"} 600',
      'doris_fe_query_total{user="etl"} 400',
      'doris_fe_query_total{cluster_id="c0", cluster_name="compute_cluster"} 700',
      'doris_fe_query_total{cluster_id="c1", cluster_name="etl_group"} 300',
      '',
    ].join('\n');
    expect(doris(body).read(feSum('query_total'))).toBe(1000);
  });

  it('finds the total wherever the FE prints it among its breakdowns', () => {
    const body = ['# TYPE doris_fe_connection_total gauge', 'doris_fe_connection_total{user="root"} 7', 'doris_fe_connection_total{user="bi"} 5', 'doris_fe_connection_total 12', ''].join('\n');
    expect(doris(body).read(feSum('connection_total'))).toBe(12);
  });

  it('prefers the total over a breakdown printed before it when taking the first series', () => {
    const body = ['# TYPE doris_fe_qps gauge', 'doris_fe_qps{cluster_id="c0", cluster_name="compute_cluster"} 3.5', 'doris_fe_qps 10.0', ''].join('\n');
    expect(doris(body).read(feFirst('qps'))).toBe(10);
  });

  it('counts only the labels the field does not select: txn_counter{type} is a total per type', () => {
    const body = ['# TYPE doris_fe_txn_counter counter', 'doris_fe_txn_counter{type="reject"} 1', 'doris_fe_txn_counter{type="begin"} 90', 'doris_fe_txn_counter{type="success"} 85', ''].join('\n');
    const txnBegin = byEngine(feSum('txn_begin'), feSum('txn_counter', { type: 'begin' }));
    expect(doris(body).read(txnBegin)).toBe(90);
    // The same field on StarRocks reads its own family, absent from this body.
    expect(starrocks(body.replaceAll('doris_', 'starrocks_')).read(txnBegin)).toBeNull();
  });

  it('adds up the parts of a family that prints no total', () => {
    const connections = ['# TYPE starrocks_fe_connection_total gauge', 'starrocks_fe_connection_total{user="root"} 3', 'starrocks_fe_connection_total{user="bi"} 4', ''].join('\n');
    expect(starrocks(connections).read(feSum('connection_total'))).toBe(7);
    const running = ['# TYPE starrocks_fe_txn_running gauge', 'starrocks_fe_txn_running{is_leader="true", db="a"} 2', 'starrocks_fe_txn_running{is_leader="true", db="b"} 5', ''].join('\n');
    expect(starrocks(running).read(feSum('txn_running'))).toBe(7);
    const jobs = ['# TYPE starrocks_fe_job gauge', 'starrocks_fe_job{job="load", type="BROKER", state="PENDING"} 2', 'starrocks_fe_job{job="load", type="INSERT", state="PENDING"} 1', ''].join('\n');
    expect(starrocks(jobs).read(feSum('job', { job: 'load', state: 'PENDING' }))).toBe(3);
  });

  it('takes the first of labelled series when no total exists, and null when nothing matches', () => {
    const body = ['# TYPE starrocks_fe_max_tablet_compaction_score gauge', 'starrocks_fe_max_tablet_compaction_score{is_leader="true"} 42', ''].join('\n');
    expect(starrocks(body).read(feFirst('max_tablet_compaction_score'))).toBe(42);
    expect(starrocks(body).read(feFirst('max_tablet_compaction_score', { is_leader: 'false' }))).toBeNull();
    expect(starrocks(body).read(feSum('query_total'))).toBeNull();
  });

  it('reads a Doris summary quantile from the FE’s own series, not a user’s', () => {
    const body = [
      '# HELP doris_fe_query_latency_ms ',
      '# TYPE doris_fe_query_latency_ms summary',
      'doris_fe_query_latency_ms{quantile="0.99",user="etl"} 900.0',
      'doris_fe_query_latency_ms{quantile="0.99"} 120.0',
      'doris_fe_query_latency_ms_sum {} 5000.0',
      'doris_fe_query_latency_ms_count {} 50',
      '',
    ].join('\n');
    expect(doris(body).read(feFirst('query_latency_ms', { quantile: '0.99' }))).toBe(120);
  });
});
