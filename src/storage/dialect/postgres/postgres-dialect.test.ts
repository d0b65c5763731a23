/**
 * What the PostgreSQL storage adds to the dialect-neutral storage tests: database.url opens it,
 * its log location never shows the password, and its change count moves with every write of
 * the process (the fleet cache trusts a read for as long as that count stands still).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { postgresSkipReason, postgresTestUrl } from '../../../../test/helpers/dialects.js';
import { clusterFields, randomSecretBox } from '../../../../test/helpers/factories.js';
import { skipNote } from '../../../../test/helpers/requirements.js';
import { writeSnapshots } from '../../../../test/helpers/write-snapshots.js';
import { ClusterRegistry } from '../../../registry/cluster-registry.js';
import { migrateToLatest } from '../../migrate.js';
import { openStorage } from '../../open-storage.js';
import type { Storage } from '../dialect.js';
import { postgresDialect, postgresLocation } from './postgres-dialect.js';

let cleanup: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const step of cleanup.reverse()) await step();
  cleanup = [];
});

describe('postgresLocation', () => {
  it('names the server, user and database, never the password or the parameters', () => {
    expect(postgresLocation('postgres://stellar:s3cret@db.example.com:5432/stellar?sslmode=require')).toBe('postgres postgres://stellar@db.example.com:5432/stellar');
  });
});

describe('postgresDialect.writeFault', () => {
  it('names the server’s disk_full (53100) and io_error (58030), and nothing else', () => {
    expect(postgresDialect.writeFault({ code: '53100' })).toBe('the disk is full (53100 disk_full)');
    expect(postgresDialect.writeFault({ code: '58030' })).toBe('the disk cannot be written (58030 io_error)');
    expect(postgresDialect.writeFault({ code: '23503' })).toBeNull();
    expect(postgresDialect.writeFault(new Error('boom'))).toBeNull();
  });
});

describe.skipIf(postgresSkipReason !== null)(`the PostgreSQL storage${skipNote(postgresSkipReason)}`, () => {
  async function open(): Promise<Storage> {
    const target = await postgresTestUrl();
    const storage = openStorage({ url: target.url, dataDir: '/nonexistent', poolSize: 2 });
    cleanup.push(() => target.drop(), () => storage.close());
    await migrateToLatest(storage);
    return storage;
  }

  it('is what a postgres:// database.url opens, and its change count moves with each write of the process', async () => {
    const storage = await open();
    expect(storage.dialect.name).toBe('postgres');
    expect(storage.location).toMatch(/^postgres postgres:\/\/postgres@127\.0\.0\.1:5432\/stellar_test_\w+$/);
    const registry = new ClusterRegistry({ db: storage.db, dialect: storage.dialect, secrets: randomSecretBox(), now: () => 0 });
    const before = storage.changeCount();
    const cluster = await registry.create(clusterFields());
    const afterCreate = storage.changeCount();
    expect(afterCreate).toBeGreaterThan(before);
    // The snapshot writer's own connection counts too: the row and its two tier buckets.
    await writeSnapshots(storage, [{ cluster_id: cluster.id, collected_at: 1_000, qps: 1 }]);
    expect(storage.changeCount()).toBeGreaterThanOrEqual(afterCreate + 3);
    const afterWrite = storage.changeCount();
    await storage.db.selectFrom('clusters').selectAll().execute();
    expect(storage.changeCount()).toBe(afterWrite);
  });

  it('refuses a second cluster of the same name as SQLite does (the unique violation is recognised)', async () => {
    const storage = await open();
    const registry = new ClusterRegistry({ db: storage.db, dialect: storage.dialect, secrets: randomSecretBox(), now: () => 0 });
    await registry.create(clusterFields({ name: 'Prod' }));
    await expect(registry.create(clusterFields({ name: 'prod' }))).rejects.toMatchObject({ code: 'STELLAR_ERR_CLUSTER_NAME_TAKEN' });
  });

  it('recognises a snapshot of a deleted cluster as a foreign-key violation (the collector drops it quietly)', async () => {
    const storage = await open();
    const error = await writeSnapshots(storage, [{ cluster_id: 987_654, collected_at: 1_000, qps: 1 }]).then(
      () => null,
      (err: unknown) => err,
    );
    expect(storage.dialect.isForeignKeyViolation(error)).toBe(true);
    expect(storage.dialect.isUniqueViolation(error)).toBe(false);
  });
});
