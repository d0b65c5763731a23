/**
 * The cluster leases of `coordination = "shards"` on a real PostgreSQL server, seen by two
 * instances (two pools on one database): claims taken at the same moment never overlap and
 * never wait for each other; a held lease is claimed by nobody until it expires or is released,
 * and then under a new token; the old holder can neither renew it nor write a snapshot or the
 * collection state of the cluster; and the census counts the live instances by their heartbeats.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { postgresSkipReason, postgresTestUrl } from '../../../../test/helpers/dialects.js';
import { clusterFields, randomSecretBox } from '../../../../test/helpers/factories.js';
import { skipNote } from '../../../../test/helpers/requirements.js';
import { ClusterRegistry } from '../../../registry/cluster-registry.js';
import { SNAPSHOT_FIELDS } from '../../../shared/snapshot-fields.js';
import { FencedWriteError } from '../../collection-lease-store.js';
import { migrateToLatest } from '../../migrate.js';
import type { ClusterLeaseStore } from '../../cluster-lease-store.js';
import { type CollectionStateRecord, collectionStateOf, writeCollectionStates } from '../../repos/collection-state.repo.js';
import type { SnapshotRecord } from '../../snapshot-writer.js';
import type { Storage } from '../dialect.js';
import { openPostgres } from './postgres-dialect.js';

const opened: Storage[] = [];
let drop: (() => Promise<void>) | null = null;
afterEach(async () => {
  for (const storage of opened.splice(0)) await storage.close();
  await drop?.();
});

const LONG = 60_000;
const CLUSTERS = 10;

async function twoInstances() {
  const target = await postgresTestUrl();
  drop = () => target.drop();
  const [a, b] = [openPostgres({ url: target.url, poolSize: 3 }), openPostgres({ url: target.url, poolSize: 3 })];
  opened.push(a, b);
  await migrateToLatest(a);
  const registry = new ClusterRegistry({ db: a.db, dialect: a.dialect, secrets: randomSecretBox(), now: () => 1 });
  const ids: number[] = [];
  for (let i = 0; i < CLUSTERS; i += 1) ids.push((await registry.create(clusterFields({ name: `c${i}` }))).id);
  const record = (clusterId: number, at: number): SnapshotRecord => ({
    clusterId,
    collectedAt: at,
    slotAt: at,
    status: 'ok',
    durationMs: 5,
    failedSources: '[]',
    frontendsScraped: 1,
    values: {},
    nodes: { at, frontends: null, backends: null, computeNodes: null },
  });
  const rows = async (clusterId: number) =>
    (await a.db.selectFrom('metrics_snapshots').select('collected_at').where('cluster_id', '=', clusterId).orderBy('collected_at').execute()).map((r) => Number(r.collected_at));
  return { a, b, ids, record, rows, leasesA: a.clusterLeases!, leasesB: b.clusterLeases! };
}

describe.skipIf(postgresSkipReason !== null)(`the cluster leases on PostgreSQL${skipNote(postgresSkipReason)}`, () => {
  it('share the clusters between instances claiming at once, each lease to one of them', async () => {
    const { ids, leasesA, leasesB } = await twoInstances();
    const [gotA, gotB] = await Promise.all([leasesA.claim('instance-a', 6, LONG), leasesB.claim('instance-b', 6, LONG)]);
    expect(gotA.size + gotB.size).toBe(CLUSTERS);
    expect(new Set([...gotA.keys(), ...gotB.keys()])).toEqual(new Set(ids));
    expect([...gotA.values(), ...gotB.values()].every((token) => token === 1)).toBe(true);
    // Nothing is left: a claim takes no lease another instance holds.
    expect((await leasesA.claim('instance-a', CLUSTERS, LONG)).size).toBe(0);
    // Renewal keeps exactly what is held.
    const renewed = await leasesA.renew('instance-a', ids, LONG);
    expect(new Set(renewed.keys())).toEqual(new Set(gotA.keys()));
  });

  it('hand a released or expired lease to the next claim under a new token; the old holder can neither renew it nor write', async () => {
    const { a, b, ids, record, rows, leasesA, leasesB } = await twoInstances();
    const heldA = await leasesA.claim('instance-a', CLUSTERS, LONG);
    leasesA.fenceSnapshots('instance-a', heldA);
    const writerA = a.snapshotWriter(SNAPSHOT_FIELDS);
    const [first, second] = ids as [number, number];
    expect(await writerA.write(record(first, 1000))).toBe(true);

    // A hands the first cluster back: B claims it at once, under token 2.
    await leasesA.release('instance-a', [first]);
    const heldB = await leasesB.claim('instance-b', CLUSTERS, LONG);
    expect(heldB).toEqual(new Map([[first, 2]]));
    leasesB.fenceSnapshots('instance-b', heldB);
    // A still has the old token in its map (it has not renewed yet): the write is refused in its statement.
    await expect(writerA.write(record(first, 2000))).rejects.toBeInstanceOf(FencedWriteError);
    expect(await b.snapshotWriter(SNAPSHOT_FIELDS).write(record(first, 3000))).toBe(true);
    expect(await rows(first)).toEqual([1000, 3000]);
    expect((await leasesA.renew('instance-a', ids, LONG)).has(first)).toBe(false);

    // The second cluster's lease expires (A stopped renewing): B claims it; A's renew and writes fail.
    await a.db.updateTable('cluster_leases').set({ expires_at: 0 }).where('cluster_id', '=', second).execute();
    expect(await leasesB.claim('instance-b', CLUSTERS, LONG)).toEqual(new Map([[second, 2]]));
    expect((await leasesA.renew('instance-a', ids, LONG)).has(second)).toBe(false);
    await expect(writerA.write(record(second, 4000))).rejects.toBeInstanceOf(FencedWriteError);
    // A cluster not in the map is refused without a statement; one still held is written.
    heldA.delete(second);
    await expect(writerA.write(record(second, 5000))).rejects.toThrow(/no longer holds the lease of cluster/);
    expect(await writerA.write(record(ids[2]!, 6000))).toBe(true);
    expect(await rows(second)).toEqual([]);
  });

  it("let only the holder of a cluster's lease write its collection state; the instance that lost it writes none of it", async () => {
    const { a, b, ids, leasesA, leasesB } = await twoInstances();
    const heldA = await leasesA.claim('instance-a', CLUSTERS, LONG);
    leasesA.fenceSnapshots('instance-a', heldA);
    leasesB.fenceSnapshots('instance-b', new Map());
    const [first, second, third] = ids as [number, number, number];
    const state = (lastAttemptAt: number): CollectionStateRecord => ({ lastStatus: 'ok', consecutiveFailures: 0, lastAttemptAt, lastSuccessAt: lastAttemptAt, lastDurationMs: 5, lastError: null, nextAttemptAt: lastAttemptAt + 30_000, running: false, lagMs: 0, intervalMs: 30_000 });
    // As the collection writes them in shards mode (collection-service.ts): a batch, each cluster behind its own lease.
    const writeStates = (storage: Storage, leases: ClusterLeaseStore, at: number, clusters: readonly number[]) =>
      writeCollectionStates(storage.db, new Map(clusters.map((id) => [id, state(at)])), at, { writable: (trx, batch) => leases.stillHeld(trx, batch) });
    const lastAttempt = async (clusterId: number) => (await collectionStateOf(a.db, clusterId))?.lastAttemptAt;
    expect(await writeStates(a, leasesA, 1000, [first, second, third])).toBe(3);
    // B holds nothing yet: it writes nothing.
    expect(await writeStates(b, leasesB, 1500, [first])).toBe(0);
    expect(await lastAttempt(first)).toBe(1000);

    // A's lease of the first cluster expires while A is paused (its map still has the old token); B claims it.
    await a.db.updateTable('cluster_leases').set({ expires_at: 0 }).where('cluster_id', '=', first).execute();
    const heldB = await leasesB.claim('instance-b', CLUSTERS, LONG);
    expect(heldB).toEqual(new Map([[first, 2]]));
    leasesB.fenceSnapshots('instance-b', heldB);
    // A wakes up: its batch stores the clusters it still holds, not the one it lost (the database's check refuses it).
    expect(await writeStates(a, leasesA, 2000, [first, second, third])).toBe(2);
    expect([await lastAttempt(first), await lastAttempt(second), await lastAttempt(third)]).toEqual([1000, 2000, 2000]);
    // The holder writes it; B cannot write A's clusters.
    expect(await writeStates(b, leasesB, 3000, [first, second])).toBe(1);
    expect([await lastAttempt(first), await lastAttempt(second)]).toEqual([3000, 2000]);
    // Once A's renewal drops the cluster from its map, A's write of it is refused without a statement.
    heldA.delete(first);
    expect(await writeStates(a, leasesA, 4000, [first])).toBe(0);
    expect(await lastAttempt(first)).toBe(3000);
  });

  it("end a collection-state write paused after its check once a lease's length has passed, so the cluster can be claimed", async () => {
    const { a, ids, leasesA, leasesB } = await twoInstances();
    const SHORT = 300;
    const heldA = await leasesA.claim('instance-a', CLUSTERS, SHORT);
    leasesA.fenceSnapshots('instance-a', heldA);
    const [first] = ids as [number];
    // A checks its lease of the first cluster (locking its row), then is paused mid-transaction.
    const paused = a.db.transaction().execute(async (trx) => {
      expect(await leasesA.stillHeld(trx, [first])).toEqual(new Set([first]));
      await new Promise((r) => setTimeout(r, 4 * SHORT));
      await trx.selectFrom('clusters').select('id').execute();
    });
    await expect(paused).rejects.toThrow();
    // The server ended A's transaction: the expired leases, the first's among them, are free to claim.
    expect((await leasesB.claim('instance-b', CLUSTERS, LONG)).has(first)).toBe(true);
  });

  it('count the clusters, and the instances that collect a share and sent a heartbeat within the lease', async () => {
    const { a, leasesA } = await twoInstances();
    const lease = a.collectionLease!;
    const report = { host: 'h', pid: 1, version: '1.0.0', clustersCollected: 0 };
    await lease.heartbeat({ ...report, id: 'shard-1', role: 'shard' });
    await lease.heartbeat({ ...report, id: 'shard-2', role: 'shard' });
    await lease.heartbeat({ ...report, id: 'leader-mode', role: 'standby' });
    expect(await leasesA.census(LONG)).toEqual({ clusters: CLUSTERS, liveInstances: 2 });
    // shard-2 falls silent past the lease: no longer counted, so the others' shares grow.
    await a.db.updateTable('stellar_instances').set({ last_heartbeat_at: 0 }).where('id', '=', 'shard-2').execute();
    expect(await leasesA.census(LONG)).toEqual({ clusters: CLUSTERS, liveInstances: 1 });
  });
});
