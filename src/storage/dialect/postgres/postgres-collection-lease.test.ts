/**
 * The collection lease on a real PostgreSQL server, seen by two instances (two pools on one
 * database): one holds it, the other is refused until it expires, each acquisition moves the
 * token on, and a snapshot write under a superseded token writes nothing, not even the lists.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { postgresSkipReason, postgresTestUrl } from '../../../../test/helpers/dialects.js';
import { clusterFields, randomSecretBox } from '../../../../test/helpers/factories.js';
import { skipNote } from '../../../../test/helpers/requirements.js';
import { ClusterRegistry } from '../../../registry/cluster-registry.js';
import { SNAPSHOT_FIELDS } from '../../../shared/snapshot-fields.js';
import { FencedWriteError, type WriteFence } from '../../collection-lease-store.js';
import { migrateToLatest } from '../../migrate.js';
import { collectionStateOf, writeCollectionStates } from '../../repos/collection-state.repo.js';
import { clusterNodesRow } from '../../repos/nodes.repo.js';
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

async function twoInstances() {
  const target = await postgresTestUrl();
  drop = () => target.drop();
  const [a, b] = [openPostgres({ url: target.url, poolSize: 2 }), openPostgres({ url: target.url, poolSize: 2 })];
  opened.push(a, b);
  await migrateToLatest(a);
  const cluster = await new ClusterRegistry({ db: a.db, dialect: a.dialect, secrets: randomSecretBox(), now: () => 1 }).create(clusterFields());
  const record = (at: number): SnapshotRecord => ({
    clusterId: cluster.id,
    collectedAt: at,
    status: 'ok',
    durationMs: 5,
    failedSources: '[]',
    frontendsScraped: 1,
    values: {},
    nodes: { at, frontends: `[{"written_at":${at}}]`, backends: null, computeNodes: null },
  });
  const rows = async () => (await a.db.selectFrom('metrics_snapshots').select('collected_at').orderBy('collected_at').execute()).map((r) => Number(r.collected_at));
  return { a, b, leaseA: a.collectionLease!, leaseB: b.collectionLease!, record, rows, lists: () => clusterNodesRow(a.db, cluster.id), clusterId: cluster.id };
}

describe.skipIf(postgresSkipReason !== null)(`the collection lease on PostgreSQL${skipNote(postgresSkipReason)}`, () => {
  it('is held by one instance until it expires; the next holder gets a new token and the old one can neither renew nor write', async () => {
    const { a, b, leaseA, leaseB, record, rows, lists, clusterId } = await twoInstances();
    const first = await leaseA.acquire('instance-a', LONG);
    expect(first).toEqual({ held: true, token: 1 });
    expect(await leaseB.acquire('instance-b', LONG)).toEqual({ held: false, holder: 'instance-a' });

    const fenceA: WriteFence = { holder: 'instance-a', token: 1, leaseMs: LONG };
    let lostA = 0;
    leaseA.fenceWrites(fenceA, () => (lostA += 1));
    const writerA = a.snapshotWriter(SNAPSHOT_FIELDS);
    expect(await writerA.write(record(1000))).toBe(true);
    expect(await leaseA.renew(fenceA)).toBe(true);

    // A's lease runs out (it stopped renewing): B takes it, under the next token.
    await a.db.updateTable('collection_lease').set({ expires_at: 0 }).execute();
    expect(await leaseB.acquire('instance-b', LONG)).toEqual({ held: true, token: 2 });
    leaseB.fenceWrites({ holder: 'instance-b', token: 2, leaseMs: LONG }, () => undefined);

    expect(await leaseA.renew(fenceA)).toBe(false);
    const refused = await writerA.write(record(2000)).catch((err: unknown) => err);
    expect(refused).toBeInstanceOf(FencedWriteError);
    expect(lostA).toBe(1);
    expect(await b.snapshotWriter(SNAPSHOT_FIELDS).write(record(3000))).toBe(true);
    expect(await rows()).toEqual([1000, 3000]);
    // The refused write's node list was not stored either: the lists are B's.
    expect((await lists())?.frontends).toBe('[{"written_at":3000}]');

    // So is A's collection state, written in a transaction of its own that checks the fence first.
    const state = { lastStatus: 'ok' as const, consecutiveFailures: 0, lastAttemptAt: 2000, lastSuccessAt: 2000, lastDurationMs: 5, lastError: null, nextAttemptAt: 4000, running: false, lagMs: 0, intervalMs: 30_000 };
    const writeState = (storage: Storage, lease: typeof leaseA) => writeCollectionStates(storage.db, new Map([[clusterId, state]]), 2000, { beforeWrite: (trx) => lease.checkFence(trx) });
    await expect(writeState(a, leaseA)).rejects.toBeInstanceOf(FencedWriteError);
    expect(await collectionStateOf(a.db, clusterId)).toBeUndefined();
    await writeState(b, leaseB);
    expect((await collectionStateOf(a.db, clusterId))?.lastAttemptAt).toBe(2000);

    // A's tier back-fill is refused alike; B's acquisition again is a new token, A can take it only once expired.
    await expect(writerA.backfillTiers(1, 0, 10)).rejects.toBeInstanceOf(FencedWriteError);
    await expect(b.snapshotWriter(SNAPSHOT_FIELDS).backfillTiers(1, 0, 10)).resolves.toBeUndefined();
    expect(await leaseA.acquire('instance-a', LONG)).toEqual({ held: false, holder: 'instance-b' });
    await leaseB.release({ holder: 'instance-b', token: 2, leaseMs: LONG });
    expect(await leaseA.acquire('instance-a', LONG)).toEqual({ held: true, token: 3 });
  });

  it("ends a collection-state write paused after its check once a lease's length has passed; the standby then takes the lease", async () => {
    const { a, leaseA, leaseB } = await twoInstances();
    const SHORT = 300;
    expect(await leaseA.acquire('instance-a', SHORT)).toEqual({ held: true, token: 1 });
    leaseA.fenceWrites({ holder: 'instance-a', token: 1, leaseMs: SHORT }, () => undefined);
    // A checks the fence (locking the lease row), then is paused mid-transaction.
    const paused = a.db.transaction().execute(async (trx) => {
      await leaseA.checkFence(trx);
      await new Promise((r) => setTimeout(r, 4 * SHORT));
      await trx.selectFrom('clusters').select('id').execute();
    });
    await expect(paused).rejects.toThrow();
    expect(await leaseB.acquire('instance-b', LONG)).toEqual({ held: true, token: 2 });
  });

  it('lists every instance by its last heartbeat, and forgets one that stops cleanly', async () => {
    const { leaseA, leaseB } = await twoInstances();
    const report = { host: 'h', pid: 1, version: '1.0.0' };
    await leaseA.heartbeat({ ...report, id: 'instance-a', role: 'leader', clustersCollected: 7 });
    await leaseB.heartbeat({ ...report, id: 'instance-b', role: 'standby', clustersCollected: 0 });
    await leaseB.heartbeat({ ...report, id: 'instance-b', role: 'standby', clustersCollected: 0 });
    const listed = await leaseB.instances();
    expect(listed.map((i) => [i.id, i.role, i.clustersCollected])).toEqual([
      ['instance-a', 'leader', 7],
      ['instance-b', 'standby', 0],
    ]);
    for (const i of listed) expect(i.heartbeatAgeMs).toBeGreaterThanOrEqual(0);
    await leaseA.forget('instance-a');
    expect((await leaseB.instances()).map((i) => i.id)).toEqual(['instance-b']);
  });
});
