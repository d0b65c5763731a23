/**
 * Gathering closed hours of raw snapshots by cluster: values unchanged, one cluster's hour laid
 * out together in time order, only closed hours, each once, resumed after a restart, nothing
 * older than retention, and an abort between two clusters.
 */
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { DIALECTS } from '../../test/helpers/dialects.js';
import { clusterFields, randomSecretBox } from '../../test/helpers/factories.js';
import { writeSnapshots } from '../../test/helpers/write-snapshots.js';
import { ClusterRegistry } from '../registry/cluster-registry.js';
import { SNAPSHOT_FIELDS } from '../shared/snapshot-fields.js';
import type { Storage } from '../storage/dialect/dialect.js';
import { migrateToLatest } from '../storage/migrate.js';
import { getMeta } from '../storage/repos/meta.repo.js';
import { GATHER_AFTER_MS, GATHER_BATCH, GATHER_HOUR_MS, gatherClosedHours, GATHERED_UNTIL_KEY, nextGatheringAt } from './raw-gathering.js';

const HOUR = GATHER_HOUR_MS;
const T0 = Date.UTC(2026, 11, 1, 8);
const STEP = 5 * 60_000;

let storage: Storage | null = null;
afterEach(async () => {
  await storage?.close();
  storage = null;
});

describe('nextGatheringAt', () => {
  it('is the end of the next hour plus the wait for its last collections', () => {
    expect(nextGatheringAt(T0 + 30 * 60_000)).toBe(T0 + HOUR + GATHER_AFTER_MS);
    // Before the wait after 08:00 is over, 07:00–08:00 is still the next hour.
    expect(nextGatheringAt(T0 + 5 * 60_000)).toBe(T0 + GATHER_AFTER_MS);
  });
});

