import { describe, expect, it } from 'vitest';
import { DIALECTS } from '../../../test/helpers/dialects.js';
import { clusterFields, manualClock, randomSecretBox } from '../../../test/helpers/factories.js';
import { ClusterRegistry } from '../../registry/cluster-registry.js';
import type { Storage } from '../dialect/dialect.js';
import { migrateToLatest } from '../migrate.js';
import { type CollectionStateRecord, collectionStateOf, collectionStates, writeCollectionStates } from './collection-state.repo.js';

const T0 = Date.UTC(2026, 11, 3, 6, 0, 0);

function state(overrides: Partial<CollectionStateRecord> = {}): CollectionStateRecord {
  return {
    lastStatus: 'failed',
    consecutiveFailures: 3,
    lastAttemptAt: T0 - 30_000,
    lastSuccessAt: T0 - 600_000,
    lastDurationMs: 1234,
    lastError: 'frontends (refused): GET http://fe1:8030/api/show_proc: connection refused',
    // Beyond 2^32, as epoch ms are: both engines must give the number back, not a string.
    nextAttemptAt: T0 + 120_000,
    running: false,
    lagMs: 250,
    intervalMs: 30_000,
    ...overrides,
  };
}

async function setUp(open: () => Promise<Storage>, clusters: number) {
  const storage = await open();
  await migrateToLatest(storage);
  const registry = new ClusterRegistry({ db: storage.db, dialect: storage.dialect, secrets: randomSecretBox(), now: manualClock().now });
  const ids: number[] = [];
  for (let i = 0; i < clusters; i += 1) ids.push((await registry.create(clusterFields())).id);
  return { storage, registry, ids };
}

describe.each(DIALECTS)('collection_state on $name', (dialect) => {
  it('gives back what was written, by cluster and for every cluster, and replaces it on the next write', async () => {
    const { storage, ids } = await setUp(() => dialect.open(), 2);
    const [a, b] = ids as [number, number];
    expect(await collectionStateOf(storage.db, a)).toBeUndefined();
    const first = state();
    const pending = state({ lastStatus: null, consecutiveFailures: 0, lastAttemptAt: null, lastSuccessAt: null, lastDurationMs: null, lastError: null, running: true, lagMs: 0 });
    expect(await writeCollectionStates(storage.db, new Map([[a, first], [b, pending]]), T0)).toBe(2);
    expect(await collectionStateOf(storage.db, a)).toEqual({ ...first, updatedAt: T0 });
    expect(await collectionStates(storage.db)).toEqual(new Map([[a, { ...first, updatedAt: T0 }], [b, { ...pending, updatedAt: T0 }]]));

    const recovered = state({ lastStatus: 'ok', consecutiveFailures: 0, lastSuccessAt: T0, lastError: null, nextAttemptAt: T0 + 30_000 });
    await writeCollectionStates(storage.db, new Map([[a, recovered]]), T0 + 1000);
    expect(await collectionStateOf(storage.db, a)).toEqual({ ...recovered, updatedAt: T0 + 1000 });
    expect(await collectionStateOf(storage.db, b)).toEqual({ ...pending, updatedAt: T0 });
    await storage.close();
  });

  it('writes a fleet of states in one call, past one statement’s rows, leaving out clusters deleted meanwhile', async () => {
    const { storage, registry, ids } = await setUp(() => dialect.open(), 2500);
    const gone = ids[1700]!;
    await registry.delete(gone);
    const states = new Map(ids.map((id, i) => [id, state({ consecutiveFailures: i % 7, lagMs: i })]));
    expect(await writeCollectionStates(storage.db, states, T0)).toBe(2499);
    const stored = await collectionStates(storage.db);
    expect(stored.size).toBe(2499);
    expect(stored.has(gone)).toBe(false);
    expect(stored.get(ids[2499]!)).toMatchObject({ consecutiveFailures: 2499 % 7, lagMs: 2499 });
    // A cluster's state goes with the cluster.
    await registry.delete(ids[0]!);
    expect(await collectionStateOf(storage.db, ids[0]!)).toBeUndefined();
    await storage.close();
  });

  it('writes nothing when the guard before the write refuses it', async () => {
    const { storage, ids } = await setUp(() => dialect.open(), 1);
    const refused = new Error('no longer the leader');
    const write = writeCollectionStates(storage.db, new Map([[ids[0]!, state()]]), T0, {
      beforeWrite: async (trx) => {
        // The guard runs inside the write's transaction: what it reads there is what the write sees.
        expect(await trx.selectFrom('clusters').select('id').execute()).toHaveLength(1);
        throw refused;
      },
    });
    await expect(write).rejects.toBe(refused);
    expect(await collectionStates(storage.db)).toEqual(new Map());
    await storage.close();
  });
});
