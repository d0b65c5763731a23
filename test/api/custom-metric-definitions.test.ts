/**
 * The custom metrics API on a real database (a SQLite file, or PostgreSQL with
 * STELLAR_TEST_DATABASE): the config file's metrics listed read-only beside the API's, API ones
 * created, replaced and deleted by an admin only, a bad definition refused with 400 naming the
 * key, a name taken (by the file or another API one) a 409; and the preview against a simulated
 * cluster over real HTTP, its value checked against the nodes' own /metrics, and a preview
 * outside security.allowed_targets that contacts nothing.
 */
import fc from 'fast-check';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CustomMetricInput, type CustomMetric } from '../../src/shared/custom-metrics.js';
import type { CustomMetricPreviewJson } from '../../src/shared/api/custom-metrics.js';
import { parsePrometheusText } from '../../src/starrocks/parse/prometheus-text.js';
import { startSimulatedFleet, type SimulatedFleet } from '../../src/simulator/fleet.js';
import { DEFAULT_METRICS_SETTINGS } from '../../src/api/stored-data-deps.js';
import { TargetPolicy } from '../../src/security/allowed-targets.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';

const FILE_METRIC: CustomMetric = CustomMetricInput.parse({ name: 'fe_heap_max', source: 'fe', family: 'jvm_heap_size_bytes', labels: { type: 'max' }, aggregate: 'max', unit: 'bytes' });

