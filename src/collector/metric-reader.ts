/**
 * Reading numbers out of one parsed `/metrics` body: a catalogue series (family, label
 * matchers, sum or first) by the engine's family name, and whether the FE says it leads.
 */
import { type EngineSeries, familyName, type LabelMatch } from '../shared/fields/field-spec.js';
import type { Engine } from '../shared/cluster-kinds.js';
import type { ParsedMetrics, Sample } from '../starrocks/parse/prometheus-text.js';

export class MetricReader {
  constructor(
    private readonly metrics: ParsedMetrics,
    private readonly engine: Engine,
  ) {}

  /** The series' value on this node: Σ or the first of the matching samples; null when none match. */
  read(series: EngineSeries): number | null {
    const s = series[this.engine];
    if (s === null) return null;
    const found = this.samples(familyName(s, this.engine), s.labels);
    if (found.length === 0) return null;
    return s.pick === 'first' ? (found[0]?.value ?? null) : found.reduce((total, x) => total + x.value, 0);
  }

  /** Samples of the family `fullName` (its own sample name, not `_sum`/`_count`). */
  samples(fullName: string, match: LabelMatch = {}): Sample[] {
    const family = this.metrics.family(fullName);
    if (!family) return [];
    return family.samples.filter((s) => s.name === fullName && matches(s, match));
  }

  /** This FE says it is the leader: `node_info{type="is_master"}` or `is_leader="true"` labels. */
  claimsLeadership(): boolean {
    if (this.samples('node_info', { type: 'is_master' })[0]?.value === 1) return true;
    const fe = `${this.engine}_fe_`;
    return this.samples(`${fe}max_tablet_compaction_score`, { is_leader: 'true' }).length > 0 || this.samples(`${fe}txn_begin`, { is_leader: 'true' }).length > 0;
  }
}

function matches(sample: Sample, match: LabelMatch): boolean {
  for (const [key, wanted] of Object.entries(match)) {
    const value = sample.labels[key];
    if (value === undefined) return false;
    if (typeof wanted === 'string' ? value !== wanted : !wanted.includes(value)) return false;
  }
  return true;
}
