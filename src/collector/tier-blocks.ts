/**
 * Builds a tier block (storage/trend-block.ts) of each closed UTC day of each cluster's 5-minute
 * and hourly buckets, so a month's trends read thirty packed values instead of 720 rows of a
 * hundred and forty columns. As the raw trend blocks (trend-blocks.ts): a day is built once its
 * last collections have surely been written (as raw-gathering.ts waits), oldest first,
 * BLOCK_BATCH clusters at a time with the event loop free between two; per tier, the day up to
 * which every cluster is done is kept in stellar_meta with the columns the blocks hold, and
 * when those change (an upgrade) every day still within the tier's retention is built again.
 * Nothing is built while an upgrade's back-fill is still adding old snapshots to the tiers: a
 * day built before it ends would lack them, and would never be built again.
 */
import type { Kysely } from 'kysely';
import { type Tier, type TierName, TIERS } from '../shared/tier-fields.js';
import type { Database } from '../storage/database.js';
import { getMeta, setMeta } from '../storage/repos/meta.repo.js';
import { writeTierBlocks } from '../storage/repos/tier-blocks.repo.js';
import { clustersTierRowsBetween, firstBucketAtOrAfter, pendingTierBackfills } from '../storage/repos/tiers.repo.js';
import { type BlockSample, encodeTrendBlock } from '../storage/trend-block.js';
import { nextTurn } from './job-runner.js';
import { GATHER_AFTER_MS } from './raw-gathering.js';
import { BLOCK_BATCH } from './trend-blocks.js';

const DAY_MS = 86_400_000;

/** stellar_meta: every closed day of the tier before this instant has its blocks (a UTC midnight, ms)… */
export const tierBlocksUntilKey = (tier: TierName): string => `tier_blocks_until:${tier}`;
/** …holding these columns (JSON). */
export const tierBlocksColumnsKey = (tier: TierName): string => `tier_blocks_columns:${tier}`;

export interface TierBlockDeps {
  /** Where blocks are written. */
  readonly db: Kysely<Database>;
  /** Where tier rows are read (`Storage.reader`: off the event loop where the engine allows it). */
  readonly reader: Kysely<Database>;
  /** The tier columns a block holds, in order: the ones the overview's trends read (`samples` and `reachable_samples` among them). */
  readonly columns: readonly string[];
  readonly clusterIds: () => Promise<readonly number[]>;
  /** Each tier's retention (`retention_5m_days`, `retention_1h_days`): a day already deleted has nothing to pack. */
  readonly retentionDays: Readonly<Record<TierName, number>>;
  readonly signal?: AbortSignal;
}

export interface TierBlocksDone {
  /** Days built, over both tiers (a day of each counts twice). */
  readonly days: number;
  readonly blocks: number;
  /** Nothing was built because an upgrade's back-fill is still filling the tiers. */
  readonly backfilling: boolean;
}

/** Up to when (a UTC midnight, exclusive) every closed day of the tier is packed for every cluster, with exactly `columns`; undefined before any is, or when the blocks hold other columns. */
export async function tierBlocksUntil(db: Kysely<Database>, tier: TierName, columns: readonly string[]): Promise<number | undefined> {
  const rows = await db.selectFrom('stellar_meta').select(['key', 'value']).where('key', 'in', [tierBlocksUntilKey(tier), tierBlocksColumnsKey(tier)]).execute();
  const meta = new Map(rows.map((r) => [r.key, r.value]));
  const until = meta.get(tierBlocksUntilKey(tier));
  return until !== undefined && meta.get(tierBlocksColumnsKey(tier)) === JSON.stringify(columns) ? Number(until) : undefined;
}

/** The latest day (its start) whose blocks may be built at `now`, exclusive. */
export const tierBlockableUntil = (now: number): number => Math.floor((now - GATHER_AFTER_MS) / DAY_MS) * DAY_MS;

/** When the next day's blocks can be built, after a run at `now`. */
export const nextTierBlocksAt = (now: number): number => tierBlockableUntil(now) + DAY_MS + GATHER_AFTER_MS;

