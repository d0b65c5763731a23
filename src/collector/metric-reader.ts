/**
 * Reading numbers out of one parsed `/metrics` body by family and labels. Names are given
 * without the engine prefix (`query_total` is `starrocks_fe_query_total` or `doris_fe_query_total`);
 * JVM and `node_info` families have no prefix on either engine.
 */
import type { ParsedMetrics, Sample } from '../starrocks/parse/prometheus-text.js';

export type LabelMatch = Readonly<Record<string, string | readonly string[]>>;

export class MetricReader {
  constructor(
    private readonly metrics: ParsedMetrics,
    private readonly prefix: string,
  ) {}

  /** Samples of the prefixed family `name` (its own sample name, not `_sum`/`_count`). */
  samples(name: string, match: LabelMatch = {}): Sample[] {
    return this.raw(this.prefix + name, match);
  }

  /** Samples of an unprefixed family (`jvm_*`, `node_info`). */
  raw(fullName: string, match: LabelMatch = {}): Sample[] {
    const family = this.metrics.family(fullName);
    if (!family) return [];
    return family.samples.filter((s) => s.name === fullName && matches(s, match));
  }

  /** The first matching sample's value, or null. */
  first(name: string, match: LabelMatch = {}): number | null {
    return this.samples(name, match)[0]?.value ?? null;
  }

  rawFirst(fullName: string, match: LabelMatch = {}): number | null {
    return this.raw(fullName, match)[0]?.value ?? null;
  }

  /** Σ of the matching samples, or null when there are none. */
  sum(name: string, match: LabelMatch = {}): number | null {
    const found = this.samples(name, match);
    return found.length === 0 ? null : found.reduce((total, s) => total + s.value, 0);
  }

  /** This FE says it is the leader: `node_info{type="is_master"}` or `is_leader="true"` labels. */
  claimsLeadership(): boolean {
    if (this.rawFirst('node_info', { type: 'is_master' }) === 1) return true;
    return this.samples('max_tablet_compaction_score', { is_leader: 'true' }).length > 0 || this.samples('txn_begin', { is_leader: 'true' }).length > 0;
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