describe.each(DIALECTS)('raw row gathering on $name', (dialect) => {
  /** Three clusters written as the collector writes them: every cluster at one instant, then the next, over `hours` hours from T0. */
  async function setUp(hours: number) {
    storage = await dialect.open();
    await migrateToLatest(storage);
    const registry = new ClusterRegistry({ db: storage.db, dialect: storage.dialect, secrets: randomSecretBox(), now: () => T0 });
    const ids: number[] = [];
    for (let i = 0; i < 3; i += 1) ids.push((await registry.create(clusterFields({ name: `c${i}` }))).id);
    for (let at = T0; at < T0 + hours * HOUR; at += STEP) {
      await writeSnapshots(
        storage,
        ids.map((id, i) => ({ cluster_id: id, collected_at: at, collect_status: at % (3 * STEP) === 0 ? 'partial' : 'ok', qps: id * 1000 + (at - T0) / STEP + 0.5, fe_leader: `fe-${i}`, queries: at / 1000 })),
      );
    }
    const writer = storage.snapshotWriter(SNAPSHOT_FIELDS);
    const gather = writer.gatherRawRows;
    return { storage, ids, gather };
  }

  /** Every stored row and its id, by (cluster, instant). */
  async function rows(s: Storage) {
    const all = await sql<Record<string, unknown>>`select * from metrics_snapshots order by cluster_id, collected_at`.execute(s.db);
    return all.rows;
  }
  const withoutIds = (list: readonly Record<string, unknown>[]) => list.map(({ id: _id, ...rest }) => rest);
  const tiers = async (s: Storage) => (await sql`select * from metrics_5m order by cluster_id, bucket_start`.execute(s.db)).rows;

  it('lays a cluster’s hour out together in time order, every value unchanged', async () => {
    const { storage, ids, gather } = await setUp(2);
    if (gather === undefined) return expect(dialect.name).not.toMatch(/sqlite/);
    const before = await rows(storage);
    const tiersBefore = await tiers(storage);
    const moved = await gather([ids[1]!], T0, T0 + HOUR);
    expect(moved).toBe(HOUR / STEP);
    const after = await rows(storage);
    expect(withoutIds(after)).toEqual(withoutIds(before));
    expect(await tiers(storage)).toEqual(tiersBefore);
    const maxOther = Math.max(...after.filter((r) => !(r.cluster_id === ids[1] && (r.collected_at as number) < T0 + HOUR)).map((r) => r.id as number));
    const gathered = after.filter((r) => r.cluster_id === ids[1] && (r.collected_at as number) < T0 + HOUR).map((r) => r.id as number);
    // Consecutive ids after every other row's, in time order: the table's last pages, side by side.
    expect(gathered).toEqual(gathered.map((_, k) => maxOther + 1 + k));
    // The rows not gathered kept their ids.
    const untouched = (list: readonly Record<string, unknown>[]) => list.filter((r) => !(r.cluster_id === ids[1] && (r.collected_at as number) < T0 + HOUR)).map((r) => r.id);
    expect(untouched(after)).toEqual(untouched(before));
    // A second instant at the same cluster and time is still refused.
    expect(await writeSnapshots(storage, [{ cluster_id: ids[1]!, collected_at: T0 }])).toEqual([false]);
    // Several clusters in one go: each one's rows together, in time order, the clusters in id order.
    expect(await gather([ids[2]!, ids[0]!], T0 + HOUR, T0 + 2 * HOUR)).toBe(2 * (HOUR / STEP));
    const second = (await rows(storage)).filter((r) => r.cluster_id !== ids[1] && (r.collected_at as number) >= T0 + HOUR).sort((a, b) => (a.id as number) - (b.id as number));
    expect(second.map((r) => [r.cluster_id, r.collected_at])).toEqual([ids[0]!, ids[2]!].flatMap((id) => Array.from({ length: HOUR / STEP }, (_, k) => [id, T0 + HOUR + k * STEP])));
    expect(second.map((r) => r.id)).toEqual(second.map((_, k) => (second[0]!.id as number) + k));
  });

  it('gathers closed hours only, each once, and goes on from where it stopped', async () => {
    const { storage, ids, gather } = await setUp(3);
    if (gather === undefined) return expect(dialect.name).not.toMatch(/sqlite/);
    const deps = { db: storage.db, gather, clusterIds: () => Promise.resolve(ids), retentionDays: 7 };
    // 10:05: 08:00–09:00 is closed and settled; 09:00–10:00 waits for its last collections.
    const first = await gatherClosedHours(deps, T0 + 2 * HOUR + 5 * 60_000);
    expect(first).toEqual({ hours: 1, rows: 3 * (HOUR / STEP) });
    expect(await getMeta(storage.db, GATHERED_UNTIL_KEY)).toBe(String(T0 + HOUR));
    const idsOf = async (from: number, to: number) => (await rows(storage)).filter((r) => (r.collected_at as number) >= from && (r.collected_at as number) < to).map((r) => r.id);
    const laterIds = await idsOf(T0 + HOUR, T0 + 3 * HOUR);
    expect(await gatherClosedHours(deps, T0 + 2 * HOUR + 9 * 60_000)).toEqual({ hours: 0, rows: 0 });
    expect(await idsOf(T0 + HOUR, T0 + 3 * HOUR)).toEqual(laterIds);
    // A restarted process reads where gathering stopped: only 09:00–10:00 is next.
    const restarted = { ...deps, gather: storage.snapshotWriter(SNAPSHOT_FIELDS).gatherRawRows! };
    expect(await gatherClosedHours(restarted, T0 + 2 * HOUR + GATHER_AFTER_MS)).toEqual({ hours: 1, rows: 3 * (HOUR / STEP) });
    const hourOne = await idsOf(T0, T0 + HOUR);
    // Each cluster's hour is a run of consecutive ids.
    for (const id of ids) {
      const own = (await rows(storage)).filter((r) => r.cluster_id === id && (r.collected_at as number) >= T0 + HOUR && (r.collected_at as number) < T0 + 2 * HOUR).map((r) => r.id as number);
      expect(own).toEqual(own.map((_, k) => own[0]! + k));
    }
    expect(await idsOf(T0, T0 + HOUR)).toEqual(hourOne);
  });

  it('leaves hours past retention alone, and stops between two batches of clusters when aborted', async () => {
    const { storage, ids, gather } = await setUp(3);
    if (gather === undefined) return expect(dialect.name).not.toMatch(/sqlite/);
    const before = await rows(storage);
    const controller = new AbortController();
    const aborting = async (batch: readonly number[], from: number, to: number) => {
      controller.abort();
      return gather(batch, from, to);
    };
    // Two batches: the three clusters and clusters since deleted (nothing to gather of them).
    const clusterIds = () => Promise.resolve([...ids, ...Array.from({ length: GATHER_BATCH }, (_, k) => 1000 + k)]);
    const now = T0 + 3 * HOUR + GATHER_AFTER_MS;
    expect(await gatherClosedHours({ db: storage.db, gather: aborting, clusterIds, retentionDays: 7, signal: controller.signal }, now)).toEqual({ hours: 0, rows: 3 * (HOUR / STEP) });
    expect(await getMeta(storage.db, GATHERED_UNTIL_KEY)).toBeUndefined();
    // Retention of a day, 20 days later: every stored hour is past it, none is gathered.
    const late = now + 20 * 24 * HOUR;
    const touched = await rows(storage);
    expect(await gatherClosedHours({ db: storage.db, gather, clusterIds: () => Promise.resolve(ids), retentionDays: 1 }, late)).toEqual({ hours: 24, rows: 0 });
    expect(await rows(storage)).toEqual(touched);
    expect(withoutIds(touched)).toEqual(withoutIds(before));
  });
});
