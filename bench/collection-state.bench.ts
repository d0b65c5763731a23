/**
 * What the collection state costs to store (`npm run bench -- collection-state [--quick]`): one
 * flush of 1,000 clusters' changed states — one transaction, a statement per 1,000 rows, as
 * `CollectionStateStore` writes them once a second — against the baseline of one upsert per
 * cluster, each in its own transaction (what writing every change as it happens would cost). On
 * a SQLite file (WAL, as the service opens it) and on PostgreSQL (a database of its own on
 * STELLAR_BENCH_POSTGRES, by default the test server on 127.0.0.1:5432, dropped after; left out
 * when unreachable).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import type { Storage } from '../src/storage/dialect/dialect.js';
import { openSqlite } from '../src/storage/dialect/sqlite/sqlite-dialect.js';
import { migrateToLatest } from '../src/storage/migrate.js';
import { type CollectionStateRecord, writeCollectionStates } from '../src/storage/repos/collection-state.repo.js';
import { withBenchPostgres } from './bench-postgres.js';
import { type Measurement, measure, report } from './harness.js';

const CLUSTERS = 1000;

/** Every cluster's state, a little different each round (a failure count, a lag), as a second of collections leaves them. */
function statesOfRound(round: number): Map<number, CollectionStateRecord> {
  const at = Date.UTC(2026, 11, 3) + round * 1000;
  const states = new Map<number, CollectionStateRecord>();
  for (let id = 1; id <= CLUSTERS; id += 1) {
    const failures = (id + round) % 4;
    states.set(id, {
      lastStatus: failures > 0 ? 'failed' : 'ok',
      consecutiveFailures: failures,
      lastAttemptAt: at - 1000,
      lastSuccessAt: at - 1000 - failures * 30_000,
      lastDurationMs: 40 + (id % 50),
      lastError: failures > 0 ? `frontends (refused): GET http://fe-${id}.example:8030/api/show_proc: connection refused` : null,
      nextAttemptAt: at + 30_000 * 2 ** failures,
      running: false,
      lagMs: (id * 7 + round) % 200,
      intervalMs: 30_000,
    });
  }
  return states;
}

async function benchOn(name: string, storage: Storage, opts: { warmupMs: number; runMs: number }): Promise<string> {
  await migrateToLatest(storage);
  await sql`insert into clusters (name, fe_host, fe_http_port, fe_query_port, username, password_encrypted, connection_timeout, deployment_mode, engine, node_list_source, created_at, updated_at)
    with recursive n(i) as (select 1 union all select i + 1 from n where i < ${CLUSTERS})
    select 'c' || i, 'h', 8030, 9030, 'root', '', 5, 'shared_nothing', 'starrocks', 'http', 0, 0 from n`.execute(storage.db);
  let round = 0;
  const baseline = await measure(
    `one upsert per cluster, ${CLUSTERS} transactions`,
    async () => {
      const states = statesOfRound(round++);
      for (const [id, state] of states) await writeCollectionStates(storage.db, new Map([[id, state]]), round);
    },
    opts,
  );
  const batched = await measure(`one flush of ${CLUSTERS} states, 1 transaction`, () => writeCollectionStates(storage.db, statesOfRound(round++), round), opts);
  const ms = (m: { opsPerSecond: number }) => (1000 / m.opsPerSecond).toFixed(1);
  // Counted in states written (a flush is 1,000 of them): a flush a second is far below one op/s otherwise.
  const inStates = (m: Measurement): Measurement => ({ name: m.name, opsPerSecond: m.opsPerSecond * CLUSTERS });
  return `${report(`Collection state on ${name}: states written per second (${CLUSTERS} per round)`, inStates(baseline), [inStates(batched)])}\n  ms per ${CLUSTERS} states: one upsert per cluster ${ms(baseline)}, one flush ${ms(batched)}`;
}

export async function collectionStateBench(args: readonly string[]): Promise<string> {
  const opts = args.includes('--quick') ? { warmupMs: 200, runMs: 1500 } : { warmupMs: 1000, runMs: 5000 };
  const dir = mkdtempSync(join(tmpdir(), 'stellar-state-bench-'));
  const sqlite = openSqlite(join(dir, 'stellar.db'));
  try {
    const onSqlite = await benchOn('a SQLite file', sqlite, opts);
    const onPostgres = await withBenchPostgres('Collection state', (storage) => benchOn('PostgreSQL', storage, opts));
    return `${onSqlite}\n${onPostgres}`;
  } finally {
    await sqlite.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
