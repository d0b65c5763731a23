/**
 * The fleet's QPS sparklines for 1,000 clusters: two hours of the 5-minute tier (24,000 buckets)
 * read with `tierFieldOfClusters`, from a day of full-width tier rows (every field's sum, n, min
 * and max filled, as the collector writes them), through the index that covers the query
 * (`metrics_5m_qps`, made at every start), against the same read from the table's own rows
 * (the index dropped: the baseline, what it cost before).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { openSqlite } from '../src/storage/dialect/sqlite/sqlite-dialect.js';
import { migrateToLatest } from '../src/storage/migrate.js';
import { tierFieldOfClusters } from '../src/storage/repos/tiers.repo.js';
import { measure, report } from './harness.js';

const CLUSTERS = 1000;
const BUCKET_MS = 300_000;
const DAY_BUCKETS = 288;
const SPARKLINE_BUCKETS = 24;

export async function fleetSparklineBench(): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'stellar-sparkline-'));
  const storage = openSqlite(join(dir, 'stellar.db'));
  try {
    await migrateToLatest(storage);
    const db = storage.db;
    const columns = (await db.introspection.getTables()).find((t) => t.name === 'metrics_5m')!.columns;
    const figures = columns.filter((c) => c.name !== 'cluster_id' && c.name !== 'bucket_start');
    await sql`insert into clusters (name, fe_host, fe_http_port, fe_query_port, username, password_encrypted, connection_timeout, deployment_mode, engine, node_list_source, created_at, updated_at)
      with recursive n(i) as (select 1 union all select i + 1 from n where i < ${CLUSTERS})
      select 'c' || i, 'h', 8030, 9030, 'root', '', 5, 'shared_nothing', 'starrocks', 'http', 0, 0 from n`.execute(db);
    const end = Math.floor(Date.now() / BUCKET_MS) * BUCKET_MS;
    // Every cluster's day in one statement per cluster: moving values in every column (whole numbers in the integer
    // ones), so rows are about as wide as real ones.
    for (let id = 1; id <= CLUSTERS; id += 1) {
      await sql`insert into metrics_5m (cluster_id, bucket_start, ${sql.join(figures.map((c) => sql.ref(c.name)))})
        with recursive b(k) as (select 0 union all select k + 1 from b where k < ${DAY_BUCKETS - 1})
        select ${id}, ${end} - k * ${BUCKET_MS}, ${sql.join(figures.map((c, j) => (c.dataType === 'double precision' ? sql`(k * 7 + ${id} * 13 + ${j}) % 997 + 0.5` : sql`(k * 7 + ${id} * 13 + ${j}) % 997`)))} from b`.execute(db);
    }
    const ids = Array.from({ length: CLUSTERS }, (_, i) => i + 1);
    const first = end - (SPARKLINE_BUCKETS - 1) * BUCKET_MS;
    const read = () => tierFieldOfClusters(db, 'metrics_5m', ids, first, 'qps');
    if ((await read()).length !== CLUSTERS * SPARKLINE_BUCKETS) throw new Error('the sparkline read missed buckets');
    const bytes = await sql<{ b: number }>`select sum(pgsize) as b from dbstat where name = 'metrics_5m'`.execute(db);
    const opts = { warmupMs: 1000, runMs: 4000 };
    const indexed = await measure(`sparklines of ${CLUSTERS} clusters, covering index`, read, opts);
    await sql`drop index metrics_5m_qps`.execute(db);
    const table = await measure(`sparklines of ${CLUSTERS} clusters, table rows`, read, opts);
    const rowBytes = Math.round(bytes.rows[0]!.b / (CLUSTERS * DAY_BUCKETS));
    const ms = (m: { opsPerSecond: number }) => (1000 / m.opsPerSecond).toFixed(1);
    return `${report(`Fleet QPS sparklines: ${CLUSTERS * SPARKLINE_BUCKETS} buckets of ${CLUSTERS * DAY_BUCKETS} (${rowBytes} B per tier row)`, table, [indexed])}\n  ms per read: table ${ms(table)}, index ${ms(indexed)}`;
  } finally {
    await storage.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
