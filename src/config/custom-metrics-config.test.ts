import { describe, expect, it } from 'vitest';
import { customMetricsOfFile } from './custom-metrics-config.js';

describe('[[custom_metrics]] in the config file', () => {
  it('reads table_metrics, false unless written', () => {
    const metrics = customMetricsOfFile(
      {
        custom_metrics: [
          { name: 'orders_rows', source: 'fe', family: 'starrocks_fe_table_load_rows', labels: { tbl_name: 'orders' }, kind: 'rate', table_metrics: true },
          { name: 'heap', source: 'fe_leader', family: 'jvm_heap_size_bytes' },
        ],
      },
      'stellar.toml',
    );
    expect(metrics.map((m) => [m.name, m.table_metrics])).toEqual([
      ['orders_rows', true],
      ['heap', false],
    ]);
  });

  it('refuses table_metrics on a be metric, naming the entry, the key, the value and what is accepted', () => {
    const doc = { custom_metrics: [{ name: 'be_rows', source: 'be', family: 'starrocks_be_load_rows', table_metrics: true }] };
    expect(() => customMetricsOfFile(doc, 'stellar.toml')).toThrow(
      'config error: custom_metrics[0] ("be_rows") in stellar.toml: table_metrics = true: is true, but only an FE prints per-table families: the source must be fe or fe_leader, or table_metrics false',
    );
  });
});
