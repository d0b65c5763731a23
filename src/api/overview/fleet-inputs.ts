/**
 * What the fleet view reads from the database for every cluster — the registry's list, the
 * latest row's figures, the version from the frontends list, the QPS sparkline from the
 * 5-minute tier — kept between requests. At 1,000 clusters that read is tens of milliseconds of
 * SQLite on a read thread (26–33 ms for the sparklines alone), and a console on a wall screen,
 * or ten SREs' consoles, ask for the fleet every few seconds while the data changes only as
 * collections land.
 *
 * The kept inputs are used while they are exact — nothing was written through this process's
 * connection since they were read, and the sparkline's frame (its current 5-minute bucket) is
 * the same — or, under writes, while younger than FRESH_MS. Older, up to STALE_MS, they are
 * still answered while one read refreshes them in the background (stale-while-revalidate, as
 * HTTP caches do): a request never waits for the fleet's read unless the inputs are missing, of
 * another frame or past STALE_MS. A cluster created, changed or deleted through this process's
 * registry is seen at once (the registry's generation is part of the key). So the fleet is never
 * more than STALE_MS behind the database, and the health, staleness and collection state are
 * computed per request.
 */
import type { Cluster } from '../../registry/cluster.js';
import type { SnapshotRow } from '../../storage/repos/snapshots.repo.js';
import { latestSnapshotRows, type SnapshotColumn } from '../../storage/repos/snapshots.repo.js';
import { frontendListsOf } from '../../storage/repos/nodes.repo.js';
import { tierFieldOfClusters } from '../../storage/repos/tiers.repo.js';
import { bucketStart, TIERS } from '../../shared/tier-fields.js';
import type { OverviewStatus } from '../../shared/api/overview.js';
import { clusterVersion } from '../presenters/nodes.js';
import { parseFailedSources } from '../presenters/snapshot.js';
import type { HealthFigures } from './health-score.js';
import { collectStatusKindOf } from './latest-status.js';
import type { StoredDataDeps } from '../stored-data-deps.js';

/** Inputs younger than this are answered even when rows were written since. */
export const FRESH_MS = 2_000;
/** Inputs older than this are never answered: the request waits for a new read. */
export const STALE_MS = 10_000;

export const SPARKLINE_TIER = TIERS[0];
/** Buckets of the sparkline, the current one (still filling) last. */
export const SPARKLINE_BUCKETS = 24;

/** The key figures a card shows. */
export const FIGURES = [
  'qps',
  'query_latency_p99',
  'query_error_pct',
  'backend_alive',
  'backend_total',
  'compute_node_alive',
  'compute_node_total',
  'frontend_alive',
  'frontend_total',
  'avg_cpu_usage',
  'avg_memory_usage',
  'disk_usage_pct',
  'max_compaction_score',
  'jvm_heap_usage_pct',
] as const satisfies readonly SnapshotColumn[];

/** What the health rules and the cards read of the latest row. */
const LATEST_COLUMNS = [...FIGURES, 'collect_status', 'failed_sources', 'disk_max_usage_pct', 'queries'] as const satisfies readonly SnapshotColumn[];
type LatestRow = Pick<SnapshotRow, (typeof LATEST_COLUMNS)[number] | 'cluster_id' | 'collected_at'>;

/** The sparkline's first bucket: `SPARKLINE_BUCKETS − 1` before the current one. */
export const sparklineFirst = (now: number): number => bucketStart(SPARKLINE_TIER, now) - (SPARKLINE_BUCKETS - 1) * SPARKLINE_TIER.widthMs;

/** A cluster's latest row as the fleet reads it, worked out once per read of the inputs, not per request. */
export interface FleetLatest {
  /** What the health rules read (the failed sources parsed). */
  readonly health: HealthFigures;
  readonly collectStatus: OverviewStatus;
  /** The row's `collected_at` (epoch ms): the same row while it is the same. */
  readonly collectedAt: number;
  readonly lastCollectedAt: string;
  readonly figures: { readonly [F in (typeof FIGURES)[number]]: number | null };
}

function fleetLatest(row: LatestRow): FleetLatest {
  return {
    health: { ...(row as SnapshotRow), failed_sources: parseFailedSources(row.failed_sources) },
    collectStatus: collectStatusKindOf(row),
    collectedAt: Number(row.collected_at),
    lastCollectedAt: new Date(row.collected_at).toISOString(),
    figures: Object.fromEntries(FIGURES.map((f) => [f, row[f] ?? null])) as FleetLatest['figures'],
  };
}

export interface FleetInputs {
  /** Every registered cluster, in the registry's order. */
  readonly clusters: readonly Cluster[];
  /** The sparklines' first bucket (`sparklineFirst` of the clock when read). */
  readonly frame: number;
  /**
   * A cluster's latest row, the same object from read to read while that row is still its
   * latest, as its sparkline is while its values are unchanged: what is derived from them (the
   * entry's JSON, its health) is kept with them, so a read after a collection of a few
   * clusters costs a few clusters' work, not the fleet's.
   */
  readonly latest: ReadonlyMap<number, FleetLatest>;
  readonly versions: ReadonlyMap<number, string | null>;
  /** Per cluster, SPARKLINE_BUCKETS mean QPS values from `frame` on; absent for a cluster without tier rows. */
  readonly sparklines: ReadonlyMap<number, readonly (number | null)[]>;
  /** The same object for every read of one FleetInputsCache: a key for what is kept from read to read. */
  readonly lineage: object;
}

