import { describe, expect, it } from 'vitest';
import { DIALECTS } from '../../test/helpers/dialects.js';
import { clusterFields, manualClock, randomSecretBox } from '../../test/helpers/factories.js';
import { StellarError } from '../errors.js';
import type { Storage } from '../storage/dialect/dialect.js';
import { migrateToLatest } from '../storage/migrate.js';
import { ClusterRegistry } from './cluster-registry.js';

async function setup(open: () => Promise<Storage>) {
  const storage = await open();
  await migrateToLatest(storage);
  const clock = manualClock();
  const secrets = randomSecretBox();
  const registry = new ClusterRegistry({ db: storage.db, dialect: storage.dialect, secrets, now: clock.now });
  return { storage, clock, secrets, registry };
}

async function codeOf(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(
    () => undefined,
    (err: unknown) => err,
  );
  if (!(error instanceof StellarError)) throw new Error(`expected a StellarError, got ${String(error)}`);
  return error.code;
}

describe.each(DIALECTS)('ClusterRegistry on $name', (dialect) => {
  it('creates, lists, gets, updates and deletes clusters', async () => {
    const { registry, clock, storage } = await setup(() => dialect.open());
    const created = await registry.create(clusterFields({ name: 'prod', tags: ['eu', 'tier1'], enable_ssl: true }));
    expect(created).toMatchObject({ name: 'prod', tags: ['eu', 'tier1'], enable_ssl: true, password_set: false });
    expect(created.created_at).toBe(clock.now());

    await registry.create(clusterFields({ name: 'staging' }));
    expect((await registry.list()).map((c) => c.name)).toEqual(['prod', 'staging']);
    expect(await registry.get(created.id)).toEqual(created);

    clock.advance(1000);
    const updated = await registry.update(created.id, { description: 'main cluster', fe_http_port: 8040 });
    expect(updated).toEqual({ ...created, description: 'main cluster', fe_http_port: 8040, updated_at: created.updated_at + 1000 });

    await registry.delete(created.id);
    expect((await registry.list()).map((c) => c.name)).toEqual(['staging']);
    await storage.close();
  });

  it('seals passwords: the stored column is not the password, and only connection() opens it', async () => {
    const { registry, storage } = await setup(() => dialect.open());
    const cluster = await registry.create(clusterFields({ password: 'Sup3r-Secret' }));
    const row = await storage.db.selectFrom('clusters').select('password_encrypted').where('id', '=', cluster.id).executeTakeFirstOrThrow();
    expect(row.password_encrypted).not.toContain('Sup3r-Secret');
    expect(row.password_encrypted).toMatch(/^v1\./);
    expect(cluster.password_set).toBe(true);
    expect(JSON.stringify(cluster)).not.toContain('Sup3r-Secret');
    expect((await registry.connection(cluster.id)).password).toBe('Sup3r-Secret');

    await registry.update(cluster.id, { password: 'N3w-Secret' });
    expect((await registry.connection(cluster.id)).password).toBe('N3w-Secret');
    await registry.update(cluster.id, { description: 'no password change' });
    expect((await registry.connection(cluster.id)).password).toBe('N3w-Secret');
    expect((await registry.update(cluster.id, { password: '' })).password_set).toBe(false);
    expect((await registry.connection(cluster.id)).password).toBe('');
    await storage.close();
  });

  it('keeps a cluster’s own sources: null follows the global set, [] is none, a list is stored once each in the canonical order', async () => {
    const { registry, storage } = await setup(() => dialect.open());
    const following = await registry.create(clusterFields());
    expect(following.sources).toBeNull();
    const own = await registry.create(clusterFields({ sources: ['be_metrics', 'follower_metrics', 'be_metrics'] }));
    expect(own.sources).toEqual(['follower_metrics', 'be_metrics']);
    const row = await storage.db.selectFrom('clusters').select('sources').where('id', '=', own.id).executeTakeFirstOrThrow();
    expect(row.sources).toBe('["follower_metrics","be_metrics"]');

    expect((await registry.update(following.id, { sources: [] })).sources).toEqual([]);
    expect((await registry.get(following.id)).sources).toEqual([]);
    // A change of other fields leaves the list alone; null gives the cluster back to the global set.
    expect((await registry.update(own.id, { description: 'x' })).sources).toEqual(['follower_metrics', 'be_metrics']);
    expect((await registry.update(own.id, { sources: null })).sources).toBeNull();
    expect((await registry.list()).map((c) => c.sources)).toEqual([[], null]);
    await storage.close();
  });

  it('refuses a second cluster with the same name in any case, on create and on rename', async () => {
    const { registry, storage } = await setup(() => dialect.open());
    await registry.create(clusterFields({ name: 'Prod' }));
    const other = await registry.create(clusterFields({ name: 'other' }));
    expect(await codeOf(registry.create(clusterFields({ name: 'prod' })))).toBe('STELLAR_ERR_CLUSTER_NAME_TAKEN');
    expect(await codeOf(registry.update(other.id, { name: 'PROD' }))).toBe('STELLAR_ERR_CLUSTER_NAME_TAKEN');
    expect((await registry.update(other.id, { name: 'Other' })).name).toBe('Other');
    await storage.close();
  });

  it('says NOT_FOUND for ids it does not have', async () => {
    const { registry, storage } = await setup(() => dialect.open());
    expect(await codeOf(registry.get(42))).toBe('STELLAR_ERR_CLUSTER_NOT_FOUND');
    expect(await codeOf(registry.update(42, { description: 'x' }))).toBe('STELLAR_ERR_CLUSTER_NOT_FOUND');
    expect(await codeOf(registry.delete(42))).toBe('STELLAR_ERR_CLUSTER_NOT_FOUND');
    expect(await codeOf(registry.connection(42))).toBe('STELLAR_ERR_CLUSTER_NOT_FOUND');
    await storage.close();
  });

  it('deletes a cluster together with its snapshots and daily rows, and never reuses its id', async () => {
    const { registry, storage } = await setup(() => dialect.open());
    const gone = await registry.create(clusterFields());
    const kept = await registry.create(clusterFields());
    for (const cluster of [gone, kept]) {
      await storage.db.insertInto('metrics_snapshots').values({ cluster_id: cluster.id, collected_at: 1000 }).execute();
      await storage.db.insertInto('daily_snapshots').values({ cluster_id: cluster.id, snapshot_date: '2026-11-24', updated_at: 1 }).execute();
    }
    await registry.delete(gone.id);
    expect(await storage.db.selectFrom('metrics_snapshots').select('cluster_id').execute()).toEqual([{ cluster_id: kept.id }]);
    expect(await storage.db.selectFrom('daily_snapshots').select('cluster_id').execute()).toEqual([{ cluster_id: kept.id }]);

    await registry.delete(kept.id);
    const next = await registry.create(clusterFields());
    expect(next.id).toBeGreaterThan(kept.id);
    await storage.close();
  });

  it('keeps one snapshot per cluster and instant', async () => {
    const { registry, storage } = await setup(() => dialect.open());
    const cluster = await registry.create(clusterFields());
    await storage.db.insertInto('metrics_snapshots').values({ cluster_id: cluster.id, collected_at: 1000 }).execute();
    const duplicate = storage.db.insertInto('metrics_snapshots').values({ cluster_id: cluster.id, collected_at: 1000 }).execute();
    await expect(duplicate).rejects.toSatisfy((err: unknown) => storage.dialect.isUniqueViolation(err));
    await storage.close();
  });
});
