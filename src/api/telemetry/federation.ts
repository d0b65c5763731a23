/**
 * GET /federate: the latest snapshot of every cluster as Prometheus gauges, one family per
 * numeric field of the catalogue, `stellar_<field>{cluster="<name>",cluster_id="<id>"} <value>
 * <collected_at ms>`, with the field's description as `# HELP`. A Prometheus (or
 * VictoriaMetrics, Grafana Agent) scrapes this one endpoint for the whole fleet instead of
 * every FE. Null fields are left out (no sample, not a made-up 0); text fields
 * (`frontend_leader`) are not numbers and are not exported.
 */
import type { Kysely } from 'kysely';
import { fieldDescription } from '../../shared/fields/field-docs.js';
import type { FieldCatalogue, FieldSpec } from '../../shared/snapshot-fields.js';
import type { Database } from '../../storage/database.js';
import { latestSnapshotRows, type SnapshotColumn } from '../../storage/repos/snapshots.repo.js';
import { clusterLabels, familyHeader, formatSampleValue, yieldAfterSlice } from './exposition.js';

/** The prefix of every /federate family: `stellar_qps`. */
export const FEDERATE_PREFIX = 'stellar_';

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
}

/** One row per cluster that has a snapshot: its labels, collection instant and each field's value or null. */
interface LatestRow {
  readonly labels: string;
  readonly at: number;
  readonly values: Readonly<Record<string, unknown>>;
}

export async function readLatestForFederation(deps: FederationDeps): Promise<LatestRow[]> {
  const clusters = await deps.clusters();
  const names = new Map(clusters.map((c) => [c.id, c.name]));
  const columns = federatedFields(deps.fields).map((f) => f.name as SnapshotColumn);
  const rows = await latestSnapshotRows(deps.db, [...names.keys()], columns);
  rows.sort((a, b) => a.cluster_id - b.cluster_id);
  return rows.map((row) => ({ labels: clusterLabels(names.get(row.cluster_id) ?? '', row.cluster_id), at: row.collected_at, values: row }));
}

/**
 * The text of /federate from the latest rows, a family at a time, yielding between slices. Each
 * family is encoded as it is finished: a string built of 90,000 appended lines is a tree of
 * pieces that one join at the end must flatten whole, which took three times as long as
 * rendering it (docs/BENCHMARKS.md, "Prometheus export").
 */
export async function renderFederation(rows: readonly LatestRow[], fields: FieldCatalogue): Promise<Buffer> {
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
  return Buffer.concat(chunks);
}
