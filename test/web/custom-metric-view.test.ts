import { describe, expect, it } from 'vitest';
import type { ClusterOverviewJson } from '../../src/shared/api/overview.js';
import { chartUnitOf, customCharts, pointFigures } from '../../web/src/pages/cluster-overview/custom-charts.js';
import { definitionOf, METRIC_FORM, metricErrorsFromDetails, type MetricFormValues, NEW_METRIC, parseLabels } from '../../web/src/pages/custom-metrics/custom-metric-view.js';

async function validateForm(values: MetricFormValues): Promise<Record<string, string>> {
  const parsed = await METRIC_FORM.safeParseAsync(values);
  const errors: Record<string, string> = {};
  for (const issue of parsed.error?.issues ?? []) errors[issue.path.join('.')] ??= issue.message;
  return errors;
}

describe('the custom metric form', () => {
  it('reads labels one matcher a line into the body CustomMetricInput accepts', async () => {
    const parsed = await METRIC_FORM.safeParseAsync({ ...NEW_METRIC, name: ' etl_conns ', family: 'starrocks_fe_connection_total', labels: 'user=~etl|bi\n\n type = max ' });
    expect(parsed.data).toEqual({ ...NEW_METRIC, name: 'etl_conns', family: 'starrocks_fe_connection_total', labels: { user: '~etl|bi', type: 'max' } });
    expect(parseLabels('no equals sign')).toEqual({ error: '"no equals sign" is not key=value (or key=~regex)' });
  });

  it('puts each problem by its field, a label’s under Labels with the label named', async () => {
    expect(await validateForm({ ...NEW_METRIC, name: 'Bad', family: 'a b', labels: 'type=~(' })).toEqual({
      name: expect.stringContaining('snake_case'),
      family: expect.stringContaining('Prometheus metric name'),
      labels: expect.stringMatching(/^type: .*not a regular expression/),
    });
    expect(await validateForm({ ...NEW_METRIC, name: 'qps', family: 'x' })).toEqual({ name: expect.stringContaining('built-in') });
    expect(await validateForm({ ...NEW_METRIC, name: 'be_tables', source: 'be', family: 'x', table_metrics: true })).toEqual({ table_metrics: expect.stringContaining('source must be fe or fe_leader') });
    const perTable = await METRIC_FORM.safeParseAsync({ ...NEW_METRIC, name: 'orders_rows', family: 'starrocks_fe_table_load_rows', table_metrics: true });
    expect(perTable.data).toMatchObject({ table_metrics: true });
  });

  it('previews a listed metric by its whole definition, table_metrics included, without the listing’s keys', () => {
    const listed = { name: 'orders_rows', source: 'fe', family: 'starrocks_fe_table_load_rows', labels: { tbl_name: 'orders' }, aggregate: 'sum', kind: 'rate', unit: 'rows/s', description: '', table_metrics: true, origin: 'api', created_at: null, updated_at: null, updated_by: null } as const;
    expect(definitionOf(listed)).toEqual({ name: 'orders_rows', source: 'fe', family: 'starrocks_fe_table_load_rows', labels: { tbl_name: 'orders' }, aggregate: 'sum', kind: 'rate', unit: 'rows/s', description: '', table_metrics: true });
  });

  it('maps the server’s details onto the fields, the rest above the buttons', () => {
    expect(metricErrorsFromDetails([{ field: 'name', message: 'is declared in the config file' }, { field: 'labels.user', message: 'bad' }, { field: 'body', message: 'odd' }])).toEqual({
      fields: { name: 'is declared in the config file', labels: 'user: bad' },
      other: ['body odd'],
    });
  });
});

describe('the overview’s custom metric charts', () => {
  const window = { from: '2026-12-03T00:00:00Z', to: '2026-12-03T01:00:00Z', bucket_seconds: 60 };
  const overview = (part: { custom_trends: ClusterOverviewJson['custom_trends']; statistics?: { custom: ClusterOverviewJson['statistics']['custom'] } }) => ({ window, statistics: { custom: {} }, ...part }) as unknown as ClusterOverviewJson;
  const points = [2, null, 4];

  it('are none when the answer has no custom trends', () => {
    expect(customCharts(overview({ custom_trends: {} }), () => undefined)).toEqual([]);
  });

  it('are one per unit, with the server’s statistics when sent and the plotted values’ otherwise', () => {
    const units: Record<string, string> = { heap_max: 'bytes', heap_used: 'bytes', etl_rate: 'queries/s' };
    const charts = customCharts(overview({ custom_trends: { heap_used: points, heap_max: points, etl_rate: points }, statistics: { custom: { heap_max: { last: 9, mean: 8, max: 10 } } } }), (n) => units[n]);
    expect(charts.map((c) => [c.title, c.unit, c.series.map((s) => s.name)])).toEqual([
      ['etl_rate', 'per_second', ['etl_rate']],
      ['Custom metrics in bytes', 'count', ['heap_max', 'heap_used']],
    ]);
    expect(charts[1]!.series.map((s) => s.figures)).toEqual([{ last: 9, mean: 8, max: 10 }, pointFigures(points)]);
    expect(pointFigures(points)).toEqual({ last: 4, mean: 3, max: 4 });
    expect(chartUnitOf('%')).toBe('percent');
  });
});
