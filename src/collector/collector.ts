/**
 * Collections for every registered cluster: a StarRocksClient per cluster (rebuilt when the
 * cluster is edited, closed when it is deleted), the counter memory between collections, and
 * one row per cluster per collection — a cluster that answered nothing still gets a row
 * saying so.
 */
import type { Logger } from 'pino';
import { type Config, DEFAULT_LIMITS, effectiveSources, type ScrapeLimits } from '../config/schema.js';
import type { Cluster } from '../registry/cluster.js';
import type { TargetPolicy } from '../security/allowed-targets.js';
import type { ClusterRegistry } from '../registry/cluster-registry.js';
import { type CollectStatus, type FieldCatalogue, SNAPSHOT_FIELDS, type SnapshotValues } from '../shared/snapshot-fields.js';
import type { Storage } from '../storage/dialect/dialect.js';
import type { SnapshotRecord, SnapshotWriter } from '../storage/snapshot-writer.js';
import { FencedWriteError } from '../storage/collection-lease-store.js';
import { clusterNotFound, StellarError, storageUnavailable } from '../errors.js';
import { StarRocksClient } from '../starrocks/starrocks-client.js';
import type { SourceFailure } from './raw-scrape.js';
import { effectiveIntervalMs, slotStartMs } from './schedule.js';
import { scrapeCluster, scrapeDeadlineMs, type ScrapeSources, scrapeSourcesFrom } from './scrape-cluster.js';
import { NO_LISTS_STORED, type NodeListsMemory, nodeListsToStore } from './node-list-changes.js';
import { buildSnapshot, type CounterMemory, EMPTY_MEMORY } from './snapshot-builder.js';
import { type CustomMetricSet, NO_CUSTOM_METRICS } from './custom-metric-set.js';
import { customValuesOf } from './custom-collection.js';
import { CustomCounterMemory } from './custom-metric-values.js';

export interface CollectorOptions extends ScrapeSources {
  /** Clusters collected at the same time. */
  readonly maxConcurrency: number;
  /** The global collection interval, when collections recur: connections are kept across it. */
  readonly intervalMs?: number;
  /** `[security] allowed_targets`; any host when absent. */
  readonly targets?: TargetPolicy;
  /** What is accepted from a cluster (`[limits]`); the defaults when absent. */
  readonly limits?: ScrapeLimits;
  /**
   * Collections recur on their slots (the scheduler's): each row stores its slot, and a second
   * row of a cluster for one slot is refused. Off for one-off collections (`stellar collect`).
   */
  readonly stampSlots?: boolean;
}

/** The collector's options as `[metrics]` and `[limits]` set them, with the hosts `[security] allowed_targets` allows. */
export function collectorOptionsFrom(metrics: Config['metrics'], limits: ScrapeLimits = DEFAULT_LIMITS, targets?: TargetPolicy): CollectorOptions {
  return { ...scrapeSourcesFrom(effectiveSources(metrics)), maxConcurrency: metrics.max_concurrency, intervalMs: metrics.interval_secs * 1000, limits, ...(targets ? { targets } : {}) };
}

/** Idle connections outlive the cluster's interval by this much, so the next cycle finds them open. */
const KEEP_ALIVE_MARGIN_MS = 15_000;

export interface CollectionResult {
  readonly clusterId: number;
  readonly clusterName: string;
  readonly collectedAt: number;
  readonly status: CollectStatus;
  readonly durationMs: number;
  readonly failures: readonly SourceFailure[];
  readonly values: SnapshotValues;
  readonly frontendsScraped: number;
  /** Bytes of the `/metrics` bodies that answered (FEs and BEs). */
  readonly metricsBytes: number;
  /** Samples parsed from them. */
  readonly metricsSeries: number;
  /** How long the database took to store the snapshot, ms. */
  readonly writeMs: number;
  /** Each custom metric in effect (collector/custom-metric-set.ts) by name: its value, null when the collection gave none. */
  readonly custom: Readonly<Record<string, number | null>>;
}

/** Told of every stored collection and every cluster let go of: Stellar's own /metrics keeps its per-cluster figures from it. */
export interface CollectionObserver {
  collected(result: CollectionResult): void;
  forgotten(clusterId: number): void;
}

interface ClusterState {
  client: StarRocksClient;
  /** The cluster's `updated_at` the client was built for. */
  version: number;
  memory: CounterMemory;
  /** The custom metrics' counters, as `memory` the built-in ones. */
  customMemory: CustomCounterMemory;
  lists: NodeListsMemory;
}

