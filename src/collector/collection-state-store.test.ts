import { afterEach, describe, expect, it } from 'vitest';
import { DIALECTS, openSqliteFile } from '../../test/helpers/dialects.js';
import { clusterFields, randomSecretBox } from '../../test/helpers/factories.js';
import { FakeClock } from '../../test/helpers/fake-clock.js';
import { fillSqlite } from '../../test/helpers/full-sqlite.js';
import { loggerInto } from '../../test/helpers/test-app.js';
import { ClusterRegistry } from '../registry/cluster-registry.js';
import type { Storage } from '../storage/dialect/dialect.js';
import { migrateToLatest } from '../storage/migrate.js';
import { type CollectionStateRecord, collectionStates } from '../storage/repos/collection-state.repo.js';
import { CollectionStateStore, FLUSH_EVERY_MS } from './collection-state-store.js';
import { JobRunner } from './job-runner.js';

const T0 = Date.UTC(2026, 11, 3, 6, 0, 0);

const waiting = (consecutiveFailures: number): CollectionStateRecord => ({
  lastStatus: consecutiveFailures > 0 ? 'failed' : 'ok',
  consecutiveFailures,
  lastAttemptAt: T0,
  lastSuccessAt: null,
  lastDurationMs: 5,
  lastError: null,
  nextAttemptAt: T0 + 30_000,
  running: false,
  lagMs: 0,
  intervalMs: 30_000,
});

let cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
  cleanups = [];
});

async function setUp(open: () => Promise<Storage>, options: { beforeWrite?: () => Promise<void> } = {}) {
  const storage = await open();
  await migrateToLatest(storage);
  const registry = new ClusterRegistry({ db: storage.db, dialect: storage.dialect, secrets: randomSecretBox(), now: () => T0 });
  const ids = [(await registry.create(clusterFields())).id, (await registry.create(clusterFields())).id] as [number, number];
  const clock = new FakeClock(T0);
  const logs: string[] = [];
  const runner = new JobRunner({ clock, logger: loggerInto(logs, 'warn') });
  const store = new CollectionStateStore({ storage, runner, ...(options.beforeWrite ? { beforeWrite: options.beforeWrite } : {}) });
  cleanups.push(async () => {
    await runner.stop();
    await storage.close();
  });
  const settle = () => runner.whenIdle();
  /** Each cluster's stored failures and when they were written. */
  const stored = async () => [...(await collectionStates(storage.db))].map(([id, s]) => ({ id, failures: s.consecutiveFailures, at: s.updatedAt }));
  return { storage, ids, clock, runner, store, settle, stored, logs };
}

describe.each(DIALECTS)('CollectionStateStore on $name', (dialect) => {
  it('writes the first change at once, then every change of the next second together, the latest per cluster', async () => {
    const t = await setUp(() => dialect.open());
    const [a, b] = t.ids;
    t.store.mark(a, waiting(0));
    await t.clock.advance(0, t.settle);
    expect(await t.stored()).toEqual([{ id: a, failures: 0, at: T0 }]);

    for (let i = 1; i <= 9; i += 1) {
      await t.clock.advanceTo(T0 + i * 100, t.settle);
      t.store.mark(a, waiting(i));
      t.store.mark(b, waiting(10 * i));
    }
    await t.clock.advanceTo(T0 + FLUSH_EVERY_MS - 1, t.settle);
    expect(await t.stored()).toEqual([{ id: a, failures: 0, at: T0 }]);
    await t.clock.advanceTo(T0 + FLUSH_EVERY_MS, t.settle);
    expect(await t.stored()).toEqual([
      { id: a, failures: 9, at: T0 + FLUSH_EVERY_MS },
      { id: b, failures: 90, at: T0 + FLUSH_EVERY_MS },
    ]);
    // Nothing marked since: nothing waits to be written.
    expect(t.clock.nextTimerAt()).toBeNull();
  });

  it('keeps a batch whose write failed for the next one, where a newer mark wins', async () => {
    let refuse = true;
    const t = await setUp(() => dialect.open(), {
      beforeWrite: () => {
        if (refuse) return Promise.reject(new Error('fenced'));
        return Promise.resolve();
      },
    });
    const [a, b] = t.ids;
    t.store.mark(a, waiting(1));
    t.store.mark(b, waiting(1));
    await t.clock.advance(0, t.settle);
    expect(await t.stored()).toEqual([]);
    expect(t.logs.join('')).toContain('collection state failed');
    refuse = false;
    t.store.mark(b, waiting(2));
    expect(await t.store.flush()).toBe(2);
    expect((await t.stored()).map((s) => s.failures)).toEqual([1, 2]);
  });

  it('forgets a deleted cluster’s change', async () => {
    const t = await setUp(() => dialect.open());
    const [a, b] = t.ids;
    t.store.mark(a, waiting(1));
    t.store.mark(b, waiting(1));
    t.store.forget(a);
    expect(await t.store.flush()).toBe(1);
    expect((await t.stored()).map((s) => s.id)).toEqual([b]);
  });
});

describe('CollectionStateStore on a full disk', () => {
  it('says so once through the write health, not at every try, and writes the states once there is room', async () => {
    const t = await setUp(openSqliteFile);
    const [a, b] = t.ids;
    const makeRoom = await fillSqlite(t.storage);
    // Rows larger than the free room of the table's page: they need pages of their own.
    for (let i = 0; i < 20; i += 1) t.store.mark(i % 2 === 0 ? a : b, { ...waiting(i), lastError: 'x'.repeat(3000) });
    await t.clock.advance(30_000, t.settle);
    expect(t.storage.writeHealth.failure?.reason).toBe('the disk is full (SQLITE_FULL)');
    expect(t.logs).toEqual([]);
    await makeRoom();
    await t.clock.advance(30_000, t.settle);
    expect((await t.stored()).map((s) => s.failures)).toEqual([18, 19]);
    expect(t.storage.writeHealth.failure).toBeNull();
  });
});
