/**
 * Each cluster's last collection as /metrics reports it (up, status, duration, bytes and series
 * scraped, when), kept in columns of typed arrays indexed by a slot per cluster, and rendered as
 * Prometheus text here rather than through prom-client's labelled gauges: at a thousand
 * clusters those keep an object and a label hash per series, and rendering them took about
 * seven times the CPU (docs/BENCHMARKS.md, "Prometheus export").
 * The scheduler's figures (consecutive failures, lag) are read from its own state at render
 * time, not copied here.
 */
import type { CollectionObserver, CollectionResult } from '../../collector/collector.js';
import type { ClusterScheduleState } from '../../collector/scheduler.js';
import type { CollectStatus } from '../../shared/snapshot-fields.js';
import { clusterLabels, familyHeader, formatSampleValue, yieldAfterSlice } from './exposition.js';

/** What the scheduler knows of each cluster, as far as /metrics reports it; null when this process does not collect. */
export type ScheduleView = () => ReadonlyMap<number, ClusterScheduleState> | null;

const STATUSES: readonly CollectStatus[] = ['ok', 'partial', 'failed'];
const STATUS_CODE: Readonly<Record<CollectStatus, number>> = { ok: 0, partial: 1, failed: 2 };

/** The per-cluster families, with their help: the one list /metrics, its docs and the dashboard test read. */
export const CLUSTER_FAMILIES = {
  stellar_cluster_up: 'Whether the last collection reached the cluster (status ok or partial): 1, else 0',
  stellar_cluster_collection_status: 'The last collection\'s status: 1 for the status it had (ok, partial, failed), 0 for the others',
  stellar_cluster_collection_duration_seconds: 'How long the last collection took, from the first request to the last answer',
  stellar_cluster_last_collection_timestamp_seconds: 'When the last collection started, seconds since the epoch',
  stellar_cluster_scraped_bytes: 'Bytes of the /metrics bodies (FEs and BEs) the last collection read',
  stellar_cluster_scraped_series: 'Series (samples) parsed from those bodies',
  stellar_cluster_consecutive_failures: 'Failed collections in a row (backoff starts after the first)',
  stellar_cluster_collection_lag_seconds: 'How late the last collection started after its slot',
} as const;

const INITIAL_SLOTS = 64;

export class ClusterFigures implements CollectionObserver {
  readonly #slotOf = new Map<number, number>();
  #count = 0;
  #ids = new Float64Array(INITIAL_SLOTS);
  /** `cluster="…",cluster_id="…"`, escaped once per rename, not per render. */
  #labels: string[] = [];
  #names: string[] = [];
  #status = new Uint8Array(INITIAL_SLOTS);
  #durationSeconds = new Float64Array(INITIAL_SLOTS);
  #startedSeconds = new Float64Array(INITIAL_SLOTS);
  #bytes = new Float64Array(INITIAL_SLOTS);
  #series = new Float64Array(INITIAL_SLOTS);

  get size(): number {
    return this.#count;
  }

  collected(result: CollectionResult): void {
    const slot = this.#slotFor(result.clusterId);
    if (this.#names[slot] !== result.clusterName) {
      this.#names[slot] = result.clusterName;
      this.#labels[slot] = clusterLabels(result.clusterName, result.clusterId);
    }
    this.#status[slot] = STATUS_CODE[result.status];
    this.#durationSeconds[slot] = result.durationMs / 1000;
    this.#startedSeconds[slot] = result.collectedAt / 1000;
    this.#bytes[slot] = result.metricsBytes;
    this.#series[slot] = result.metricsSeries;
  }

