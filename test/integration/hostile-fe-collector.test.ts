/**
 * A hostile FE through the whole collector, beside a simulated healthy cluster: its row is
 * stored with the limit named in failed_sources, the healthy cluster's collection is unaffected,
 * and nothing the hostile FE sent is stored as a reason.
 */
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Collector } from '../../src/collector/collector.js';
import { DEFAULT_LIMITS } from '../../src/config/schema.js';
import { ClusterRegistry } from '../../src/registry/cluster-registry.js';
import { startSimulatedFleet, type SimulatedFleet } from '../../src/simulator/fleet.js';
import type { Storage } from '../../src/storage/dialect/dialect.js';
import { openSqlite } from '../../src/storage/dialect/sqlite/sqlite-dialect.js';
import { migrateToLatest } from '../../src/storage/migrate.js';
import { latestSnapshotRow } from '../../src/storage/repos/snapshots.repo.js';
import { clusterFields, randomSecretBox } from '../helpers/factories.js';
import { GOOD_LINES, type HostileFe, startHostileFe } from '../helpers/hostile-fe.js';

let fleet: SimulatedFleet;
let hostile: HostileFe;
let storage: Storage;
let collector: Collector;
const ids: number[] = [];

beforeAll(async () => {
  fleet = await startSimulatedFleet({ clusters: 1, fes: 3, bes: 3, version: '3.5' });
  // A body far past the series limit, and an error page for nothing else.
  const series = Array.from({ length: 20_000 }, (_, i) => `starrocks_fe_query_total{n="${i}"} ${i}\n`).join('');
  hostile = await startHostileFe({ metrics: () => ({ body: `${GOOD_LINES}${series}` }), extraFrontends: 200 });
  storage = openSqlite(':memory:');
  await migrateToLatest(storage);
  const registry = new ClusterRegistry({ db: storage.db, dialect: storage.dialect, secrets: randomSecretBox(), now: Date.now });
  const d = fleet.details()[0]!;
  ids.push((await registry.create(clusterFields({ name: 'hostile', fe_host: '127.0.0.1', fe_http_port: hostile.port, connection_timeout: 10 }))).id);
  ids.push((await registry.create(clusterFields({ name: d.name, fe_host: d.fe_host, fe_http_port: d.fe_http_port, fe_query_port: d.fe_query_port, connection_timeout: 2 }))).id);
  const limits = { ...DEFAULT_LIMITS, max_series: 10_000, max_frontends: 8 };
  collector = new Collector({ storage, registry, logger: pino({ level: 'silent' }), now: Date.now, options: { scrapeFollowers: true, scrapeBackends: false, runtimeInfo: false, maxConcurrency: 2, limits } });
});

afterAll(async () => {
  await collector.close();
  await Promise.all([fleet.close(), hostile.close()]);
  await storage.close();
});

describe('the collector and a hostile FE', () => {
  it('stores a row naming each passed limit, asks no more FEs than the limit, and leaves the healthy cluster ok', async () => {
    const [broken, healthy] = await collector.collectAll();
    expect(healthy?.status).toBe('ok');
    expect(hostile.requests('/metrics')).toBe(8);
    const row = await latestSnapshotRow(storage.db, ids[0]!);
    const failures = JSON.parse(row?.failed_sources ?? '[]') as { source: string; kind: string; message: string }[];
    expect(row?.collect_status).toBe(broken?.status);
    expect(failures.filter((f) => f.source.startsWith('metrics '))).toHaveLength(8);
    expect(failures.every((f) => f.kind === 'over_limit')).toBe(true);
    expect(failures[0]?.message).toBe('more than 10000 series (limit limits.max_series)');
    expect(failures.at(-1)).toEqual({
      source: 'follower_metrics',
      kind: 'over_limit',
      message: 'the frontends list names 201 alive FEs; only the configured FE and the first 7 others were scraped (limit limits.max_frontends)',
    });
  });
});
