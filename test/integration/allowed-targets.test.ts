/**
 * `[security] allowed_targets` over the real paths: a connection test through the API and a
 * collection through the collector. A host outside is never contacted (a listening server
 * counts the connections it gets), its sources fail as `not_allowed` with the reason, and a
 * host inside is collected as usual.
 */
import { createServer, type Server } from 'node:net';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Collector } from '../../src/collector/collector.js';
import { ClusterRegistry } from '../../src/registry/cluster-registry.js';
import { TargetPolicy } from '../../src/security/allowed-targets.js';
import type { ConnectionTestJson } from '../../src/shared/api/connection-test.js';
import { startSimulatedFleet, type SimulatedFleet } from '../../src/simulator/fleet.js';
import { openSqlite } from '../../src/storage/dialect/sqlite/sqlite-dialect.js';
import { migrateToLatest } from '../../src/storage/migrate.js';
import { latestSnapshotRow } from '../../src/storage/repos/snapshots.repo.js';
import { clusterBody, clusterFields, manualClock, randomSecretBox } from '../helpers/factories.js';
import { createTestApp } from '../helpers/test-app.js';

const LOOPBACK_SPELLINGS = ['127.0.0.1', '2130706433', '0x7f.1', '0177.0.0.1', 'localhost'];
let listener: Server;
let port: number;
let connections = 0;

beforeAll(async () => {
  listener = createServer((socket) => {
    connections += 1;
    socket.destroy();
  });
  await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
  port = (listener.address() as { port: number }).port;
});
afterAll(async () => {
  await new Promise((resolve) => listener.close(resolve));
});

describe('the connection test with allowed_targets', () => {
  it('does not contact a loopback target in any spelling, and says why', async () => {
    const t = await createTestApp({ targets: new TargetPolicy(['10.0.0.0/8']) });
    try {
      for (const host of LOOPBACK_SPELLINGS) {
        const response = await t.app.inject({
          method: 'POST',
          url: '/api/clusters/test-connection',
          headers: { authorization: t.auth },
          payload: clusterBody({ fe_host: host, fe_http_port: port, fe_query_port: port, connection_timeout: 2, password: 'pw' }),
        });
        expect(response.statusCode).toBe(200);
        const result = response.json<ConnectionTestJson>();
        expect(result.ok).toBe(false);
        for (const check of result.checks) {
          expect(check, host).toMatchObject({ ok: false, error_kind: 'not_allowed', message: expect.stringContaining('outside [security] allowed_targets') });
        }
      }
      expect(connections).toBe(0);
    } finally {
      await t.close();
    }
  });

  it('contacts a target inside the networks', async () => {
    const t = await createTestApp({ targets: new TargetPolicy(['127.0.0.0/8']) });
    try {
      const response = await t.app.inject({
        method: 'POST',
        url: '/api/clusters/test-connection',
        headers: { authorization: t.auth },
        payload: clusterBody({ fe_host: '0x7f.1', fe_http_port: port, fe_query_port: port, connection_timeout: 2 }),
      });
      expect(response.json<ConnectionTestJson>().checks.map((c) => c.error_kind)).not.toContain('not_allowed');
      expect(connections).toBeGreaterThan(0);
    } finally {
      await t.close();
    }
  });
});

describe('collection with allowed_targets', () => {
  let fleet: SimulatedFleet;
  beforeAll(async () => {
    fleet = await startSimulatedFleet({ clusters: 1, password: 'pw', clock: manualClock().now, beMetrics: true });
  });
  afterAll(async () => {
    await fleet.close();
  });

  async function collectWith(targets: TargetPolicy, feHost: string) {
    const storage = openSqlite(':memory:');
    await migrateToLatest(storage);
    const registry = new ClusterRegistry({ db: storage.db, dialect: storage.dialect, secrets: randomSecretBox(), now: Date.now });
    const d = fleet.details()[0]!;
    const cluster = await registry.create(clusterFields({ fe_host: feHost, fe_http_port: d.fe_http_port, fe_query_port: d.fe_query_port, password: 'pw', connection_timeout: 2 }));
    const collector = new Collector({
      storage,
      registry,
      logger: pino({ level: 'silent' }),
      now: Date.now,
      options: { scrapeFollowers: true, scrapeBackends: true, runtimeInfo: false, maxConcurrency: 1, targets },
    });
    try {
      const [result] = await collector.collectAll();
      const row = await latestSnapshotRow(storage.db, cluster.id);
      return { result: result!, row };
    } finally {
      await collector.close();
      await storage.close();
    }
  }

  it('refuses a registered cluster pointing outside, with the reason in its row', async () => {
    const { result, row } = await collectWith(new TargetPolicy(['10.0.0.0/8']), '2130706433');
    expect(result.status).toBe('failed');
    expect(result.failures.length).toBeGreaterThan(0);
    for (const failure of result.failures) expect(failure).toMatchObject({ kind: 'not_allowed', message: expect.stringContaining('2130706433 (127.0.0.1) is outside [security] allowed_targets') });
    expect(JSON.parse(String(row?.failed_sources))).toEqual(result.failures);
  });

  it('collects a cluster inside, its FEs and BEs included', async () => {
    const { result } = await collectWith(new TargetPolicy(['127.0.0.0/8']), '127.0.0.1');
    expect(result.failures).toEqual([]);
    expect(result.status).toBe('ok');
  });

  it('does not follow the cluster’s own lists outside: its BEs elsewhere are not asked', async () => {
    const d = fleet.details()[0]!;
    const { result } = await collectWith(new TargetPolicy([`${d.fe_host}/32`]), d.fe_host);
    const beFailures = result.failures.filter((f) => f.source.startsWith('be_metrics'));
    expect(beFailures.length).toBeGreaterThan(0);
    expect(result.failures).toEqual(beFailures);
    for (const failure of beFailures) expect(failure).toMatchObject({ kind: 'not_allowed', message: expect.stringContaining('is outside [security] allowed_targets') });
  });
});
