/**
 * The lease keepers follow a reload that changes the collection interval: the ticker's period is
 * read at each period; a renewal for a new length fences the writes with it; and the leader seat
 * and the shard seat set the lease length in effect at their next renewal (the collection lease,
 * and each cluster lease), on a real PostgreSQL database.
 */
import { sql } from 'kysely';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { postgresSkipReason, postgresTestUrl } from '../../test/helpers/dialects.js';
import { clusterFields, randomSecretBox } from '../../test/helpers/factories.js';
import { skipNote } from '../../test/helpers/requirements.js';
import { loggerInto } from '../../test/helpers/test-app.js';
import { waitFor } from '../../test/helpers/stellar-process.js';
import { resolveConfig } from '../config/resolve.js';
import { ClusterRegistry } from '../registry/cluster-registry.js';
import type { Storage } from '../storage/dialect/dialect.js';
import { openPostgres } from '../storage/dialect/postgres/postgres-dialect.js';
import { migrateToLatest } from '../storage/migrate.js';
import type { CollectionLeaseStore, WriteFence } from '../storage/collection-lease-store.js';
import { type LeaseTiming, renewFor, takeLeaderSeat } from './collection-lease.js';
import { startCollection, startMaintenance } from './collection-service.js';
import { takeShardSeat } from './cluster-shards.js';
import { SYSTEM_CLOCK } from './job-runner.js';
import { leaseTicker } from './lease-ticker.js';

const cleanUp: (() => Promise<void>)[] = [];
afterEach(async () => {
  vi.useRealTimers();
  for (const step of cleanUp.splice(0).reverse()) await step();
});

/** Short before the reload, so the seats take their leases at once; long after it, unmistakable in the rows. */
const BEFORE: LeaseTiming = { leaseMs: 600, renewEveryMs: 100 };
const AFTER: LeaseTiming = { leaseMs: 60_000, renewEveryMs: 100 };

describe('the lease ticker', () => {
  it('ticks at the period in effect, read again at each period', async () => {
    vi.useFakeTimers();
    let everyMs = 100;
    let ticks = 0;
    const ticker = leaseTicker({ tick: () => Promise.resolve(void (ticks += 1)), watch: () => undefined, everyMs: () => everyMs, logger: loggerInto([], 'info'), what: 'a lease' });
    ticker.start();
    await vi.advanceTimersByTimeAsync(1000);
    // The first tick at once, then one every 100 ms.
    expect(ticks).toBe(11);
    // The period in flight (due at 1,100) runs out; the ones after it are 500 ms: 1,600, then 2,100.
    everyMs = 500;
    await vi.advanceTimersByTimeAsync(1000);
    expect(ticks).toBe(13);
    await ticker.stop();
  });
});

describe('a renewal after the length changed', () => {
  it('sets the fence the writes check again with the new length, under the same token, once renewed', async () => {
    const fenced: WriteFence[] = [];
    let renews = true;
    const lease = { renew: (fence: WriteFence) => Promise.resolve(renews && fence.token === 7), fenceWrites: (fence: WriteFence) => void fenced.push(fence) } as unknown as CollectionLeaseStore;
    const held = { fence: { holder: 'me', token: 7, leaseMs: 600 } };
    const lost = () => undefined;
    expect(await renewFor(lease, held, 600, lost)).toBe(true);
    expect(fenced).toEqual([]);
    expect(await renewFor(lease, held, 60_000, lost)).toBe(true);
    expect(fenced).toEqual([{ holder: 'me', token: 7, leaseMs: 60_000 }]);
    expect(held.fence).toEqual({ holder: 'me', token: 7, leaseMs: 60_000 });
    // A renewal refused (the lease passed on) leaves the fence as it was.
    renews = false;
    expect(await renewFor(lease, held, 600, lost)).toBe(false);
    expect(held.fence.leaseMs).toBe(60_000);
    expect(fenced).toHaveLength(1);
  });
});