const numberOrNull = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));

/** Builds the blocks of every closed day of each tier not built yet, oldest first; stops between two batches when aborted. */
export async function buildClosedDayTierBlocks(deps: TierBlockDeps, now: number): Promise<TierBlocksDone> {
  if ((await pendingTierBackfills(deps.db)).length > 0) return { days: 0, blocks: 0, backfilling: true };
  let days = 0;
  let blocks = 0;
  for (const tier of TIERS) {
    const done = await buildTier(deps, tier, now);
    days += done.days;
    blocks += done.blocks;
  }
  return { days, blocks, backfilling: false };
}

async function buildTier(deps: TierBlockDeps, tier: Tier, now: number): Promise<{ days: number; blocks: number }> {
  const until = tierBlockableUntil(now);
  const retentionStart = Math.floor((now - deps.retentionDays[tier.name] * DAY_MS) / DAY_MS) * DAY_MS;
  const untilKey = tierBlocksUntilKey(tier.name);
  const layout = JSON.stringify(deps.columns);
  const sameLayout = (await getMeta(deps.db, tierBlocksColumnsKey(tier.name))) === layout;
  const stored = sameLayout ? await getMeta(deps.db, untilKey) : undefined;
  let day = Math.max(stored === undefined ? await firstDay(deps, tier, retentionStart, until) : Number(stored), retentionStart);
  if (!sameLayout) {
    // Readers take days before the until key as packed with the columns key's columns: move it back first.
    await setMeta(deps.db, untilKey, String(day));
    await setMeta(deps.db, tierBlocksColumnsKey(tier.name), layout);
  }
  let days = 0;
  let blocks = 0;
  for (; day < until; day += DAY_MS) {
    const ids = await deps.clusterIds();
    for (let i = 0; i < ids.length; i += BLOCK_BATCH) {
      if (deps.signal?.aborted) return { days, blocks };
      blocks += await buildBlocks(deps, tier, ids.slice(i, i + BLOCK_BATCH), day);
      await nextTurn();
    }
    await setMeta(deps.db, untilKey, String(day + DAY_MS));
    days += 1;
  }
  return { days, blocks };
}

/** The blocks of one day of one tier of the given clusters (none for a cluster without buckets in it). */
async function buildBlocks(deps: TierBlockDeps, tier: Tier, clusterIds: readonly number[], day: number): Promise<number> {
  const rows = await clustersTierRowsBetween(deps.reader, tier.table, clusterIds, day, day + DAY_MS, deps.columns);
  const byCluster = new Map<number, BlockSample[]>();
  for (const row of rows) {
    const id = Number(row.cluster_id);
    let samples = byCluster.get(id);
    if (samples === undefined) byCluster.set(id, (samples = []));
    // A bucket is a sample at its start; `reachable` is a raw snapshot's, a tier row counts it in `reachable_samples`.
    samples.push({ collectedAt: Number(row.bucket_start), reachable: false, values: deps.columns.map((c) => numberOrNull(row[c])) });
  }
  const blocks = [...byCluster].map(([clusterId, samples]) => ({ cluster_id: clusterId, tier: tier.name, day_start: day, buckets: samples.length, data: encodeTrendBlock(day, deps.columns, samples, DAY_MS) }));
  await writeTierBlocks(deps.db, blocks);
  return blocks.length;
}

/**
 * Where a tier that has never been packed with these columns starts: the day of its oldest
 * bucket from `from` on (each cluster's found by its key, where the oldest of all would scan the
 * table), or `until` when it has none.
 */
async function firstDay(deps: TierBlockDeps, tier: Tier, from: number, until: number): Promise<number> {
  let oldest: number | null = null;
  for (const id of await deps.clusterIds()) {
    const at = await firstBucketAtOrAfter(deps.reader, tier.table, id, from);
    if (at !== null && (oldest === null || at < oldest)) oldest = at;
  }
  return oldest === null ? until : Math.floor(oldest / DAY_MS) * DAY_MS;
}