  /** A deleted cluster: the last slot moves into its place, so the columns stay dense. */
  forgotten(clusterId: number): void {
    const slot = this.#slotOf.get(clusterId);
    if (slot === undefined) return;
    this.#slotOf.delete(clusterId);
    const last = this.#count - 1;
    if (slot !== last) {
      for (const column of [this.#ids, this.#status, this.#durationSeconds, this.#startedSeconds, this.#bytes, this.#series]) column[slot] = column[last] ?? 0;
      this.#labels[slot] = this.#labels[last] ?? '';
      this.#names[slot] = this.#names[last] ?? '';
      this.#slotOf.set(this.#ids[slot] ?? 0, slot);
    }
    this.#labels.length = last;
    this.#names.length = last;
    this.#count = last;
  }

  /**
   * The per-cluster families as Prometheus text. The columns are copied first (a few
   * kilobytes), so collections that land while the render yields change nothing under it.
   */
  async render(schedule: ScheduleView): Promise<string> {
    const n = this.#count;
    const ids = this.#ids.slice(0, n);
    const labels = this.#labels.slice(0, n);
    const status = this.#status.slice(0, n);
    const states = schedule();
    const parts: string[] = [];
    let slice = performance.now();
    const family = async (name: keyof typeof CLUSTER_FAMILIES, line: (slot: number) => string | null): Promise<void> => {
      let text = familyHeader(name, CLUSTER_FAMILIES[name], 'gauge');
      for (let slot = 0; slot < n; slot += 1) {
        const value = line(slot);
        if (value !== null) text += value;
      }
      parts.push(text);
      slice = await yieldAfterSlice(slice);
    };
    const gauge = (name: string, column: Float64Array) => (slot: number) => `${name}{${labels[slot]}} ${formatSampleValue(column[slot] ?? 0)}\n`;
    await family('stellar_cluster_up', (slot) => `stellar_cluster_up{${labels[slot]}} ${status[slot] === STATUS_CODE.failed ? 0 : 1}\n`);
    await family('stellar_cluster_collection_status', (slot) =>
      STATUSES.map((s) => `stellar_cluster_collection_status{${labels[slot]},status="${s}"} ${status[slot] === STATUS_CODE[s] ? 1 : 0}\n`).join(''),
    );
    await family('stellar_cluster_collection_duration_seconds', gauge('stellar_cluster_collection_duration_seconds', this.#durationSeconds.slice(0, n)));
    await family('stellar_cluster_last_collection_timestamp_seconds', gauge('stellar_cluster_last_collection_timestamp_seconds', this.#startedSeconds.slice(0, n)));
    await family('stellar_cluster_scraped_bytes', gauge('stellar_cluster_scraped_bytes', this.#bytes.slice(0, n)));
    await family('stellar_cluster_scraped_series', gauge('stellar_cluster_scraped_series', this.#series.slice(0, n)));
    if (states !== null) {
      const scheduled = (name: string, value: (state: { lagMs: number; consecutiveFailures: number }) => number) => (slot: number) => {
        const state = states.get(ids[slot] ?? 0);
        return state === undefined ? null : `${name}{${labels[slot]}} ${formatSampleValue(value(state))}\n`;
      };
      await family('stellar_cluster_consecutive_failures', scheduled('stellar_cluster_consecutive_failures', (s) => s.consecutiveFailures));
      await family('stellar_cluster_collection_lag_seconds', scheduled('stellar_cluster_collection_lag_seconds', (s) => s.lagMs / 1000));
    }
    return parts.join('');
  }

  #slotFor(clusterId: number): number {
    const known = this.#slotOf.get(clusterId);
    if (known !== undefined) return known;
    if (this.#count === this.#ids.length) this.#grow();
    const slot = this.#count;
    this.#count += 1;
    this.#slotOf.set(clusterId, slot);
    this.#ids[slot] = clusterId;
    return slot;
  }

  #grow(): void {
    const size = this.#ids.length * 2;
    const grown = <T extends Float64Array | Uint8Array>(column: T, make: (n: number) => T): T => {
      const next = make(size);
      next.set(column);
      return next;
    };
    const f64 = (n: number) => new Float64Array(n);
    this.#ids = grown(this.#ids, f64);
    this.#status = grown(this.#status, (n) => new Uint8Array(n));
    this.#durationSeconds = grown(this.#durationSeconds, f64);
    this.#startedSeconds = grown(this.#startedSeconds, f64);
    this.#bytes = grown(this.#bytes, f64);
    this.#series = grown(this.#series, f64);
  }
}
