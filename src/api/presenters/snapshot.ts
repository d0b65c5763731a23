/** A stored snapshot row → SnapshotJson: every field, the collection time as ISO, failures parsed, the custom metrics' values. */
import { SNAPSHOT_FIELDS } from '../../shared/snapshot-fields.js';
import type { FailedSourceJson, SnapshotJson } from '../../shared/api/overview.js';
import type { CustomMetric } from '../../shared/custom-metrics.js';
import type { SnapshotRow } from '../../storage/repos/snapshots.repo.js';
import { presentCustomValues } from './custom-values.js';

const SNAPSHOT_FIELD_NAMES: readonly string[] = SNAPSHOT_FIELDS.map((f) => f.name);

/**
 * The `failed_sources` column (JSON written by the collector). Anything unreadable becomes one
 * entry saying so rather than a 500 or a silently clean record.
 */
export function parseFailedSources(text: string | null): FailedSourceJson[] {
  if (text === null || text === '') return [];
  try {
    const parsed: unknown = JSON.parse(text);
    if (!Array.isArray(parsed)) throw new TypeError('not an array');
    const textOr = (value: unknown, fallback: string) => (typeof value === 'string' ? value : fallback);
    return parsed.map((entry: unknown) => {
      const e = (typeof entry === 'object' && entry !== null ? entry : {}) as Record<string, unknown>;
      return { source: textOr(e.source, 'unknown'), kind: textOr(e.kind, 'unknown'), message: textOr(e.message, '') };
    });
  } catch {
    return [{ source: 'unknown', kind: 'unknown', message: 'the stored list of failed sources is unreadable' }];
  }
}

/** `customMetrics`: the custom metrics in effect, each served from the row's custom_values (null where it has none). */
export function presentSnapshot(row: SnapshotRow, customMetrics: readonly Pick<CustomMetric, 'name'>[]): SnapshotJson {
  const values: Record<string, unknown> = {};
  for (const name of SNAPSHOT_FIELD_NAMES) values[name] = (row as unknown as Record<string, unknown>)[name] ?? null;
  return {
    ...(values as Omit<SnapshotJson, 'collected_at' | 'collect_status' | 'collect_duration_ms' | 'failed_sources' | 'frontends_scraped' | 'custom'>),
    collected_at: new Date(row.collected_at).toISOString(),
    collect_status: row.collect_status,
    collect_duration_ms: row.collect_duration_ms,
    failed_sources: parseFailedSources(row.failed_sources),
    frontends_scraped: row.frontends_scraped,
    custom: presentCustomValues(row.custom_values, customMetrics),
  };
}
