/**
 * The down-sampled tiers: every 5 minutes and every hour, per cluster, the figures a day keeps
 * (the fields with a daily roll-up in the catalogue), as aggregates that merge exactly into
 * any coarser bucket: for a gauge its sum, count, minimum and maximum (so a mean over any span
 * is Σsum ÷ Σcount, not a mean of means); for a delta its sum and count. A derived field is
 * worked out from its inputs' aggregates when read. The daily rows are the coarsest tier,
 * rolled up from the 5-minute one. Columns are named `sum_qps`, `n_qps`, `min_qps`, `max_qps`.
 */
import { type DailyRollupMode, dailyRollupOf } from './daily-fields.js';
import type { ColumnType } from './fields/field-spec.js';
import type { SNAPSHOT_FIELDS } from './snapshot-fields.js';
import { type FieldCatalogue } from './snapshot-fields.js';

export const TIERS = [
  { name: '5m', table: 'metrics_5m', widthMs: 300_000 },
  { name: '1h', table: 'metrics_1h', widthMs: 3_600_000 },
] as const;

export type Tier = (typeof TIERS)[number];
export type TierName = Tier['name'];
export type TierTable = Tier['table'];

export const TIER_AGGREGATES = ['sum', 'n', 'min', 'max'] as const;
export type TierAggregate = (typeof TIER_AGGREGATES)[number];

/** What a tier keeps of a field, by its daily mode: gauges all four, deltas sum and count, the rest nothing. */
const KEPT: Record<DailyRollupMode, readonly TierAggregate[]> = { stats: TIER_AGGREGATES, sum: ['sum', 'n'], recompute: [], none: [] };

export function tierAggregatesOf(f: FieldCatalogue[number]): readonly TierAggregate[] {
  return KEPT[dailyRollupOf(f)];
}

export interface TierColumnSpec {
  readonly name: string;
  readonly column: ColumnType;
  readonly field: string;
  readonly aggregate: TierAggregate;
}

/** Every field column a tier row has for these fields, in a stable order. */
export function tierColumnsOf(fields: FieldCatalogue): TierColumnSpec[] {
  const out: TierColumnSpec[] = [];
  for (const f of fields) {
    for (const aggregate of tierAggregatesOf(f)) {
      // Counts are whole; sums of gauges may not be; minimum and maximum are values of the field.
      const column: ColumnType = aggregate === 'n' ? 'bigint' : aggregate === 'sum' && f.kind !== 'delta' ? 'double precision' : f.column;
      out.push({ name: `${aggregate}_${f.name}`, column, field: f.name, aggregate });
    }
  }
  return out;
}

/** The fields the tiers keep anything of. */
export function tieredFieldsOf(fields: FieldCatalogue): FieldCatalogue {
  return fields.filter((f) => tierAggregatesOf(f).length > 0);
}

type Field = (typeof SNAPSHOT_FIELDS)[number];
type GaugeName = Extract<Field, { daily: 'stats' }>['name'];
type DeltaName = Extract<Field, { kind: 'delta' }>['name'];
export type TierColumn = `${TierAggregate}_${GaugeName}` | `${'sum' | 'n'}_${DeltaName}`;
export type TierValues = { [K in TierColumn]: number | null };

/** The start of the tier's bucket holding an instant: buckets are aligned to multiples of the width since the epoch. */
export function bucketStart(tier: Tier, atMs: number): number {
  return Math.floor(atMs / tier.widthMs) * tier.widthMs;
}
