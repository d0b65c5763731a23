/**
 * Every field of a metrics snapshot, in one list: each entry (src/shared/fields/) carries its
 * unit, kind, column type and how its value is read or computed per engine. Everything else
 * derives from it: the snapshot builder evaluates the entries, the counters remembered between
 * collections are the ones they name, the storage has a column for each (created from this
 * list at start-up), the daily roll-up reads `kind` and `daily`, and docs/metrics.md is written
 * from it. docs/metrics.md's "Adding a field" says how to add one.
 */
import { FE_STATE_FIELDS } from './fields/fe-state-fields.js';
import type { FieldSpec } from './fields/field-spec.js';
import { NODE_FIELDS } from './fields/node-fields.js';
import { QUERY_FIELDS } from './fields/query-fields.js';
import { WORKLOAD_FIELDS } from './fields/workload-fields.js';

export type { ColumnType, FieldKind, FieldSpec } from './fields/field-spec.js';

export const SNAPSHOT_FIELDS = [...QUERY_FIELDS, ...NODE_FIELDS, ...FE_STATE_FIELDS, ...WORKLOAD_FIELDS] as const;

/** A list of fields the pipeline runs on: the built-in one, or a test's with a field added. */
export type FieldCatalogue = readonly FieldSpec[];

type Field = (typeof SNAPSHOT_FIELDS)[number];
export type SnapshotFieldName = Field['name'];
export type TextFieldName = Extract<Field, { column: 'text' }>['name'];
export type NumericFieldName = Exclude<SnapshotFieldName, TextFieldName>;

/** A snapshot's figures: null where the source was missing or the figure is undefined. */
export type SnapshotValues = { [K in NumericFieldName]: number | null } & { [K in TextFieldName]: string | null };

export const COLLECT_STATUSES = ['ok', 'partial', 'failed'] as const;
export type CollectStatus = (typeof COLLECT_STATUSES)[number];
