/**
 * Snapshot rows (written as the collector writes them, tiers included) and daily rows, for the
 * overview, fleet and export tests: a healthy cluster's figures unless a test says otherwise.
 */
import { DAILY_COLUMNS, type DailyValues } from '../../src/shared/daily-fields.js';
import { SNAPSHOT_FIELDS } from '../../src/shared/snapshot-fields.js';
import type { Storage } from '../../src/storage/dialect/dialect.js';
import { upsertDailyRow } from '../../src/storage/repos/daily.repo.js';
import type { NewSnapshotRow } from '../../src/storage/repos/snapshots.repo.js';
import { writeSnapshots } from '../helpers/write-snapshots.js';

export const HEALTHY: Partial<NewSnapshotRow> = {
  qps: 100,
  rps: 150,
  query_error_pct: 0.5,
  queries: 3000,
  query_latency_p50: 5,
  query_latency_p95: 40,
  query_latency_p99: 80,
  backend_alive: 3,
  backend_total: 3,
  compute_node_alive: 0,
  compute_node_total: 0,
  frontend_alive: 3,
  frontend_total: 3,
  frontend_leader: 'fe1',
  avg_cpu_usage: 30,
  avg_memory_usage: 40,
  disk_usage_pct: 50,
  disk_max_usage_pct: 60,
  max_compaction_score: 10,
  jvm_heap_usage_pct: 45,
  txn_begin: 12,
  txn_success: 11,
  txn_failed: 1,
};

/** Every snapshot field null. */
const nullFields = (): NewSnapshotRow => Object.fromEntries(SNAPSHOT_FIELDS.map((f) => [f.name, null])) as unknown as NewSnapshotRow;

/** A row with every field null but the healthy figures and the overrides. */
export function snapshotRow(clusterId: number, collectedAt: number, overrides: Partial<NewSnapshotRow> = {}): NewSnapshotRow {
  return {
    ...nullFields(),
    ...HEALTHY,
    cluster_id: clusterId,
    collected_at: collectedAt,
    collect_status: 'ok',
    collect_duration_ms: 120,
    failed_sources: '[]',
    frontends_scraped: 3,
    ...overrides,
  };
}

/** A failed collection: nothing but the failures. */
export function failedRow(clusterId: number, collectedAt: number, failed = [{ source: 'frontends', kind: 'refused', message: 'connect ECONNREFUSED' }]): NewSnapshotRow {
  return {
    ...nullFields(),
    cluster_id: clusterId,
    collected_at: collectedAt,
    collect_status: 'failed',
    collect_duration_ms: 1000,
    failed_sources: JSON.stringify(failed),
    frontends_scraped: 0,
  };
}

export async function insertRows(storage: Storage, rows: readonly NewSnapshotRow[]): Promise<void> {
  await writeSnapshots(storage, rows);
}

export async function insertDay(storage: Storage, clusterId: number, day: string, values: Partial<DailyValues>): Promise<void> {
  const nulls = Object.fromEntries(DAILY_COLUMNS.map((c) => [c, null])) as unknown as DailyValues;
  await upsertDailyRow(storage.db, clusterId, day, { ...nulls, ...values }, Date.parse(`${day}T23:59:59Z`));
}
