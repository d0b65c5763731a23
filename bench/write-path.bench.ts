/**
 * The collector's write path (`npm run bench -- write-path [--quick]`), on a SQLite file (WAL, as
 * the service opens it) and on PostgreSQL (a database of its own on STELLAR_BENCH_POSTGRES, by
 * default the test server on 127.0.0.1:5432, dropped after; left out when unreachable):
 * - snapshots per second through the snapshot writer (every field of the catalogue, the tiers,
 *   1,000 clusters in turn): the baseline is a row without a slot (a one-off collection); against
 *   it, a row with its slot (every scheduled collection: the unique (cluster, slot) index) and,
 *   on PostgreSQL, one fenced by its cluster's lease (`coordination = "shards"`);
 * - the largest writer stall while the retention sweep deletes a day of 1,000 clusters' rows
 *   (`--quick`: an hour): each write's time, the writer going round the clusters as the collector
 *   does, while `applyRetention` runs in the same process; the baseline is the same writes with
 *   no delete running.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { applyRetention } from '../src/collector/retention.js';
import { SNAPSHOT_FIELDS } from '../src/shared/snapshot-fields.js';
import type { Storage } from '../src/storage/dialect/dialect.js';
import { openSqlite } from '../src/storage/dialect/sqlite/sqlite-dialect.js';
import { migrateToLatest } from '../src/storage/migrate.js';
import type { SnapshotRecord, SnapshotWriter } from '../src/storage/snapshot-writer.js';
import { withBenchPostgres } from './bench-postgres.js';
import { measure, report } from './harness.js';

const CLUSTERS = 1000;
const INTERVAL_MS = 30_000;
const DAY_MS = 86_400_000;
/** The day whose rows the sweep deletes starts here; the writes of the bench come after it. */
const DAY_START = Date.UTC(2026, 10, 1);

const VALUES = Object.fromEntries(SNAPSHOT_FIELDS.map((f, i) => [f.name, f.column === 'text' ? 'fe-1' : f.column === 'bigint' ? i * 1000 : i + 0.25]));

/** A writer going round the clusters, each write one interval after the last of its cluster. */
function roundRobin(writer: SnapshotWriter, from: number, slots: boolean): () => Promise<boolean> {
  let n = 0;
  return () => {
    const clusterId = (n % CLUSTERS) + 1;
    const at = from + Math.floor(n / CLUSTERS) * INTERVAL_MS + clusterId;
    n += 1;
    const record: SnapshotRecord = {
      clusterId,
      collectedAt: at,
      slotAt: slots ? at - clusterId : null,
      status: 'ok',
      durationMs: 40,
      failedSources: '[]',
      frontendsScraped: 1,
      values: VALUES,
      nodes: { at, frontends: null, backends: null, computeNodes: null },
    };
    return writer.write(record);
  };
}

/** `span` ms of rows of every cluster from DAY_START, every field filled (a copy of one written row), in one statement. */
async function fill(storage: Storage, writer: SnapshotWriter, spanMs: number): Promise<number> {
  await roundRobin(writer, DAY_START - INTERVAL_MS, false)();
  const fields = SNAPSHOT_FIELDS.map((f) => sql.ref(f.name));
  const steps = spanMs / INTERVAL_MS;
  await sql`insert into metrics_snapshots (cluster_id, collected_at, collect_status, collect_duration_ms, failed_sources, frontends_scraped, ${sql.join(fields)})
    with recursive t(k) as (select 0 union all select k + 1 from t where k < ${steps - 1})
    select c.id, cast(${DAY_START} as bigint) + t.k * cast(${INTERVAL_MS} as bigint) + c.id, 'ok', 40, '[]', 1, ${sql.join(SNAPSHOT_FIELDS.map((f) => sql.ref(`s.${f.name}`)))}
    from clusters c cross join t cross join (select * from metrics_snapshots where cluster_id = 1 and collected_at < cast(${DAY_START} as bigint)) s`.execute(storage.db);
  return steps * CLUSTERS;
}

interface Stall {
  readonly writes: number;
  readonly maxMs: number;
  readonly p99Ms: number;
}