interface Kept {
  readonly inputs: FleetInputs;
  /** The registry's generation when the read started. */
  readonly generation: number;
  /** `changeCount()` and the monotonic clock when the read started. */
  readonly changes: number;
  readonly readAt: number;
}

/**
 * Sparkline buckets read again when the frame is the one already kept: the current bucket and
 * the one before, where a collection that started before the boundary lands. An older bucket
 * changes only by a late write (a back-fill), seen at the next frame, within five minutes.
 */
const REREAD_BUCKETS = 2;

const sameLine = (a: readonly (number | null)[], b: readonly (number | null)[]): boolean => a.every((v, i) => v === b[i]);

async function readInputs(deps: StoredDataDeps, frame: number, lineage: object, previous: FleetInputs | undefined): Promise<FleetInputs> {
  const clusters = await deps.registry.list();
  const ids = clusters.map((c) => c.id);
  // Within a frame the buckets before the last two are as kept: only those are read again.
  const kept = previous?.frame === frame ? previous : undefined;
  const firstRead = kept === undefined ? 0 : SPARKLINE_BUCKETS - REREAD_BUCKETS;
  const [latestRows, nodeRows, qpsRows] = await Promise.all([
    latestSnapshotRows(deps.db, ids, LATEST_COLUMNS),
    frontendListsOf(deps.db, ids),
    tierFieldOfClusters(deps.db, SPARKLINE_TIER.table, ids, frame + firstRead * SPARKLINE_TIER.widthMs, 'qps'),
  ]);
  const lines = new Map<number, (number | null)[]>();
  for (const row of qpsRows) {
    const index = (Number(row.bucket_start) - frame) / SPARKLINE_TIER.widthMs;
    if (index < firstRead || index >= SPARKLINE_BUCKETS || row.n === null || row.n <= 0 || row.sum === null) continue;
    let line = lines.get(row.cluster_id);
    if (line === undefined) lines.set(row.cluster_id, (line = [...(kept?.sparklines.get(row.cluster_id)?.slice(0, firstRead) ?? new Array<number | null>(firstRead).fill(null)), ...new Array<number | null>(SPARKLINE_BUCKETS - firstRead).fill(null)]));
    line[index] = row.sum / row.n;
  }
  const sparklines = new Map<number, readonly (number | null)[]>();
  for (const id of ids) {
    const before = kept?.sparklines.get(id);
    let line: readonly (number | null)[] | undefined = lines.get(id);
    // A cluster whose last buckets have no rows keeps its older values, with the last two empty.
    if (line === undefined && before !== undefined && before.slice(0, firstRead).some((v) => v !== null)) line = [...before.slice(0, firstRead), ...new Array<number | null>(SPARKLINE_BUCKETS - firstRead).fill(null)];
    if (line === undefined) continue;
    sparklines.set(id, before !== undefined && sameLine(line, before) ? before : line);
  }
  const latest = new Map<number, FleetLatest>();
  for (const row of latestRows) {
    const before = previous?.latest.get(row.cluster_id);
    latest.set(row.cluster_id, before !== undefined && before.collectedAt === Number(row.collected_at) ? before : fleetLatest(row));
  }
  return { clusters, frame, latest, versions: new Map(nodeRows.map((r) => [r.cluster_id, clusterVersion(r)])), sparklines, lineage };
}

/** The fleet's inputs for the registry's clusters, kept and refreshed as described above. */
export class FleetInputsCache {
  private kept: Kept | null = null;
  private refreshing: Promise<Kept> | null = null;
  private readonly lineage = {};

  constructor(
    private readonly deps: StoredDataDeps,
    /** The monotonic clock the inputs' age is measured on (not the data's clock, which a test may hold still). */
    private readonly monotonic: () => number = () => performance.now(),
  ) {}

  async get(now: number): Promise<FleetInputs> {
    const frame = sparklineFirst(now);
    const generation = this.deps.registry.generation;
    const kept = this.kept;
    if (kept !== null && kept.generation === generation && kept.inputs.frame === frame) {
      const age = this.monotonic() - kept.readAt;
      if (kept.changes === this.deps.changeCount() || age < FRESH_MS) return kept.inputs;
      if (age < STALE_MS) {
        void this.refresh(generation, frame).catch(() => undefined);
        return kept.inputs;
      }
    }
    return (await this.refresh(generation, frame)).inputs;
  }

  /** One read at a time; a request that needs it while it runs waits for that read, if it is of the same registry and frame. */
  private refresh(generation: number, frame: number): Promise<Kept> {
    const running = this.refreshing;
    if (running !== null) return running.then((k) => (k.generation === generation && k.inputs.frame === frame ? k : this.refresh(generation, frame)));
    const changes = this.deps.changeCount();
    const readAt = this.monotonic();
    const read = readInputs(this.deps, frame, this.lineage, this.kept?.inputs)
      .then((inputs) => {
        const next: Kept = { inputs, generation, changes, readAt };
        // A slower read that started earlier never replaces a newer one.
        if (this.kept === null || this.kept.readAt <= readAt) this.kept = next;
        return next;
      })
      .finally(() => {
        this.refreshing = null;
      });
    this.refreshing = read;
    return read;
  }
}
