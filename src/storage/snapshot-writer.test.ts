/**
 * The collector's prepared write on every dialect: every field and the row's metadata, the
 * node lists it is given (a list not given keeps its value and time), all or nothing, and
 * never inside a transaction the query builder has open on the same database.
 */
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { DIALECTS } from '../../test/helpers/dialects.js';
import { clusterFields, randomSecretBox } from '../../test/helpers/factories.js';
import { ClusterRegistry } from '../registry/cluster-registry.js';
import { SNAPSHOT_FIELDS } from '../shared/snapshot-fields.js';
import type { Storage } from './dialect/dialect.js';
import { migrateToLatest } from './migrate.js';
import { clusterNodesRow } from './repos/nodes.repo.js';
import { latestSnapshotRow } from './repos/snapshots.repo.js';
import type { SnapshotRecord } from './snapshot-writer.js';

let storage: Storage | null = null;
afterEach(async () => {
  await storage?.close();
  storage = null;
});

const T = Date.UTC(2026, 11, 1, 12);
const values = Object.fromEntries(SNAPSHOT_FIELDS.map((f, i) => [f.name, f.column === 'text' ? 'fe-1' : f.column === 'bigint' ? i * 1000 : i + 0.25]));

async function setUp(dialect: (typeof DIALECTS)[number]) {
  storage = await dialect.open();
  await migrateToLatest(storage);
  const registry = new ClusterRegistry({ db: storage.db, dialect: storage.dialect, secrets: randomSecretBox(), now: () => T });
  const cluster = await registry.create(clusterFields());
  const record = (at: number, nodes: Partial<SnapshotRecord['nodes']> = {}): SnapshotRecord => ({
    clusterId: cluster.id,
    collectedAt: at,
    status: 'partial',
    durationMs: 12.6,
    failedSources: '[{"source":"backends","kind":"timeout","message":"x"}]',
    frontendsScraped: 3,
    values,
    nodes: { at, frontends: null, backends: null, computeNodes: null, ...nodes },
  });
  return { storage, cluster, record, writer: storage.snapshotWriter(SNAPSHOT_FIELDS) };
}

/** A trigger that makes every insert into cluster_nodes fail, in each engine's words. */
const REFUSE_LISTS = {
  sqlite: [sql`create trigger refuse_lists before insert on cluster_nodes begin select raise(abort, 'no room for lists'); end`],
  postgres: [
    sql`create function refuse_lists() returns trigger language plpgsql as $$ begin raise exception 'no room for lists'; end $$`,
    sql`create trigger refuse_lists before insert on cluster_nodes for each row execute function refuse_lists()`,
  ],
};

describe.each(DIALECTS)('the snapshot writer on $name', (dialect) => {
  it('stores every field and the metadata, once per instant', async () => {
    const { storage, cluster, record, writer } = await setUp(dialect);
    expect(await writer.write(record(T))).toBe(true);
    const row = await latestSnapshotRow(storage.db, cluster.id);
    expect(row).toMatchObject({ ...values, cluster_id: cluster.id, collected_at: T, collect_status: 'partial', collect_duration_ms: 13, frontends_scraped: 3 });
    expect(JSON.parse(row!.failed_sources!)).toEqual([{ source: 'backends', kind: 'timeout', message: 'x' }]);
    // A retried write of the same instant changes nothing.
    expect(await writer.write({ ...record(T), status: 'ok' })).toBe(false);
    expect((await latestSnapshotRow(storage.db, cluster.id))?.collect_status).toBe('partial');
  });

  it('stores the custom metrics\' values as the JSON object it is given, and null when there are none', async () => {
    const { storage, cluster, record, writer } = await setUp(dialect);
    const custom = JSON.stringify({ queue_max: 12, rows_per_s: 1234.5678, gone: null });
    expect(await writer.write({ ...record(T), customValues: custom })).toBe(true);
    expect((await latestSnapshotRow(storage.db, cluster.id))?.custom_values).toBe(custom);
    expect(await writer.write(record(T + 30_000))).toBe(true);
    expect((await latestSnapshotRow(storage.db, cluster.id))?.custom_values).toBeNull();
  });

  it('refuses a second row of a cluster for the same slot, at any instant, and counts it in no tier', async () => {
    const { storage, cluster, record, writer } = await setUp(dialect);
    const slot = T - 1000;
    expect(await writer.write({ ...record(T), slotAt: slot })).toBe(true);
    // Another instance's collection of the same slot, a little later: refused, the tiers unchanged.
    expect(await writer.write({ ...record(T + 700), slotAt: slot, status: 'ok' })).toBe(false);
    // The next slot, and rows without a slot (one-off collections), are written.
    expect(await writer.write({ ...record(T + 30_000), slotAt: slot + 30_000 })).toBe(true);
    expect(await writer.write(record(T + 1400))).toBe(true);
    expect(await writer.write(record(T + 2100))).toBe(true);
    const rows = await storage.db.selectFrom('metrics_snapshots').select(['collected_at', 'slot_at']).where('cluster_id', '=', cluster.id).orderBy('collected_at').execute();
    expect(rows).toEqual([
      { collected_at: T, slot_at: slot },
      { collected_at: T + 1400, slot_at: null },
      { collected_at: T + 2100, slot_at: null },
      { collected_at: T + 30_000, slot_at: slot + 30_000 },
    ]);
    const samples = await storage.db.selectFrom('metrics_1h').select((eb) => eb.fn.sum<number>('samples').as('n')).where('cluster_id', '=', cluster.id).executeTakeFirst();
    expect(Number(samples?.n)).toBe(4);
  });

  it('stores the lists it is given; one not given keeps its value and time', async () => {
    const { storage, cluster, record, writer } = await setUp(dialect);
    await writer.write(record(T, { frontends: '["f1"]', backends: '["b1"]', computeNodes: '[]' }));
    await writer.write(record(T + 30_000, { backends: '["b1","b2"]' }));
    expect(await clusterNodesRow(storage.db, cluster.id)).toEqual({
      cluster_id: cluster.id,
      frontends: '["f1"]',
      frontends_at: T,
      backends: '["b1","b2"]',
      backends_at: T + 30_000,
      compute_nodes: '[]',
      compute_nodes_at: T,
    });
  });

  it('writes the row and the lists together or not at all', async () => {
    const { storage, cluster, record, writer } = await setUp(dialect);
    for (const statement of REFUSE_LISTS[storage.dialect.name]) await statement.execute(storage.db);
    await expect(writer.write(record(T, { backends: '["b1"]' }))).rejects.toThrow(/no room for lists/);
    expect(await latestSnapshotRow(storage.db, cluster.id)).toBeUndefined();
  });

  it('waits for a transaction the query builder has open instead of joining it', async () => {
    const { storage, cluster, record, writer } = await setUp(dialect);
    const pending: { write?: Promise<boolean> } = {};
    await storage.db
      .transaction()
      .execute(async (trx) => {
        await trx.updateTable('clusters').set({ description: 'changed' }).where('id', '=', cluster.id).execute();
        pending.write = writer.write(record(T));
        // Let the write run if it could: it must not slip into this transaction.
        await new Promise((resolve) => setTimeout(resolve, 20));
        throw new Error('roll back');
      })
      .catch(() => undefined);
    expect(await pending.write).toBe(true);
    expect((await latestSnapshotRow(storage.db, cluster.id))?.collected_at).toBe(T);
    expect((await storage.db.selectFrom('clusters').select('description').executeTakeFirst())?.description).toBe('');
  });
});
