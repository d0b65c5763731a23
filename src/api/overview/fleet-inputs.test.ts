/**
 * The fleet's kept inputs: exact while nothing was written, kept a short while under writes,
 * refreshed in the background past that, and never answered older than STALE_MS, of another
 * sparkline frame or after the registry changed.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/helpers/test-app.js';
import { clusterFields } from '../../../test/helpers/factories.js';
import { writeSnapshots } from '../../../test/helpers/write-snapshots.js';
import type { StoredDataDeps } from '../stored-data-deps.js';
import { FleetInputsCache, FRESH_MS, STALE_MS } from './fleet-inputs.js';
import { ClusterRegistry } from '../../registry/cluster-registry.js';

const NOW = Date.UTC(2026, 10, 24, 12, 1, 0);
let t: TestApp;
let monotonic = 0;
let cache: FleetInputsCache;
let ids: number[];
let registry: ClusterRegistry;

beforeEach(async () => {
  t = await createTestApp();
  registry = new ClusterRegistry({ db: t.storage.db, dialect: t.storage.dialect, secrets: t.secrets, now: () => NOW });
  ids = [(await registry.create(clusterFields())).id, (await registry.create(clusterFields())).id];
  monotonic = 0;
  const deps = { db: t.storage.reader, changeCount: () => t.storage.changeCount(), registry } as unknown as StoredDataDeps;
  cache = new FleetInputsCache(deps, () => monotonic);
});
afterEach(async () => {
  await t.close();
});

const write = (clusterId: number, at: number, qps: number) => writeSnapshots(t.storage, [{ cluster_id: clusterId, collected_at: at, qps }]);
const qpsOf = async (now = NOW) => (await cache.get(now)).latest.get(ids[0] as number)?.figures.qps ?? null;
/** Lets a background refresh (a read on a read thread) finish. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 200));

describe('FleetInputsCache', () => {
  it('keeps its read while nothing is written, however old', async () => {
    await write(ids[0] as number, NOW - 30_000, 10);
    const first = await cache.get(NOW);
    monotonic += 10 * STALE_MS;
    expect(await cache.get(NOW)).toBe(first);
  });

  it('keeps its read for FRESH_MS under writes, then answers it once more while it reads again', async () => {
    await write(ids[0] as number, NOW - 30_000, 10);
    expect(await qpsOf()).toBe(10);
    await write(ids[0] as number, NOW - 1_000, 20);
    // Within FRESH_MS of the read, the kept read is answered although a row was written.
    monotonic += FRESH_MS / 2;
    expect(await qpsOf()).toBe(10);
    // Past it (and before STALE_MS) the kept read is still answered once, while the new read runs.
    monotonic += FRESH_MS;
    expect(await qpsOf()).toBe(10);
    await settle();
    expect(await qpsOf()).toBe(20);
  });

  it('never answers a read older than STALE_MS when rows were written since', async () => {
    await write(ids[0] as number, NOW - 30_000, 10);
    expect(await qpsOf()).toBe(10);
    await write(ids[0] as number, NOW - 1_000, 30);
    monotonic += STALE_MS + 1;
    expect(await qpsOf()).toBe(30);
  });

  it('reads again for another sparkline frame, or once a cluster was added or deleted', async () => {
    await write(ids[0] as number, NOW - 30_000, 10);
    const first = await cache.get(NOW);
    const nextFrame = await cache.get(NOW + 5 * 60_000);
    expect(nextFrame).not.toBe(first);
    expect(nextFrame.frame - first.frame).toBe(5 * 60_000);
    const added = await registry.create(clusterFields());
    expect((await cache.get(NOW + 5 * 60_000)).clusters.map((c) => c.id)).toEqual([...ids, added.id]);
    await registry.delete(ids[0] as number);
    const after = await cache.get(NOW + 5 * 60_000);
    expect(after.clusters.map((c) => c.id)).toEqual([ids[1], added.id]);
    expect(after.latest.has(ids[0] as number)).toBe(false);
  });

  it('gives the sparkline the 5-minute buckets’ mean QPS, null where a bucket has no value', async () => {
    await write(ids[0] as number, NOW - 30_000, 10);
    await write(ids[0] as number, NOW - 10_000, 30);
    const inputs = await cache.get(NOW);
    const line = inputs.sparklines.get(ids[0] as number);
    expect(line?.at(-1)).toBe(20);
    expect(line?.slice(0, -1).every((v) => v === null)).toBe(true);
    expect(inputs.sparklines.has(ids[1] as number)).toBe(false);
  });
});

describe('FleetInputsCache, a read after writes', () => {
  it('keeps the latest row and sparkline of a cluster not collected since as the same objects, and reads the others anew', async () => {
    await write(ids[0] as number, NOW - 30_000, 10);
    await write(ids[1] as number, NOW - 30_000, 5);
    const first = await cache.get(NOW);
    await write(ids[0] as number, NOW - 10_000, 30);
    monotonic += STALE_MS + 1;
    const next = await cache.get(NOW);
    expect(next).not.toBe(first);
    expect(next.latest.get(ids[1] as number)).toBe(first.latest.get(ids[1] as number));
    expect(next.sparklines.get(ids[1] as number)).toBe(first.sparklines.get(ids[1] as number));
    expect(next.latest.get(ids[0] as number)?.figures.qps).toBe(30);
    expect(next.sparklines.get(ids[0] as number)?.at(-1)).toBe(20);
  });

  it('within a frame reads again only its last two buckets, keeping the older ones; a new frame reads them all', async () => {
    // 11:40 (the sparkline's 20th bucket of 24 at 12:01) and 11:56 (its 23rd).
    await write(ids[0] as number, NOW - 21 * 60_000, 40);
    await write(ids[0] as number, NOW - 5 * 60_000, 8);
    const first = await cache.get(NOW);
    expect(first.sparklines.get(ids[0] as number)?.slice(19)).toEqual([40, null, null, 8, null]);
    await write(ids[0] as number, NOW - 20 * 60_000, 60);
    await write(ids[0] as number, NOW - 4 * 60_000, 16);
    await write(ids[0] as number, NOW - 30_000, 2);
    monotonic += STALE_MS + 1;
    // A late row in an older bucket waits for the next frame; the last two buckets are read again.
    expect((await cache.get(NOW)).sparklines.get(ids[0] as number)?.slice(19)).toEqual([40, null, null, 12, 2]);
    const nextFrame = await cache.get(NOW + 5 * 60_000);
    expect(nextFrame.sparklines.get(ids[0] as number)?.slice(18)).toEqual([50, null, null, 12, 2, null]);
  });
});
