/**
 * A rate's time base is the instant the FE answered, not the end of parsing its answer: a
 * parse that takes longer in one collection than in the next (a cold JIT at start-up or
 * registration, a loaded machine) must not stretch or shrink the interval. The parse's cost is
 * made deterministic here: the collection's clock advances while the parser runs.
 */
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { Collector } from '../../src/collector/collector.js';
import type * as PrometheusText from '../../src/starrocks/parse/prometheus-text.js';
import { ClusterRegistry } from '../../src/registry/cluster-registry.js';
import { startSimulatedFleet, type SimulatedFleet } from '../../src/simulator/fleet.js';
import type { Storage } from '../../src/storage/dialect/dialect.js';
import { openSqlite } from '../../src/storage/dialect/sqlite/sqlite-dialect.js';
import { migrateToLatest } from '../../src/storage/migrate.js';
import { clusterFields, manualClock, randomSecretBox } from '../helpers/factories.js';

/** The clock every part reads (simulated FEs, registry, collector), and what each coming parse costs on it. */
const shared = vi.hoisted(() => ({ clock: { now: (): number => Number.NaN, advance: (_ms: number): void => {} }, parseCosts: [] as number[] }));

vi.mock('../../src/starrocks/parse/prometheus-text.js', async (importOriginal) => {
  const original = await importOriginal<typeof PrometheusText>();
  return {
    ...original,
    // The collector's parse, which yields to the event loop on a large body.
    parsePrometheusTextInSlices: async (...args: Parameters<typeof original.parsePrometheusTextInSlices>) => {
      const parsed = await original.parsePrometheusTextInSlices(...args);
      shared.clock.advance(shared.parseCosts.shift() ?? 0);
      return parsed;
    },
  };
});

let fleet: SimulatedFleet;
let storage: Storage;
let collector: Collector;

beforeAll(async () => {
  shared.clock = manualClock();
  const clock = shared.clock;
  // One FE and no BE scraping: a single /metrics parse per collection, so the clock moves only while it runs.
  fleet = await startSimulatedFleet({ clusters: 1, fes: 1, bes: 3, password: 'pw', clock: clock.now });
  storage = openSqlite(':memory:');
  await migrateToLatest(storage);
  const registry = new ClusterRegistry({ db: storage.db, dialect: storage.dialect, secrets: randomSecretBox(), now: clock.now });
  const d = fleet.details()[0]!;
  await registry.create(clusterFields({ name: d.name, fe_host: d.fe_host, fe_http_port: d.fe_http_port, fe_query_port: d.fe_query_port, password: 'pw', connection_timeout: 2 }));
  collector = new Collector({
    storage,
    registry,
    logger: pino({ level: 'silent' }),
    now: clock.now,
    options: { scrapeFollowers: true, scrapeBackends: false, runtimeInfo: false, maxConcurrency: 1 },
  });
});

afterAll(async () => {
  await collector.close();
  await fleet.close();
  await storage.close();
});

describe('the time base of rates', () => {
  it('two collections close together give the ground-truth rate when the first parse is slow and the second fast', async () => {
    // The first parse takes 1.5 s of the clock, the second 0.1 s; the FE answers 10 s apart.
    shared.parseCosts.push(1500, 100);
    const t1 = shared.clock.now();
    await collector.collectAll();
    expect(shared.clock.now()).toBe(t1 + 1500);
    shared.clock.advance(8500);
    const t2 = shared.clock.now();
    const [result] = await collector.collectAll();
    expect(shared.parseCosts).toEqual([]);
    const truth = fleet.clusters[0]!.truth(t1, t2);
    expect(result?.status, JSON.stringify(result?.failures)).toBe('ok');
    expect(result?.values.queries).toBe(truth.queries);
    // Timed from the ends of the parses, the interval would be 8.6 s and qps 16 % high.
    expect(result?.values.qps).toBeCloseTo(truth.qps, 6);
    expect(result?.values.rps).toBeCloseTo(truth.rps, 6);
  });
});
