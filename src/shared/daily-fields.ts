/**
 * The columns of a daily row (`daily_snapshots`), all derived from the field catalogue: the
 * average, minimum, maximum and 95th percentile of each field kept as `daily: 'stats'`, the
 * total of every delta, each `daily: 'recompute'` field worked out again from the day's totals,
 * and the day's own figures (samples, availability, data growth). Shared by the roll-up, the
 * storage (which creates the columns from this list) and the API.
 */
import type { ColumnType, FieldSpec } from './fields/field-spec.js';
import { type FieldCatalogue, SNAPSHOT_FIELDS } from './snapshot-fields.js';

export const DAILY_STATISTICS = ['avg', 'min', 'max', 'p95'] as const;

/** Figures of the day itself, not of one field. */
export const DAY_FIGURES = [
  ['samples', 'bigint'],
  ['reachable_samples', 'bigint'],
  ['availability_pct', 'double precision'],
  ['data_size_start', 'bigint'],
  ['data_size_end', 'bigint'],
  ['data_growth_bytes', 'bigint'],
] as const satisfies readonly (readonly [string, ColumnType])[];

export type DailyRollupMode = 'stats' | 'sum' | 'recompute' | 'none';

/** How a day keeps the field. */
export function dailyRollupOf(f: FieldSpec): DailyRollupMode {
  if (f.kind === 'delta') return 'sum';
  return f.daily ?? 'none';
}

type Field = (typeof SNAPSHOT_FIELDS)[number];
type StatsField = Extract<Field, { daily: 'stats' }>['name'];
type SummedField = Extract<Field, { kind: 'delta' }>['name'];
type RecomputedField = Extract<Field, { daily: 'recompute' }>['name'];

export type DailyColumn = `${(typeof DAILY_STATISTICS)[number]}_${StatsField}` | `total_${SummedField}` | RecomputedField | (typeof DAY_FIGURES)[number][0];

export type DailyValues = { [K in DailyColumn]: number | null };

export interface DailyColumnSpec {
  readonly name: string;
  readonly column: ColumnType;
}

/** Every column a daily row has for these fields, in a stable order. */
export function dailyColumnsOf(fields: FieldCatalogue): DailyColumnSpec[] {
  const out: DailyColumnSpec[] = [];
  for (const f of fields) if (dailyRollupOf(f) === 'stats') for (const s of DAILY_STATISTICS) out.push({ name: `${s}_${f.name}`, column: 'double precision' });
  for (const f of fields) if (dailyRollupOf(f) === 'sum') out.push({ name: `total_${f.name}`, column: f.column });
  for (const f of fields) if (dailyRollupOf(f) === 'recompute') out.push({ name: f.name, column: f.column });
  for (const [name, column] of DAY_FIGURES) out.push({ name, column });
  return out;
}

export const DAILY_COLUMNS = dailyColumnsOf(SNAPSHOT_FIELDS).map((c) => c.name) as readonly DailyColumn[];
