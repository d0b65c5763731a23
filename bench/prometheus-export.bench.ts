/**
 * /metrics and /federate of a fleet of 1,000 clusters: CPU per render and the bytes sent.
 *
 * - The per-cluster part of /metrics as Stellar renders it (ClusterFigures: typed columns, label
 *   text escaped once per cluster) against the same values in prom-client labelled Gauges, the
 *   baseline: what using prom-client for them would have cost.
 * - /federate's render of 1,000 latest snapshots against the same values in prom-client
 *   labelled Gauges (one per field), the baseline.
 * - Both whole requests through the app (app.inject: authentication, the database read of the
 *   latest rows on the SQLite read threads, the render; /federate gzipped too), for the
 *   absolute figures.
 *
 *   npm run bench -- prometheus-export
 */
import { sql } from 'kysely';
import { Gauge, Registry } from 'prom-client';
import { CLUSTER_FAMILIES } from '../src/api/telemetry/cluster-figures.js';
import { federatedFields, federatedName, readLatestForFederation, renderFederation } from '../src/api/telemetry/federation.js';
import { ServiceTelemetry } from '../src/api/telemetry/service-telemetry.js';
import type { ClusterScheduleState } from '../src/collector/scheduler.js';
import { fieldDescription } from '../src/shared/fields/field-docs.js';
import { COLLECT_STATUSES, SNAPSHOT_FIELDS, type SnapshotValues } from '../src/shared/snapshot-fields.js';
import { parsePrometheusText } from '../src/starrocks/parse/prometheus-text.js';
import { createTestApp } from '../test/helpers/test-app.js';
import { writeSnapshots } from '../test/helpers/write-snapshots.js';

const CLUSTERS = 1000;
const RUNS = 40;

interface Cost {
  readonly name: string;
  readonly cpuMs: number;
  readonly wallMs: number;
  readonly bytes: number;
}

/** CPU (user + system) and wall time per run, over RUNS runs after a warm-up. */
async function cost(name: string, render: () => Promise<string | Buffer>): Promise<Cost> {
  let bytes = 0;
  for (let i = 0; i < 5; i += 1) bytes = Buffer.byteLength(await render());
  const cpu = process.cpuUsage();
  const started = performance.now();
  for (let i = 0; i < RUNS; i += 1) await render();
  const used = process.cpuUsage(cpu);
  return { name, cpuMs: (used.user + used.system) / 1000 / RUNS, wallMs: (performance.now() - started) / RUNS, bytes };
}

function table(title: string, baseline: Cost, others: readonly Cost[]): string {
  const rows = [baseline, ...others].map(
    (c) => `  ${c.name.padEnd(58)} ${c.cpuMs.toFixed(2).padStart(8)} ms CPU ${c.wallMs.toFixed(2).padStart(8)} ms wall ${(c.bytes / 1024).toFixed(0).padStart(6)} KiB   ${(c.cpuMs / baseline.cpuMs).toFixed(3).padStart(6)} × baseline CPU`,
  );
  return [`${title} (baseline: ${baseline.name})`, ...rows].join('\n');
}

/** A collection's figures for cluster `id`, varied so no two lines are alike. */
function collected(id: number) {
  return {
    clusterId: id,
    clusterName: `cluster-${String(id).padStart(4, '0')}`,
    collectedAt: 1_764_700_000_000 + id,
    status: COLLECT_STATUSES[id % 17 === 0 ? 2 : id % 5 === 0 ? 1 : 0] ?? 'ok',
    durationMs: 40 + (id % 300),
    failures: [],
    values: {} as SnapshotValues,
    frontendsScraped: 3,
    metricsBytes: 40_000 + id * 7,
    metricsSeries: 900 + (id % 50),
    writeMs: 1,
    custom: {},
  } as const;
}

function scheduleState(id: number): ClusterScheduleState {
  return { lastStatus: 'ok', consecutiveFailures: id % 17 === 0 ? 3 : 0, lastAttemptAt: 0, lastSuccessAt: 0, lastDurationMs: 40, lastError: null, nextAttemptAt: 0, running: false, lagMs: id % 40, intervalMs: 30_000 };
}

/** The per-cluster families of /metrics in prom-client labelled Gauges, set to the same values. */
function promClientClusterGauges(): Registry {
  const registry = new Registry();
  const gauge = (name: keyof typeof CLUSTER_FAMILIES, extra: string[] = []) => new Gauge({ name, help: CLUSTER_FAMILIES[name], labelNames: ['cluster', 'cluster_id', ...extra], registers: [registry] });
  const up = gauge('stellar_cluster_up');
  const status = gauge('stellar_cluster_collection_status', ['status']);
  const duration = gauge('stellar_cluster_collection_duration_seconds');
  const at = gauge('stellar_cluster_last_collection_timestamp_seconds');
  const bytes = gauge('stellar_cluster_scraped_bytes');
  const series = gauge('stellar_cluster_scraped_series');
  const failures = gauge('stellar_cluster_consecutive_failures');
  const lag = gauge('stellar_cluster_collection_lag_seconds');
  for (let id = 1; id <= CLUSTERS; id += 1) {
    const c = collected(id);
    const s = scheduleState(id);
    const labels = { cluster: c.clusterName, cluster_id: String(id) };
    up.set(labels, c.status === 'failed' ? 0 : 1);
    for (const one of COLLECT_STATUSES) status.set({ ...labels, status: one }, c.status === one ? 1 : 0);
    duration.set(labels, c.durationMs / 1000);
    at.set(labels, c.collectedAt / 1000);
    bytes.set(labels, c.metricsBytes);
    series.set(labels, c.metricsSeries);
    failures.set(labels, s.consecutiveFailures);
    lag.set(labels, s.lagMs / 1000);
  }
  return registry;
}