export class Collector {
  private readonly states = new Map<number, ClusterState>();
  private readonly writer: SnapshotWriter;

  constructor(
    private readonly deps: {
      readonly storage: Pick<Storage, 'snapshotWriter' | 'dialect'>;
      readonly registry: ClusterRegistry;
      readonly logger: Logger;
      readonly now: () => number;
      readonly options: CollectorOptions;
      /** The fields to build and store; the built-in catalogue unless a test adds one. */
      readonly fields?: FieldCatalogue;
      /** Told of each stored collection and each cluster let go of; none when absent. */
      readonly observer?: CollectionObserver;
      /** The custom metrics to compute and store with each snapshot, read at each collection; none when absent. */
      readonly customMetrics?: CustomMetricSet;
    },
  ) {
    this.writer = deps.storage.snapshotWriter(deps.fields ?? SNAPSHOT_FIELDS);
  }

  /** Collect the given clusters (all when omitted), at most `maxConcurrency` at a time. */
  async collectAll(only?: readonly number[], onProgress?: (done: number, total: number) => void): Promise<CollectionResult[]> {
    const registered = await this.deps.registry.list();
    await this.forgetRemoved(registered);
    const clusters = registered.filter((c) => only === undefined || only.includes(c.id));
    const results: CollectionResult[] = [];
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < clusters.length) {
        const cluster = clusters[next++];
        if (cluster) {
          try {
            results.push(await this.collect(cluster));
          } catch (err) {
            // Deleted since the list was read: nothing to collect, and the others go on.
            if (!(err instanceof StellarError && err.code === 'STELLAR_ERR_CLUSTER_NOT_FOUND')) throw err;
          }
        }
        onProgress?.(results.length, clusters.length);
      }
    };
    await Promise.all(Array.from({ length: Math.max(1, Math.min(this.deps.options.maxConcurrency, clusters.length)) }, worker));
    return results.sort((a, b) => a.clusterId - b.clusterId);
  }

  /** One collection of one cluster, stored; never throws for a cluster's own failures. */
  async collect(cluster: Cluster): Promise<CollectionResult> {
    const state = await this.stateOf(cluster);
    const { limits, targets } = this.deps.options;
    // A cluster with a sources list of its own asks those; the others follow [metrics] sources.
    const { scrapeFollowers, scrapeBackends, runtimeInfo } = cluster.sources === null ? this.deps.options : scrapeSourcesFrom(new Set(cluster.sources));
    const deadlineMs = scrapeDeadlineMs(cluster.connection_timeout);
    const customMetrics = (this.deps.customMetrics ?? NO_CUSTOM_METRICS).current();
    // Per-table families are asked for only while a custom metric reads one: the FE's page grows with every table.
    const tableMetrics = customMetrics.some((m) => m.table_metrics);
    const raw = await scrapeCluster(state.client, cluster, { scrapeFollowers, scrapeBackends, runtimeInfo, tableMetrics, limits, deadlineMs, now: this.deps.now, ...(targets ? { targets } : {}) });
    const built = buildSnapshot(raw, state.memory, this.deps.fields);
    const custom = customValuesOf(customMetrics, raw, built, state.customMemory);
    const nodes = nodeListsToStore(raw, state.lists);
    // The snapshot and the node lists it was built from are written together or not at all.
    const writeStarted = performance.now();
    const { intervalMs, stampSlots } = this.deps.options;
    const slotAt = stampSlots === true && intervalMs !== undefined ? slotStartMs(cluster.id, effectiveIntervalMs(intervalMs, cluster.collect_interval), raw.collectedAt) : null;
    await this.#store(cluster, {
      clusterId: cluster.id,
      collectedAt: raw.collectedAt,
      slotAt,
      status: built.status,
      durationMs: raw.durationMs,
      failedSources: JSON.stringify(custom.failures),
      frontendsScraped: raw.fes.length,
      values: built.values,
      customValues: custom.json,
      nodes: nodes.lists,
    });
    const writeMs = performance.now() - writeStarted;
    // Remembered only once stored: a failed write leaves the previous readings, so the next
    // collection's deltas cover both intervals instead of losing one.
    state.memory = built.memory;
    state.customMemory = custom.memory;
    state.lists = nodes.memory;
    if (built.status !== 'ok') {
      this.deps.logger.warn({ cluster: cluster.name, status: built.status, failures: custom.failures.map((f) => `${f.source}: ${f.kind}`) }, 'collection incomplete');
    }
    const result: CollectionResult = {
      clusterId: cluster.id,
      clusterName: cluster.name,
      collectedAt: raw.collectedAt,
      status: built.status,
      durationMs: raw.durationMs,
      failures: custom.failures,
      values: built.values,
      frontendsScraped: raw.fes.length,
      metricsBytes: raw.metricsBytes,
      metricsSeries: seriesOf(raw.fes) + seriesOf(raw.bes ?? []),
      writeMs,
      custom: custom.values,
    };
    this.deps.observer?.collected(result);
    return result;
  }

  /**
   * Writes the row. A cluster deleted while it was being collected has no parent row any more:
   * that is a normal event, not a failure, so its row is dropped with an info line and the
   * caller hears STELLAR_ERR_CLUSTER_NOT_FOUND (the scheduler then forgets the cluster). A
   * write the database cannot make (disk full) is STELLAR_ERR_STORAGE_UNAVAILABLE. Two refusals
   * are normal events between several instances, logged without a stack: a row for a slot that
   * already has one (another instance collected it), and a write whose lease has passed to
   * another instance (the fence: this one stops collecting the cluster).
   */
  async #store(cluster: Cluster, record: SnapshotRecord): Promise<void> {
    try {
      if (!(await this.writer.write(record)) && record.slotAt != null) {
        this.deps.logger.info({ cluster: cluster.name, cluster_id: cluster.id, slot_at: record.slotAt }, 'snapshot not stored: the cluster already has one for this slot (collected by another instance)');
      }
    } catch (err) {
      if (err instanceof FencedWriteError) {
        this.deps.logger.info({ cluster: cluster.name, cluster_id: cluster.id, reason: err.message }, 'snapshot not stored: the lease it was collected under has passed to another instance');
        return;
      }
      // A full disk fails every cluster's write alike: the storage tells it once (write-health.ts), not each collection.
      const fault = this.deps.storage.dialect.writeFault(err);
      if (fault !== null) throw storageUnavailable(fault);
      if (!this.deps.storage.dialect.isForeignKeyViolation(err)) throw err;
      this.deps.logger.info({ cluster: cluster.name, cluster_id: cluster.id }, 'cluster deleted during its collection; its snapshot is dropped');
      await this.forget(cluster.id);
      throw clusterNotFound(cluster.id);
    }
  }

  async close(): Promise<void> {
    await Promise.all([...this.states.values()].map((s) => s.client.close()));
    this.states.clear();
  }

  private async stateOf(cluster: Cluster): Promise<ClusterState> {
    const existing = this.states.get(cluster.id);
    if (existing && existing.version === cluster.updated_at) return existing;
    // An edited cluster gets a new client (its address or password may have changed); its pools close.
    if (existing) await existing.client.close();
    const connection = await this.deps.registry.connection(cluster.id);
    const interval = this.deps.options.intervalMs;
    const keepAliveMs = interval === undefined ? undefined : effectiveIntervalMs(interval, cluster.collect_interval) + KEEP_ALIVE_MARGIN_MS;
    const state: ClusterState = { client: new StarRocksClient(connection, { limits: this.deps.options.limits, ...(keepAliveMs === undefined ? {} : { keepAliveMs }) }), version: cluster.updated_at, memory: existing?.memory ?? EMPTY_MEMORY, customMemory: existing?.customMemory ?? new CustomCounterMemory(), lists: existing?.lists ?? NO_LISTS_STORED };
    this.states.set(cluster.id, state);
    return state;
  }

  /** A deleted cluster: its pools close and its counters are dropped. */
  async forget(clusterId: number): Promise<void> {
    const state = this.states.get(clusterId);
    this.states.delete(clusterId);
    this.deps.observer?.forgotten(clusterId);
    await state?.client.close();
  }

  private async forgetRemoved(clusters: readonly Cluster[]): Promise<void> {
    const present = new Set(clusters.map((c) => c.id));
    for (const id of [...this.states.keys()]) if (!present.has(id)) await this.forget(id);
  }
}

function seriesOf(nodes: readonly { readonly metrics: { readonly sampleCount: number } }[]): number {
  let series = 0;
  for (const node of nodes) series += node.metrics.sampleCount;
  return series;
}
