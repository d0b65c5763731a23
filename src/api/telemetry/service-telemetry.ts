/**
 * Stellar's own metrics, served at GET /metrics: a prom-client Registry of its own (never the
 * global one, so nothing else in the process adds to it) with the Node process figures, HTTP
 * latency by route, the collector's figures and the database's write latency and size; and the
 * per-cluster families from ClusterFigures, rendered beside them. The collector tells it of
 * each stored collection (CollectionObserver); the app's onResponse hook of each request.
 */
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { Kysely } from 'kysely';
import type { CollectionObserver, CollectionResult } from '../../collector/collector.js';
import type { ClusterScheduleState } from '../../collector/scheduler.js';
import { isLateStart } from '../../shared/collection-lag.js';
import { COLLECT_STATUSES } from '../../shared/snapshot-fields.js';
import type { Database } from '../../storage/database.js';
import type { StorageDialect } from '../../storage/dialect/dialect.js';
import { ClusterFigures, type ScheduleView } from './cluster-figures.js';

/** Seconds: from a fast local collection or write to one near a cluster's timeout. */
const COLLECTION_BUCKETS = [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
const WRITE_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1];
const HTTP_BUCKETS = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10];

/** The route label of a request Fastify routed nowhere: one series for every unknown URL, not one each. */
export const UNMATCHED_ROUTE = 'unmatched';

export interface TelemetryDeps {
  readonly db: Kysely<Database>;
  readonly dialect: Pick<StorageDialect, 'databaseBytes'>;
  /** The scheduler's view; null when this process does not collect (now). */
  readonly schedule: ScheduleView;
  /** `[metrics] max_concurrency` (how full the collection slots are is running ÷ this); absent when this process does not collect. */
  readonly maxConcurrency?: () => number;
}

export class ServiceTelemetry implements CollectionObserver {
  readonly registry = new Registry();
  readonly clusters = new ClusterFigures();
  readonly #http: Histogram<'method' | 'route' | 'status_code'>;
  readonly #collections: Counter<'status'>;
  readonly #collectionSeconds: Histogram;
  readonly #writeSeconds: Histogram;
  readonly #alertEvaluations: Counter;
  readonly #notificationFailures: Counter<'channel'>;

  constructor(private readonly deps: TelemetryDeps) {
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry });
    this.#http = new Histogram({ name: 'stellar_http_request_duration_seconds', help: 'HTTP requests by route pattern (not the raw URL), method and status: time from arrival to the last byte sent', labelNames: ['method', 'route', 'status_code'], buckets: HTTP_BUCKETS, registers });
    this.#collections = new Counter({ name: 'stellar_collector_collections_total', help: 'Collections stored, by the status they had (ok, partial, failed)', labelNames: ['status'], registers });
    for (const status of COLLECT_STATUSES) this.#collections.inc({ status }, 0);
    this.#collectionSeconds = new Histogram({ name: 'stellar_collector_collection_duration_seconds', help: 'How long each collection took, every cluster together', buckets: COLLECTION_BUCKETS, registers });
    this.#writeSeconds = new Histogram({ name: 'stellar_database_write_duration_seconds', help: 'How long the database took to store a collection (its snapshot, tier buckets and node lists, in one transaction)', buckets: WRITE_BUCKETS, registers });
    this.#alertEvaluations = new Counter({ name: 'stellar_alert_evaluations_total', help: 'Alert rules evaluated: one per rule and cluster after each stored collection (docs/alerts.md)', registers });
    this.#notificationFailures = new Counter({ name: 'stellar_alert_notification_failures_total', help: 'Failed attempts to deliver alert notifications, by channel (alertmanager, webhook NAME, slack NAME); each is retried', labelNames: ['channel'], registers });
    const schedule = deps.schedule;
    new Gauge({
      name: 'stellar_collector_clusters',
      help: 'Clusters this process schedules for collection (0 while it stands by or collection is off)',
      registers,
      collect() {
        this.set(schedule()?.size ?? 0);
      },
    });
    new Gauge({
      name: 'stellar_collector_collections_running',
      help: 'Collections in flight now (at most stellar_collector_max_concurrency)',
      registers,
      collect() {
        this.set(countStates(schedule, (s) => s.running));
      },
    });
    new Gauge({
      name: 'stellar_collector_clusters_late',
      help: 'Clusters whose last collection started more than a quarter of their interval after its slot: collection is falling behind',
      registers,
      collect() {
        this.set(countStates(schedule, (s) => isLateStart(s.lagMs, s.intervalMs)));
      },
    });
    const maxConcurrency = deps.maxConcurrency;
    // Read at each scrape: a configuration reload may change it.
    if (maxConcurrency !== undefined) {
      new Gauge({
        name: 'stellar_collector_max_concurrency',
        help: 'Collections allowed at once ([metrics] max_concurrency)',
        registers,
        collect() {
          this.set(maxConcurrency());
        },
      });
    }
    const { db, dialect } = deps;
    new Gauge({
      name: 'stellar_database_size_bytes',
      help: 'Size of the database (SQLite: its pages, without the WAL file; PostgreSQL: pg_database_size); NaN when it cannot be read',
      registers,
      async collect() {
        try {
          this.set(await dialect.databaseBytes(db));
        } catch {
          // An unreachable database must not take /metrics down with it: the figure says it is unknown.
          this.set(Number.NaN);
        }
      },
    });
  }

  collected(result: CollectionResult): void {
    this.clusters.collected(result);
    this.#collections.inc({ status: result.status });
    this.#collectionSeconds.observe(result.durationMs / 1000);
    this.#writeSeconds.observe(result.writeMs / 1000);
  }

  forgotten(clusterId: number): void {
    this.clusters.forgotten(clusterId);
  }

  alertsEvaluated(rules: number): void {
    this.#alertEvaluations.inc(rules);
  }

  /** The channels alerts go to, shown at 0 failures before any. */
  alertChannels(channels: readonly string[]): void {
    for (const channel of channels) this.#notificationFailures.inc({ channel }, 0);
  }

  notificationFailed(channel: string): void {
    this.#notificationFailures.inc({ channel });
  }

  /** One answered request; `route` is Fastify's pattern (`/api/clusters/:id`), or UNMATCHED_ROUTE. */
  observeRequest(method: string, route: string, statusCode: number, seconds: number): void {
    this.#http.observe({ method, route, status_code: String(statusCode) }, seconds);
  }

  /** The whole of /metrics: prom-client's families, then the per-cluster ones. */
  async render(): Promise<string> {
    const own = await this.registry.metrics();
    return own + (await this.clusters.render(this.deps.schedule));
  }
}

function countStates(schedule: ScheduleView, test: (state: ClusterScheduleState) => boolean): number {
  let count = 0;
  for (const state of schedule()?.values() ?? []) if (test(state)) count += 1;
  return count;
}