describe('the custom metrics API', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await createTestApp({ fileCustomMetrics: [FILE_METRIC] });
  });
  afterEach(async () => t.close());

  const call = (method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, payload?: unknown, auth = t.auth) =>
    t.app.inject({ method, url, headers: { authorization: auth }, ...(payload === undefined ? {} : { payload: payload as object }) });

  it('lists the file’s metrics and the API’s with their origin; an API one is made, read, replaced and deleted', async () => {
    const made = await call('POST', '/api/custom-metrics', { name: 'etl_connections', source: 'fe', family: 'starrocks_fe_connection_total', labels: { user: 'etl' } });
    expect(made.statusCode).toBe(201);
    expect(made.json()).toMatchObject({ name: 'etl_connections', origin: 'api', aggregate: 'sum', kind: 'gauge', unit: '', labels: { user: 'etl' }, updated_by: 'admin' });

    const listed = (await call('GET', '/api/custom-metrics')).json().metrics as { name: string; origin: string }[];
    expect(listed.map((m) => `${m.origin} ${m.name}`)).toEqual(['file fe_heap_max', 'api etl_connections']);
    expect((await call('GET', '/api/custom-metrics/fe_heap_max')).json()).toMatchObject({ origin: 'file', family: 'jvm_heap_size_bytes', created_at: null });

    const replaced = await call('PUT', '/api/custom-metrics/etl_connections', { source: 'fe', family: 'starrocks_fe_connection_total', labels: { user: '~etl|bi_reader' }, aggregate: 'max', unit: 'connections' });
    expect(replaced.statusCode).toBe(200);
    expect(replaced.json()).toMatchObject({ name: 'etl_connections', aggregate: 'max', unit: 'connections', labels: { user: '~etl|bi_reader' } });
    expect((await call('GET', '/api/custom-metrics/etl_connections')).json().aggregate).toBe('max');

    expect((await call('DELETE', '/api/custom-metrics/etl_connections')).statusCode).toBe(204);
    expect((await call('DELETE', '/api/custom-metrics/etl_connections')).json().code).toBe('STELLAR_ERR_CUSTOM_METRIC_NOT_FOUND');
    expect((await call('GET', '/api/custom-metrics/etl_connections')).statusCode).toBe(404);
    expect((await call('PUT', '/api/custom-metrics/absent', { source: 'fe', family: 'x' })).statusCode).toBe(404);
  });

  it('refuses a name the file declares or another API metric has (409), and a rename (400)', async () => {
    const body = { name: 'fe_heap_max', source: 'fe', family: 'jvm_heap_size_bytes' };
    for (const answer of [await call('POST', '/api/custom-metrics', body), await call('PUT', '/api/custom-metrics/fe_heap_max', body), await call('DELETE', '/api/custom-metrics/fe_heap_max')]) {
      expect(answer.statusCode).toBe(409);
      expect(answer.json()).toMatchObject({ code: 'STELLAR_ERR_CUSTOM_METRIC_NAME_TAKEN', message: expect.stringContaining('config file') });
    }
    expect((await call('POST', '/api/custom-metrics', { ...body, name: 'heap' })).statusCode).toBe(201);
    const again = await call('POST', '/api/custom-metrics', { ...body, name: 'heap' });
    expect(again.statusCode).toBe(409);
    expect(again.json().details).toEqual([{ field: 'name', message: expect.stringContaining('already used') }]);
    const renamed = await call('PUT', '/api/custom-metrics/heap', { ...body, name: 'other' });
    expect(renamed.statusCode).toBe(400);
    expect(renamed.json().details).toEqual([{ field: 'name', message: expect.stringContaining('not renamed') }]);
  });

  it('answers 400 naming each bad key, by the rules of CustomMetricInput', async () => {
    const bad = await call('POST', '/api/custom-metrics', { name: 'Bad Name', source: 'cn', family: 'jvm heap', labels: { type: '~(' }, aggregate: 'median', colour: 'red' });
    expect(bad.statusCode).toBe(400);
    const fields = (bad.json().details as { field: string }[]).map((d) => d.field).sort();
    expect(bad.json().code).toBe('STELLAR_ERR_VALIDATION');
    expect(fields).toEqual(expect.arrayContaining(['name', 'source', 'family', 'labels.type', 'aggregate']));
    const builtIn = await call('POST', '/api/custom-metrics', { name: 'qps', source: 'fe', family: 'x' });
    expect(builtIn.json().details).toEqual([{ field: 'name', message: expect.stringContaining('built-in') }]);
    // Only an FE prints per-table families: on a be metric the key is refused, on POST and PUT alike.
    const perTable = { name: 'be_tables', source: 'be', family: 'starrocks_be_load_rows', table_metrics: true };
    for (const answer of [await call('POST', '/api/custom-metrics', perTable), await call('PUT', '/api/custom-metrics/be_tables', perTable)]) {
      expect(answer.statusCode).toBe(400);
      expect(answer.json().details).toEqual([{ field: 'table_metrics', message: expect.stringContaining('source must be fe or fe_leader') }]);
    }
    expect((await call('POST', '/api/custom-metrics', { ...perTable, table_metrics: 'yes' })).json().details).toEqual([{ field: 'table_metrics', message: expect.any(String) }]);
  });

  it('accepts exactly the definitions CustomMetricInput accepts (property)', async () => {
    const definition = fc.record(
      {
        name: fc.oneof(fc.stringMatching(/^[a-z][a-z0-9_]{0,10}$/), fc.constantFrom('qps', 'Upper', '1st', '')),
        source: fc.constantFrom('fe', 'fe_leader', 'be', 'cn'),
        family: fc.oneof(fc.stringMatching(/^[a-z_][a-z0-9_]{0,12}$/), fc.constantFrom('a b', '9x')),
        labels: fc.dictionary(fc.constantFrom('type', 'user', 'bad-key'), fc.constantFrom('max', '~ma.*', '~(', '')),
        aggregate: fc.constantFrom('sum', 'avg', 'max', 'min', 'median'),
        kind: fc.constantFrom('gauge', 'rate', 'delta', 'counter'),
        table_metrics: fc.boolean(),
      },
      { requiredKeys: ['name', 'source', 'family'] },
    );
    await fc.assert(
      fc.asyncProperty(definition, async (body) => {
        const answer = await call('POST', '/api/custom-metrics', body);
        const parsed = CustomMetricInput.safeParse(body);
        if (parsed.success) {
          expect([201, 409]).toContain(answer.statusCode);
          if (answer.statusCode === 201) expect((await call('DELETE', `/api/custom-metrics/${parsed.data.name}`)).statusCode).toBe(204);
        } else {
          expect(answer.statusCode).toBe(400);
          const named = (answer.json().details as { field: string }[]).map((d) => d.field);
          for (const issue of parsed.error.issues) expect(named).toContain(issue.path.join('.'));
        }
      }),
      { numRuns: 60 },
    );
  });

  it('lets a viewer read but not change (403), and keeps what the viewer tried out', async () => {
    await call('POST', '/api/users', { username: 'vera', password: 'viewer-password-1', role: 'viewer' });
    const token = (await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'vera', password: 'viewer-password-1' } })).json().token as string;
    const vera = `Bearer ${token}`;
    expect((await call('GET', '/api/custom-metrics', undefined, vera)).statusCode).toBe(200);
    const body = { name: 'vera_metric', source: 'fe', family: 'jvm_heap_size_bytes' };
    for (const answer of [
      await call('POST', '/api/custom-metrics', body, vera),
      await call('PUT', '/api/custom-metrics/vera_metric', body, vera),
      await call('DELETE', '/api/custom-metrics/fe_heap_max', undefined, vera),
      await call('POST', '/api/clusters/1/custom-metrics/preview', body, vera),
    ]) {
      expect(answer.statusCode).toBe(403);
      expect(answer.json().code).toBe('STELLAR_ERR_AUTH_FORBIDDEN');
    }
    expect((await call('GET', '/api/custom-metrics')).json().metrics.map((m: { name: string }) => m.name)).toEqual(['fe_heap_max']);
  });
});

