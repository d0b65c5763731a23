/**
 * In shards mode the collection state a share's collection stores is fenced by each cluster's
 * lease, as started by the service (startCollection with a share): two instances on one
 * PostgreSQL database collect the same cluster one after the other; the first, which lost the
 * cluster's lease without noticing (paused: no renewal since), goes on collecting it but stores
 * none of its states, and the holder's are stored.
 */
import { afterEach, describe, expect, it } from 'vitest';
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
import { collectionStateOf } from '../storage/repos/collection-state.repo.js';
import { startCollection } from './collection-service.js';
import { SYSTEM_CLOCK } from './job-runner.js';

const cleanUp: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const step of cleanUp.splice(0).reverse()) await step();
});

const LONG = 60_000;

async function instance(url: string) {
  const storage: Storage = openPostgres({ url, poolSize: 3 });
  cleanUp.push(() => storage.close());
  await migrateToLatest(storage);
  const registry = new ClusterRegistry({ db: storage.db, dialect: storage.dialect, secrets: randomSecretBox(), now: Date.now });
  // Every second, so a few collections fit in the test; the cluster's port is closed: each one fails, and changes the state.
  const metrics = { ...resolveConfig([]).config.metrics, interval_secs: 1 };
  const collect = () => {
    // The share is the whole registry: what is fenced is the write, not the choice of clusters.
    const running = startCollection({ storage, registry, logger: loggerInto([], 'info'), metrics, clock: SYSTEM_CLOCK, trendFields: [], tierTrendColumns: [], shard: registry });
    cleanUp.push(() => running.stop());
    return running;
  };
  return { storage, registry, leases: storage.clusterLeases!, collect };
}

describe.skipIf(postgresSkipReason !== null)(`a share's collection state on PostgreSQL${skipNote(postgresSkipReason)}`, () => {
  it('is stored by the holder of the cluster lease only', async () => {
    const database = await postgresTestUrl();
    cleanUp.push(() => database.drop());
    const a = await instance(database.url);
    const b = await instance(database.url);
    const { id } = await a.registry.create(clusterFields({ name: 'c1', fe_host: '127.0.0.1', fe_http_port: 1, fe_query_port: 1 }));
    const stored = () => collectionStateOf(a.storage.db, id);

    const heldA = await a.leases.claim('instance-a', 1, LONG);
    a.leases.fenceSnapshots('instance-a', heldA);
    b.leases.fenceSnapshots('instance-b', new Map());
    const collectionA = a.collect();
    await waitFor('A to store a state of the cluster', async () => ((await stored())?.lastAttemptAt ?? null) !== null || undefined);

    // A's lease expires (A is paused: its map keeps the old token) and B claims the cluster.
    await a.storage.db.updateTable('cluster_leases').set({ expires_at: 0 }).where('cluster_id', '=', id).execute();
    const heldB = await b.leases.claim('instance-b', 1, LONG);
    expect(heldB.has(id)).toBe(true);
    b.leases.fenceSnapshots('instance-b', heldB);
    const lost = (await stored())!;

    // A goes on collecting the cluster (its scheduler's state moves on), but stores none of it.
    await waitFor('A to collect twice more', () => ((collectionA.scheduler.scheduleStates().get(id)?.lastAttemptAt ?? 0) > lost.lastAttemptAt! + 1500 ? true : undefined));
    await new Promise((r) => setTimeout(r, 1500));
    expect(await stored()).toEqual(lost);

    // The holder collects it and stores its state.
    b.collect();
    await waitFor("B to store a collection of the cluster", async () => ((await stored())!.lastAttemptAt! > lost.lastAttemptAt! ? true : undefined));
    expect((await stored())!.updatedAt).toBeGreaterThan(lost.updatedAt);
  });
});