async function openStorage(url: string): Promise<{ storage: Storage; registry: ClusterRegistry }> {
  const storage = openPostgres({ url, poolSize: 3 });
  cleanUp.push(() => storage.close());
  await migrateToLatest(storage);
  return { storage, registry: new ClusterRegistry({ db: storage.db, dialect: storage.dialect, secrets: randomSecretBox(), now: Date.now }) };
}

/** How long the lease rows still run, by the server's clock: the collection lease's, and each cluster lease's by cluster. */
async function remainingMs(storage: Storage): Promise<{ collection: number | undefined; clusters: number[] }> {
  const now = sql<number>`(extract(epoch from clock_timestamp()) * 1000)::bigint`;
  const { rows: lease } = await sql<{ left: number }>`select expires_at - ${now} as left from collection_lease`.execute(storage.db);
  const { rows: clusters } = await sql<{ left: number }>`select expires_at - ${now} as left from cluster_leases order by cluster_id`.execute(storage.db);
  return { collection: lease[0] === undefined ? undefined : Number(lease[0].left), clusters: clusters.map((r) => Number(r.left)) };
}

describe.skipIf(postgresSkipReason !== null)(`lease keepers after a reload on PostgreSQL${skipNote(postgresSkipReason)}`, () => {
  it('the leader renews the collection lease for the length in effect', async () => {
    const database = await postgresTestUrl();
    cleanUp.push(() => database.drop());
    const { storage, registry } = await openStorage(database.url);
    const logger = loggerInto([], 'info');
    const { metrics } = resolveConfig([]).config;
    let timing = BEFORE;
    const seat = takeLeaderSeat({ lease: storage.collectionLease!, logger, timing: () => timing, start: () => startCollection({ storage, registry, logger, metrics, clock: SYSTEM_CLOCK, trendFields: [], tierTrendColumns: [] }) });
    cleanUp.push(() => seat.stop());
    await waitFor('the seat to lead', () => (seat.role().role === 'leader' ? true : undefined));
    expect((await remainingMs(storage)).collection).toBeLessThanOrEqual(BEFORE.leaseMs);

    timing = AFTER;
    await waitFor('a renewal for the new length', async () => ((await remainingMs(storage)).collection! > BEFORE.leaseMs * 10 ? true : undefined));
    expect(seat.role().role).toBe('leader');
  });

  it('a shard renews its cluster leases and the maintenance lease for the length in effect', async () => {
    const database = await postgresTestUrl();
    cleanUp.push(() => database.drop());
    const { storage, registry } = await openStorage(database.url);
    // Two clusters on a closed port: claimed and leased, their collections fail, which does not matter here.
    for (const name of ['c1', 'c2']) await registry.create(clusterFields({ name, fe_host: '127.0.0.1', fe_http_port: 1, fe_query_port: 1 }));
    const logger = loggerInto([], 'info');
    const { metrics } = resolveConfig([]).config;
    const deps = { storage, registry, logger, metrics, clock: SYSTEM_CLOCK, trendFields: [], tierTrendColumns: [] };
    let timing = BEFORE;
    const seat = takeShardSeat({
      lease: storage.collectionLease!,
      clusterLeases: storage.clusterLeases!,
      registry,
      logger,
      timing: () => timing,
      start: (shard) => startCollection({ ...deps, shard }),
      startMaintenance: () => startMaintenance(deps),
    });
    cleanUp.push(() => seat.stop());
    await waitFor('the seat to hold both clusters and the maintenance', () => (JSON.stringify(seat.role()) === JSON.stringify({ role: 'shard', clusters: 2, maintenance: true }) ? true : undefined));
    const before = await remainingMs(storage);
    expect([before.collection, ...before.clusters].every((left) => left !== undefined && left <= BEFORE.leaseMs)).toBe(true);

    timing = AFTER;
    const longer = (left: number | undefined) => left !== undefined && left > BEFORE.leaseMs * 10;
    await waitFor('renewals for the new length', async () => {
      const after = await remainingMs(storage);
      return after.clusters.length === 2 && [after.collection, ...after.clusters].every(longer) ? true : undefined;
    });
    expect(seat.role()).toEqual({ role: 'shard', clusters: 2, maintenance: true });
  });
});
