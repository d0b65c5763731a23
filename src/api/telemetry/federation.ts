/**
 * GET /federate: the latest snapshot of every cluster as Prometheus gauges, one family per
 * numeric field of the catalogue, `stellar_<field>{cluster="<name>",cluster_id="<id>"} <value>
 * <collected_at ms>`, with the field's description as `# HELP`. A Prometheus (or
 * VictoriaMetrics, Grafana Agent) scrapes this one endpoint for the whole fleet instead of
 * every FE. Null fields are left out (no sample, not a made-up 0); text fields
 * (`frontend_leader`) are not numbers and are not exported. Then each custom metric in effect
 * (src/shared/custom-metrics.ts), `stellar_custom_<name>`, from the row's `custom_values`.
 */
import type { Kysely } from 'kysely';
import { fieldDescription } from '../../shared/fields/field-docs.js';
import type { FieldCatalogue, FieldSpec } from '../../shared/snapshot-fields.js';
import type { CustomMetricSet } from '../../collector/custom-metric-set.js';
import type { CustomMetric } from '../../shared/custom-metrics.js';
import type { Database } from '../../storage/database.js';
import { storedCustomValues } from '../presenters/custom-values.js';
import { latestSnapshotRows, type SnapshotColumn } from '../../storage/repos/snapshots.repo.js';
import { clusterLabels, familyHeader, formatSampleValue, yieldAfterSlice } from './exposition.js';

/** The prefix of every /federate family: `stellar_qps`. */
export const FEDERATE_PREFIX = 'stellar_';
/** The prefix of a custom metric's family: `stellar_custom_<name>`. */
export const FEDERATE_CUSTOM_PREFIX = `${FEDERATE_PREFIX}custom_`;

/** The fields /federate exports: every numeric one of the catalogue. */
export function federatedFields(fields: FieldCatalogue): FieldSpec[] {
  return fields.filter((f) => f.column !== 'text');
}

/** A field's family name at /federate. */
export function federatedName(field: Pick<FieldSpec, 'name'>): string {
  return `${FEDERATE_PREFIX}${field.name}`;
}

export interface FederationDeps {
  /** Where the latest rows are read (`Storage.reader`). */
  readonly db: Kysely<Database>;
  readonly clusters: () => Promise<ReadonlyArray<{ readonly id: number; readonly name: string }>>;
  readonly fields: FieldCatalogue;
  /** The custom metrics in effect; none when absent. */
  readonly customMetrics?: CustomMetricSet;
}

/** One row per cluster that has a snapshot: its labels, collection instant and each field's value or null. */
interface LatestRow {
  readonly labels: string;
  readonly at: number;
  readonly values: Readonly<Record<string, unknown>>;
  /** Its custom metrics' numbers, by name. */
  readonly custom: ReadonlyMap<string, number>;
}

export async function readLatestForFederation(deps: FederationDeps): Promise<LatestRow[]> {
  const clusters = await deps.clusters();
  const names = new Map(clusters.map((c) => [c.id, c.name]));
  const columns = [...federatedFields(deps.fields).map((f) => f.name as SnapshotColumn), 'custom_values' as const];
  const rows = await latestSnapshotRows(deps.db, [...names.keys()], columns);
  rows.sort((a, b) => a.cluster_id - b.cluster_id);
  return rows.map((row) => ({ labels: clusterLabels(names.get(row.cluster_id) ?? '', row.cluster_id), at: row.collected_at, values: row, custom: storedCustomValues(row.custom_values) }));
}

/**
 * The text of /federate from the latest rows, a family at a time, yielding between slices. Each
 * family is encoded as it is finished: a string built of 90,000 appended lines is a tree of
 * pieces that one join at the end must flatten whole, which took three times as long as
 * rendering it (docs/BENCHMARKS.md, "Prometheus export").
 */
export async function renderFederation(rows: readonly LatestRow[], fields: FieldCatalogue, customMetrics: readonly CustomMetric[] = []): Promise<Buffer> {
  const chunks: Buffer[] = [];
  // The end of each row's lines, ` <collected_at>\n`: the same for every field of the row.
  const ends = rows.map((row) => ` ${row.at}\n`);
  let slice = performance.now();
  for (const field of federatedFields(fields)) {
    const name = federatedName(field);
    const start = `${name}{`;
    let text = familyHeader(name, fieldDescription(field), 'gauge');
    for (let i = 0; i < rows.length; i += 1) {
      const value = rows[i]?.values[field.name];
      if (typeof value === 'number') text += start + rows[i]?.labels + '} ' + formatSampleValue(value) + ends[i];
    }
    chunks.push(Buffer.from(text));
    slice = await yieldAfterSlice(slice);
  }
  for (const metric of customMetrics) {
    const name = `${FEDERATE_CUSTOM_PREFIX}${metric.name}`;
    let text = familyHeader(name, customHelp(metric), 'gauge');
    for (let i = 0; i < rows.length; i += 1) {
      const value = rows[i]?.custom.get(metric.name);
      if (value !== undefined) text += `${name}{${rows[i]?.labels}} ${formatSampleValue(value)}${ends[i]}`;
    }
    chunks.push(Buffer.from(text));
    slice = await yieldAfterSlice(slice);
  }
  return Buffer.concat(chunks);
}

/** A custom metric's `# HELP`: its description and unit, as the built-in fields' say theirs. */
export function customHelp(metric: Pick<CustomMetric, 'name' | 'description' | 'unit' | 'family'>): string {
  const what = metric.description === '' ? `Custom metric ${metric.name}, from ${metric.family}` : metric.description;
  return metric.unit === '' ? what : `${what} (${metric.unit})`;
}
