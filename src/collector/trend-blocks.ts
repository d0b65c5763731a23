/**
 * Builds a trend block (storage/trend-block.ts) of each closed hour of each cluster's raw
 * snapshots, so a window's trends read a few packed values instead of thousands of wide rows.
 * An hour is built once its last collections have surely been written (as raw-gathering.ts
 * waits), oldest first, BLOCK_BATCH clusters at a time with the event loop free between two;
 * the hour up to which every cluster is done is kept in stellar_meta, with the fields the
 * blocks hold: when the trend fields change (an upgrade), every hour still within retention is
 * built again, and meanwhile the overview reads what an old block lacks from raw rows.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../storage/database.js';
import { getMeta, setMeta } from '../storage/repos/meta.repo.js';
import { clustersRowsBetween, oldestSnapshotAt } from '../storage/repos/snapshots.repo.js';
import { writeTrendBlocks } from '../storage/repos/trend-blocks.repo.js';
import { type BlockSample, encodeTrendBlock } from '../storage/trend-block.js';
import { nextTurn } from './job-runner.js';
import { GATHER_AFTER_MS, GATHER_HOUR_MS } from './raw-gathering.js';

const DAY_MS = 86_400_000;
/** Clusters per read and write: an hour of 16 clusters at 30 s is 1,920 rows, a few ms to read and pack. */
export const BLOCK_BATCH = 16;
/** stellar_meta: every closed hour before this instant has its blocks (an hour's start, ms)… */
export const BLOCKS_UNTIL_KEY = 'trend_blocks_until';
/** …holding these fields (JSON). */
export const BLOCK_FIELDS_KEY = 'trend_blocks_fields';

export interface TrendBlockDeps {
  /** Where blocks are written. */
  readonly db: Kysely<Database>;
  /** Where raw rows are read (`Storage.reader`: off the event loop where the engine allows it). */
  readonly reader: Kysely<Database>;
  /** The snapshot columns a block holds: the ones the overview's trends read. */
  readonly fields: readonly string[];
  readonly clusterIds: () => Promise<readonly number[]>;
  /** Raw snapshots' retention: an hour already deleted has nothing to pack. */
  readonly retentionDays: number;
  readonly signal?: AbortSignal;
}

/** Up to when (an hour's start, exclusive) every closed hour of every cluster is packed with at least `fields`; undefined before any is. */
export async function packedUntil(db: Kysely<Database>, fields: readonly string[]): Promise<number | undefined> {
  const rows = await db.selectFrom('stellar_meta').select(['key', 'value']).where('key', 'in', [BLOCKS_UNTIL_KEY, BLOCK_FIELDS_KEY]).execute();
  const meta = new Map(rows.map((r) => [r.key, r.value]));
  const held = JSON.parse(meta.get(BLOCK_FIELDS_KEY) ?? '[]') as string[];
  const until = meta.get(BLOCKS_UNTIL_KEY);
  return until !== undefined && fields.every((f) => held.includes(f)) ? Number(until) : undefined;
}

/** The latest hour (its start) whose blocks may be built at `now`, exclusive. */
export const blockableUntil = (now: number): number => Math.floor((now - GATHER_AFTER_MS) / GATHER_HOUR_MS) * GATHER_HOUR_MS;

/** When the next hour's blocks can be built, after a run at `now`. */
export const nextBlocksAt = (now: number): number => blockableUntil(now) + GATHER_HOUR_MS + GATHER_AFTER_MS;

/** A collection that reached the cluster, as the tiers' `reachable_samples` count it. */
const reached = (status: string | null): boolean => status === 'ok' || status === 'partial';

const numberOrNull = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));

/** Builds the blocks of every closed hour not built yet, oldest first; stops between two batches when aborted. Returns the hours done. */
export async function buildClosedHourBlocks(deps: TrendBlockDeps, now: number): Promise<{ hours: number; blocks: number }> {
  const until = blockableUntil(now);
  const layout = JSON.stringify(deps.fields);
  const sameLayout = (await getMeta(deps.db, BLOCK_FIELDS_KEY)) === layout;
  const stored = sameLayout ? await getMeta(deps.db, BLOCKS_UNTIL_KEY) : undefined;
  let hour = stored === undefined ? await firstHour(deps.db, until) : Number(stored);
  hour = Math.max(hour, Math.floor((now - deps.retentionDays * DAY_MS) / GATHER_HOUR_MS) * GATHER_HOUR_MS);
  if (!sameLayout) {
    // Readers take hours before BLOCKS_UNTIL_KEY as packed with BLOCK_FIELDS_KEY's fields: move it back first.
    await setMeta(deps.db, BLOCKS_UNTIL_KEY, String(hour));
    await setMeta(deps.db, BLOCK_FIELDS_KEY, layout);
  }
  let hours = 0;
  let blocks = 0;
  for (; hour < until; hour += GATHER_HOUR_MS) {
    const ids = await deps.clusterIds();
    for (let i = 0; i < ids.length; i += BLOCK_BATCH) {
      if (deps.signal?.aborted) return { hours, blocks };
      blocks += await buildBlocks(deps, ids.slice(i, i + BLOCK_BATCH), hour);
      await nextTurn();
    }
    await setMeta(deps.db, BLOCKS_UNTIL_KEY, String(hour + GATHER_HOUR_MS));
    hours += 1;
  }
  return { hours, blocks };
}

/** The blocks of one hour of the given clusters (none for a cluster without rows in it). */
async function buildBlocks(deps: TrendBlockDeps, clusterIds: readonly number[], hour: number): Promise<number> {
  const rows = await clustersRowsBetween(deps.reader, clusterIds, hour, hour + GATHER_HOUR_MS, deps.fields);
  const byCluster = new Map<number, BlockSample[]>();
  for (const row of rows) {
    const id = Number(row.cluster_id);
    let samples = byCluster.get(id);
    if (samples === undefined) byCluster.set(id, (samples = []));
    samples.push({ collectedAt: Number(row.collected_at), reachable: reached(row.collect_status), values: deps.fields.map((f) => numberOrNull(row[f])) });
  }
  const blocks = [...byCluster].map(([clusterId, samples]) => ({ cluster_id: clusterId, hour_start: hour, samples: samples.length, data: encodeTrendBlock(hour, deps.fields, samples) }));
  await writeTrendBlocks(deps.db, blocks);
  return blocks.length;
}

/** Where a database that has never built blocks starts: the hour of its oldest row, or `until` when it has none. */
async function firstHour(db: Kysely<Database>, until: number): Promise<number> {
  const oldest = await oldestSnapshotAt(db);
  return oldest === null ? until : Math.floor(oldest / GATHER_HOUR_MS) * GATHER_HOUR_MS;
}