/** Writes until `until` settles (or for `ms` when it is a number), timing each write. */
async function writeTimed(write: () => Promise<unknown>, until: Promise<unknown> | number): Promise<Stall> {
  const times: number[] = [];
  let done = false;
  const end = typeof until === 'number' ? performance.now() + until : Number.POSITIVE_INFINITY;
  if (typeof until !== 'number') void until.finally(() => (done = true));
  while (!done && performance.now() < end) {
    const started = performance.now();
    await write();
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  return { writes: times.length, maxMs: times.at(-1) ?? 0, p99Ms: times[Math.floor(times.length * 0.99)] ?? 0 };
}

async function benchOn(name: string, storage: Storage, opts: { warmupMs: number; runMs: number; spanMs: number }): Promise<string> {
  await migrateToLatest(storage);
  await sql`insert into clusters (name, fe_host, fe_http_port, fe_query_port, username, password_encrypted, connection_timeout, deployment_mode, engine, node_list_source, created_at, updated_at)
    with recursive n(i) as (select 1 union all select i + 1 from n where i < ${CLUSTERS})
    select 'c' || i, 'h', 8030, 9030, 'root', '', 5, 'shared_nothing', 'starrocks', 'http', 0, 0 from n`.execute(storage.db);
  const writer = storage.snapshotWriter(SNAPSHOT_FIELDS);

  // The stall first, on a table holding just the day to delete.
  const fillStarted = performance.now();
  const rows = await fill(storage, writer, opts.spanMs);
  const fillS = (performance.now() - fillStarted) / 1000;
  const after = DAY_START + DAY_MS;
  const quiet = await writeTimed(roundRobin(writer, after, true), opts.runMs);
  const sweepStarted = performance.now();
  const sweep = applyRetention(storage.db, Array.from({ length: CLUSTERS }, (_, i) => i + 1), after + DAY_MS, {
    retentionDays: 1,
    retention5mDays: 3650,
    retention1hDays: 3650,
    dailyRetentionDays: 3650,
    timeZone: 'UTC',
    sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
  });
  const during = await writeTimed(roundRobin(writer, after + 3 * DAY_MS, true), sweep);
  const deleted = await sweep;
  const sweepS = (performance.now() - sweepStarted) / 1000;

  // Then the write rate, on the table as it is now.
  const plain = await measure('a row without a slot (one-off)', roundRobin(writer, after + 10 * DAY_MS, false), opts);
  const slotted = await measure('a row with its slot (scheduled)', roundRobin(writer, after + 20 * DAY_MS, true), opts);
  const others = [slotted];
  const leases = storage.clusterLeases;
  if (leases !== undefined) {
    // Last: once set, the shards' fence stays on for this storage's writes.
    leases.fenceSnapshots('bench', await leases.claim('bench', CLUSTERS, 3_600_000));
    others.push(await measure('a row with its slot, fenced by its cluster lease', roundRobin(writer, after + 30 * DAY_MS, true), opts));
  }
  const stallRows = [
    `  writes with no delete running (baseline)  max ${quiet.maxMs.toFixed(1)} ms, p99 ${quiet.p99Ms.toFixed(1)} ms (${quiet.writes} writes)`,
    `  writes during the sweep                   max ${during.maxMs.toFixed(1)} ms (${(during.maxMs / quiet.maxMs).toFixed(2)} × baseline), p99 ${during.p99Ms.toFixed(1)} ms (${during.writes} writes)`,
    `  the sweep: ${deleted.snapshots} rows of ${rows} deleted in ${sweepS.toFixed(1)} s (filled in ${fillS.toFixed(1)} s)`,
  ];
  return [
    report(`Snapshot writes on ${name}: snapshots per second (${CLUSTERS} clusters in turn)`, plain, others),
    `Writer stall on ${name} while the retention sweep deletes ${opts.spanMs / 3_600_000} h of ${CLUSTERS} clusters`,
    ...stallRows,
  ].join('\n');
}

export async function writePathBench(args: readonly string[]): Promise<string> {
  const opts = args.includes('--quick') ? { warmupMs: 300, runMs: 2000, spanMs: 3_600_000 } : { warmupMs: 1000, runMs: 5000, spanMs: DAY_MS };
  const dir = mkdtempSync(join(tmpdir(), 'stellar-write-bench-'));
  const sqlite = openSqlite(join(dir, 'stellar.db'));
  try {
    const onSqlite = await benchOn('a SQLite file', sqlite, opts);
    const onPostgres = await withBenchPostgres('Write path', (storage) => benchOn('PostgreSQL', storage, opts));
    return `${onSqlite}\n${onPostgres}`;
  } finally {
    await sqlite.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