/** /federate's families in prom-client labelled Gauges, set to the latest rows' values (prom-client prints no timestamps). */
function promClientFederation(rows: Awaited<ReturnType<typeof readLatestForFederation>>): Registry {
  const registry = new Registry();
  for (const field of federatedFields(SNAPSHOT_FIELDS)) {
    const gauge = new Gauge({ name: federatedName(field), help: fieldDescription(field), labelNames: ['cluster', 'cluster_id'], registers: [registry] });
    for (const row of rows) {
      const value = row.values[field.name];
      const [, cluster = '', clusterId = ''] = /^cluster="(.*)",cluster_id="(\d+)"$/.exec(row.labels) ?? [];
      if (typeof value === 'number') gauge.set({ cluster, cluster_id: clusterId }, value);
    }
  }
  return registry;
}

export async function prometheusExportBench(): Promise<string> {
  let telemetry: ServiceTelemetry | undefined;
  const schedule = new Map(Array.from({ length: CLUSTERS }, (_, i) => [i + 1, scheduleState(i + 1)] as const));
  const t = await createTestApp({ telemetry: (storage) => (telemetry = new ServiceTelemetry({ db: storage.db, dialect: storage.dialect, schedule: () => schedule, maxConcurrency: () => 16 })) });
  try {
    const db = t.storage.db;
    await sql`insert into clusters (name, fe_host, fe_http_port, fe_query_port, username, password_encrypted, connection_timeout, deployment_mode, engine, node_list_source, created_at, updated_at)
      with recursive n(i) as (select 1 union all select i + 1 from n where i < ${CLUSTERS})
      select 'cluster-' || substr('000' || i, -4), 'h', 8030, 9030, 'root', '', 5, 'shared_nothing', 'starrocks', 'http', 0, 0 from n`.execute(db);
    const numeric = federatedFields(SNAPSHOT_FIELDS);
    // Two snapshots per cluster (the latest is read), every numeric field filled but one in ten left null.
    for (const back of [30_000, 0]) {
      await writeSnapshots(
        t.storage,
        Array.from({ length: CLUSTERS }, (_, i) => {
          const id = i + 1;
          const values = Object.fromEntries(numeric.map((f, j) => [f.name, (id + j) % 10 === 0 ? null : f.column === 'bigint' ? (id * 31 + j * 7) % 100_000 : ((id * 31 + j * 7) % 10_000) / 7]));
          return { cluster_id: id, collected_at: 1_764_700_000_000 - back + id, ...values };
        }),
      );
    }
    for (let id = 1; id <= CLUSTERS; id += 1) telemetry?.collected(collected(id));
    if (!telemetry) throw new Error('the app was built without the bench’s telemetry');
    const own = telemetry;

    const rows = await readLatestForFederation({ db: t.storage.reader, clusters: async () => (await t.storage.db.selectFrom('clusters').select(['id', 'name']).execute()), fields: SNAPSHOT_FIELDS });
    const federation = await renderFederation(rows, SNAPSHOT_FIELDS);
    const samples = parsePrometheusText(federation.toString('utf8')).sampleCount;
    if (rows.length !== CLUSTERS || samples < CLUSTERS * numeric.length * 0.85) throw new Error(`/federate has ${samples} samples of ${rows.length} clusters`);
    const clusterGauges = promClientClusterGauges();
    const federationGauges = promClientFederation(rows);
    const get = (url: string, encoding = 'identity') => async () => (await t.app.inject({ method: 'GET', url, headers: { authorization: t.auth, 'accept-encoding': encoding } })).rawPayload;

    const perCluster = table(`/metrics, the per-cluster families of ${CLUSTERS} clusters`, await cost('prom-client labelled Gauges, registry.metrics()', () => clusterGauges.metrics()), [
      await cost('typed columns, rendered by Stellar (ClusterFigures)', () => own.clusters.render(() => schedule)),
    ]);
    const federate = table(`/federate render, ${CLUSTERS} clusters × ${numeric.length} fields`, await cost('prom-client labelled Gauges, registry.metrics()', () => federationGauges.metrics()), [
      await cost('Stellar (renderFederation, with timestamps)', () => renderFederation(rows, SNAPSHOT_FIELDS)),
    ]);
    const metricsRequest = await cost('GET /metrics (app.inject)', get('/metrics'));
    const federateRequest = await cost('GET /federate (app.inject: latest rows read + render)', get('/federate'));
    const federateGzipped = await cost('GET /federate, Accept-Encoding: gzip', get('/federate', 'gzip'));
    const whole = [metricsRequest, federateRequest, federateGzipped].map((c) => `  ${c.name.padEnd(58)} ${c.cpuMs.toFixed(2).padStart(8)} ms CPU ${c.wallMs.toFixed(2).padStart(8)} ms wall ${(c.bytes / 1024).toFixed(0).padStart(6)} KiB`);
    return [perCluster, federate, `Whole requests, ${CLUSTERS} clusters (CPU of the whole process: the SQLite read threads' too)`, ...whole].join('\n');
  } finally {
    await t.close();
  }
}
