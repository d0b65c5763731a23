/**
 * Alert rules naming custom metrics (`custom.<name>`): a simulated cluster collected by the real
 * collector with custom metrics defined, into a real database (both dialects), the evaluator
 * told of each stored collection. A comparison reads the collection's custom value, a delta
 * reads the stored `custom_values` at the lookback's start, a template shows the value, and a
 * rule naming a custom metric nobody defined never fires.
 */
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AlertEvaluator } from '../../src/alerts/alert-evaluator.js';
import { AlertRuleBook } from '../../src/alerts/alert-rule-book.js';
import type { LoadedRule } from '../../src/alerts/alerts-file.js';
import { Collector } from '../../src/collector/collector.js';
import { fixedCustomMetricSet } from '../../src/collector/custom-metric-set.js';
import { ClusterRegistry } from '../../src/registry/cluster-registry.js';
import { AlertRuleInput, type AlertRuleSource } from '../../src/shared/alerts/alert-rule.js';
import { CustomMetricInput } from '../../src/shared/custom-metrics.js';
import { beLoadRows, feThreadPools } from '../../src/simulator/extra-families.js';
import { startSimulatedFleet, type SimulatedFleet } from '../../src/simulator/fleet.js';
import type { Storage } from '../../src/storage/dialect/dialect.js';
import { migrateToLatest } from '../../src/storage/migrate.js';
import { activeAlertStates, alertHistory } from '../../src/storage/repos/alerts.repo.js';
import { DIALECTS } from '../helpers/dialects.js';
import { clusterFields, manualClock, randomSecretBox } from '../helpers/factories.js';

const INTERVAL = 30_000;
const clock = manualClock();
const logger = pino({ level: 'silent' });
let fleet: SimulatedFleet;

beforeAll(async () => {
  fleet = await startSimulatedFleet({ clusters: 1, bes: 2, fes: 1, password: 'pw', clock: clock.now, beMetrics: true });
});
afterAll(async () => fleet.close());

const METRICS = [
  CustomMetricInput.parse({ name: 'pool_size_max', source: 'fe', family: 'starrocks_fe_thread_pool', labels: { type: 'pool_size' }, aggregate: 'max', unit: 'threads' }),
  CustomMetricInput.parse({ name: 'be_rows', source: 'be', family: 'starrocks_be_load_rows', aggregate: 'sum', unit: 'rows' }),
];

const RULES: AlertRuleSource[] = [
  { name: 'big-pool', condition: 'custom.pool_size_max > 0', annotations: { summary: 'largest pool {{ fields.custom.pool_size_max }} threads' } },
  { name: 'rows-loading', condition: 'delta(custom.be_rows, 1m) > 0' },
  { name: 'undefined-metric', condition: 'custom.nobody_defined_this > 0 or custom.nobody_defined_this <= 0' },
];
const loaded = (sources: AlertRuleSource[]): LoadedRule[] => sources.map((source) => ({ rule: AlertRuleInput.parse(source), source, origin: 'file' }));

describe('custom metrics in conditions', () => {
  it('are parsed as custom.<name>; a name that is not snake_case is refused with the key named', () => {
    expect(AlertRuleInput.safeParse({ name: 'x', condition: 'rate(custom.rows_loaded, 5m) > 10' }).success).toBe(true);
    const bad = AlertRuleInput.safeParse({ name: 'x', condition: 'custom.Rows > 1' });
    expect(bad.success).toBe(false);
    expect(bad.error?.issues[0]?.message).toMatch(/"custom\.Rows" at 1 is not a snapshot field.*custom\.<name>/);
  });
});

describe.each(DIALECTS)('alert rules naming custom metrics, stored on $name', (dialect) => {
  let storage: Storage;
  let clusterId: number;

  beforeAll(async () => {
    storage = await dialect.open();
    await migrateToLatest(storage);
  });
  afterAll(async () => storage.close());

  it('fire on the collection’s custom values and on a delta of the stored ones, with the value in the summary', async () => {
    const registry = new ClusterRegistry({ db: storage.db, dialect: storage.dialect, secrets: randomSecretBox(), now: clock.now });
    const d = fleet.details()[0]!;
    clusterId = (await registry.create(clusterFields({ name: d.name, fe_host: d.fe_host, fe_http_port: d.fe_http_port, fe_query_port: d.fe_query_port, password: 'pw', connection_timeout: 2 }))).id;
    const rules = new AlertRuleBook(loaded(RULES), { db: storage.db, logger, now: clock.now });
    const alerts = new AlertEvaluator({ db: storage.db, registry, rules, logger, intervalMs: INTERVAL, channels: () => ['webhook ops'], now: clock.now });
    const collector = new Collector({
      storage,
      registry,
      logger,
      now: clock.now,
      options: { scrapeFollowers: true, scrapeBackends: true, runtimeInfo: false, maxConcurrency: 1 },
      customMetrics: fixedCustomMetricSet(METRICS),
      observer: alerts,
    });
    try {
      const model = fleet.clusters[0]!.model;
      const times: number[] = [];
      for (let i = 0; i < 4; i += 1) {
        clock.advance(INTERVAL);
        times.push(clock.now());
        await collector.collect((await registry.get(clusterId)));
        await alerts.idle();
      }
      const firing = (await activeAlertStates(storage.db)).filter((s) => s.clusterId === clusterId && s.state.status === 'firing').map((s) => s.ruleName);
      expect(firing.sort()).toEqual(['big-pool', 'rows-loading']);

      const history = await alertHistory(storage.db, { limit: 100, clusterId });
      const bigPool = history.find((e) => e.ruleName === 'big-pool' && e.event === 'fired')!;
      const largest = Math.max(...model.fes.map((fe) => Math.max(...feThreadPools(model, fe.index, bigPool.at).map((p) => p.poolSize))));
      expect(bigPool.value).toBe(largest);
      expect(bigPool.annotations.summary).toBe(`largest pool ${largest} threads`);

      // The delta: now minus the stored value at the latest collection at or before a minute ago.
      const rows = (t: number) => model.bes.reduce((s, be) => s + beLoadRows(model, be.index, t), 0);
      const loading = history.find((e) => e.ruleName === 'rows-loading' && e.event === 'fired')!;
      const then = times.filter((t) => t <= loading.at - 60_000).at(-1)!;
      expect(loading.value).toBe(rows(loading.at) - rows(then));
    } finally {
      await collector.close();
    }
  });
});