describe('POST /api/clusters/:id/custom-metrics/preview against a simulated cluster', () => {
  let t: TestApp;
  let fleet: SimulatedFleet;
  let clusterId: number;
  beforeAll(async () => {
    // The collector's sources without be_metrics, so the preview says the collector would not read the BEs.
    t = await createTestApp({ metrics: { ...DEFAULT_METRICS_SETTINGS, sources: new Set(['follower_metrics']) } });
    // The real clock: a rate needs counters that move between the preview's two readings.
    fleet = await startSimulatedFleet({ clusters: 1, fes: 2, bes: 2, password: 'pw', beMetrics: true });
    const d = fleet.details()[0]!;
    const made = await t.app.inject({ method: 'POST', url: '/api/clusters', headers: { authorization: t.auth }, payload: { name: d.name, fe_host: d.fe_host, fe_http_port: d.fe_http_port, fe_query_port: d.fe_query_port, username: d.username, password: 'pw', connection_timeout: 2 } });
    clusterId = made.json().id as number;
  });
  afterAll(async () => {
    await fleet.close();
    await t.close();
  });

  const preview = async (body: object) => {
    const answer = await t.app.inject({ method: 'POST', url: `/api/clusters/${clusterId}/custom-metrics/preview`, headers: { authorization: t.auth }, payload: body });
    expect(answer.statusCode).toBe(200);
    return answer.json<CustomMetricPreviewJson>();
  };

  it('gives a gauge’s value over every FE with the series matched on each, as the FEs print them', async () => {
    const result = await preview({ name: 'etl_conns', source: 'fe', family: 'starrocks_fe_connection_total', labels: { user: '~etl|bi_reader' } });
    const fes = fleet.details()[0]!.frontends;
    expect(result.nodes.map((n) => n.node).sort()).toEqual(fes.map((f) => `${f.host}:${f.http_port}`).sort());
    let expected = 0;
    for (const node of result.nodes) {
      // Ground truth: the FE's own /metrics, read here; the connection gauges hold still on the simulator's clock.
      const text = await (await fetch(`http://${node.node}/metrics`)).text();
      const samples = parsePrometheusText(text).family('starrocks_fe_connection_total')!.samples.filter((s) => s.labels.user === 'etl' || s.labels.user === 'bi_reader');
      expect(node.series.map((s) => s.labels.user).sort()).toEqual(['bi_reader', 'etl']);
      expect(node.has_family).toBe(true);
      expected += samples.reduce((sum, s) => sum + s.value, 0);
    }
    expect(result).toMatchObject({ value: expected, readings: 1, gap_seconds: null, failures: [] });
    expect(result.nodes.filter((n) => n.leader)).toHaveLength(1);
  });

  it('takes two readings for a rate and gives its value over the gap', async () => {
    const result = await preview({ name: 'queries_per_s', source: 'fe', family: 'starrocks_fe_query_total', kind: 'rate' });
    expect(result.readings).toBe(2);
    expect(result.gap_seconds).toBeGreaterThanOrEqual(1.9);
    expect(result.value).toBeGreaterThan(0);
  }, 15_000);

  it('scrapes the BEs for a be metric, warns that the collector’s sources leave them out, and names a missing family', async () => {
    const be = await preview({ name: 'be_cpu_idle', source: 'be', family: 'starrocks_be_cpu', labels: { mode: 'idle' } });
    expect(be.nodes).toHaveLength(2);
    expect(be.nodes.every((n) => n.role === 'be' && n.has_family)).toBe(true);
    expect(be.warnings).toEqual([expect.stringContaining('be_metrics source is off')]);
    const missing = await preview({ name: 'nothing', source: 'fe_leader', family: 'no_such_family' });
    expect(missing.value).toBeNull();
    expect(missing.nodes).toEqual([expect.objectContaining({ leader: true, has_family: false, series: [] })]);
    expect(missing.warnings).toEqual([expect.stringContaining('no fe_leader node printed no_such_family')]);
  });

  it('asks the FEs for per-table families, as the cluster’s user, for a table_metrics metric only', async () => {
    const d = fleet.details()[0]!;
    const definition = { name: 'orders_rows', source: 'fe', family: 'starrocks_fe_table_load_rows', labels: { tbl_name: 'orders' } };
    const before = fleet.clusters[0]!.requests();
    const result = await preview({ ...definition, table_metrics: true });
    const asked = fleet.clusters[0]!.requests();
    expect(d.frontends.map((_, i) => (asked[`fe${i} /metrics?with_table_metrics=minified`] ?? 0) - (before[`fe${i} /metrics?with_table_metrics=minified`] ?? 0))).toEqual([1, 1]);
    expect(result.warnings).toEqual([]);
    expect(result.nodes).toHaveLength(2);
    for (const node of result.nodes) {
      expect(node.has_family).toBe(true);
      // Three user databases print an `orders` table each (src/simulator/extra-families.ts), none of them at 0 by now.
      expect(node.series.map((s) => s.labels.tbl_name)).toEqual(['orders', 'orders', 'orders']);
    }
    expect(result.value).toBe(result.nodes.flatMap((n) => n.series).reduce((sum, s) => sum + (s.value ?? 0), 0));
    expect(result.value).toBeGreaterThan(0);
    const plain = await preview(definition);
    expect(plain.value).toBeNull();
    expect(plain.nodes.every((n) => !n.has_family)).toBe(true);
    expect(plain.warnings).toEqual(['custom metric orders_rows: no fe node printed starrocks_fe_table_load_rows']);
  });

  it('answers 404 for an unknown cluster and 400 for a bad definition', async () => {
    expect((await t.app.inject({ method: 'POST', url: '/api/clusters/999/custom-metrics/preview', headers: { authorization: t.auth }, payload: { name: 'x_y', source: 'fe', family: 'x' } })).statusCode).toBe(404);
    const bad = await t.app.inject({ method: 'POST', url: `/api/clusters/${clusterId}/custom-metrics/preview`, headers: { authorization: t.auth }, payload: { name: 'x_y', source: 'fe', family: 'x', kind: 'counter' } });
    expect(bad.json().details).toEqual([{ field: 'kind', message: expect.any(String) }]);
  });
});

describe('a preview outside security.allowed_targets', () => {
  it('contacts no node and says why in its failures', async () => {
    const t = await createTestApp({ targets: new TargetPolicy(['10.0.0.0/8']) });
    try {
      const made = await t.app.inject({ method: 'POST', url: '/api/clusters', headers: { authorization: t.auth }, payload: { name: 'outside', fe_host: '127.0.0.1', fe_http_port: 1, fe_query_port: 1, username: 'root', connection_timeout: 1 } });
      const answer = await t.app.inject({ method: 'POST', url: `/api/clusters/${made.json().id}/custom-metrics/preview`, headers: { authorization: t.auth }, payload: { name: 'heap', source: 'fe', family: 'jvm_heap_size_bytes' } });
      expect(answer.statusCode).toBe(200);
      const result = answer.json<CustomMetricPreviewJson>();
      expect(result).toMatchObject({ value: null, nodes: [] });
      expect(result.failures).toEqual(expect.arrayContaining([expect.stringMatching(/^metrics 127\.0\.0\.1:1: not_allowed: /)]));
    } finally {
      await t.close();
    }
  });
});
