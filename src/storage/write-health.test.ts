/**
 * The write path's memory on a really full SQLite database (max_page_count): a snapshot write
 * that fails for want of room marks it failing with the real cause, once; the next write that
 * succeeds clears it. Other errors say nothing of the disk.
 */
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { fillSqlite } from '../../test/helpers/full-sqlite.js';
import { writeSnapshots } from '../../test/helpers/write-snapshots.js';
import { clusterFields, randomSecretBox } from '../../test/helpers/factories.js';
import { ClusterRegistry } from '../registry/cluster-registry.js';
import { openSqlite } from './dialect/sqlite/sqlite-dialect.js';
import { migrateToLatest } from './migrate.js';

describe('WriteHealth', () => {
  it('fails with SQLITE_FULL on a full database, tells once per change of state, and recovers with the next write', async () => {
    const storage = openSqlite(':memory:');
    await migrateToLatest(storage);
    const registry = new ClusterRegistry({ db: storage.db, dialect: storage.dialect, secrets: randomSecretBox(), now: () => 0 });
    const { id } = await registry.create(clusterFields());
    const changes: (string | null)[] = [];
    storage.writeHealth.onChange((failure) => changes.push(failure?.reason ?? null));

    // A foreign-key violation is no news of the disk.
    await expect(writeSnapshots(storage, [{ cluster_id: id + 1, collected_at: 0, qps: 1 }])).rejects.toMatchObject({ code: 'SQLITE_CONSTRAINT_FOREIGNKEY' });
    expect(storage.writeHealth.failure).toBeNull();

    const makeRoom = await fillSqlite(storage);
    // The snapshots' own pages keep a little room: rows go in until it is gone, then every write fails.
    let at = 0;
    const write = () => writeSnapshots(storage, [{ cluster_id: id, collected_at: (at += 1_000), qps: 1 }]);
    const error = await (async () => {
      for (let i = 0; i < 1_000; i += 1) await write();
      return null;
    })().catch((err: unknown) => err);
    expect(error).toMatchObject({ code: 'SQLITE_FULL' });
    await expect(write()).rejects.toMatchObject({ code: 'SQLITE_FULL' });
    expect(storage.writeHealth.failure?.reason).toBe('the disk is full (SQLITE_FULL)');
    await makeRoom();
    expect(await writeSnapshots(storage, [{ cluster_id: id, collected_at: (at += 1_000), qps: 1 }])).toEqual([true]);
    expect(storage.writeHealth.failure).toBeNull();
    expect(changes).toEqual(['the disk is full (SQLITE_FULL)', null]);
    await storage.close();
  });

  it('a transaction the disk cannot hold fails with SQLITE_FULL, not with the rollback SQLite already did ("no transaction is active")', async () => {
    const storage = openSqlite(':memory:');
    await migrateToLatest(storage);
    await fillSqlite(storage);
    const registry = new ClusterRegistry({ db: storage.db, dialect: storage.dialect, secrets: randomSecretBox(), now: () => 0 });
    const error = await storage.db
      .transaction()
      .execute(async (trx) => {
        for (let i = 0; i < 1_000; i += 1) await sql`insert into filler values (randomblob(100))`.execute(trx);
      })
      .catch((err: unknown) => err);
    expect(error).toMatchObject({ code: 'SQLITE_FULL' });
    expect(storage.dialect.writeFault(error)).toBe('the disk is full (SQLITE_FULL)');
    // The connection is usable afterwards: a read answers.
    expect(await registry.list()).toEqual([]);
    await storage.close();
  });
});
