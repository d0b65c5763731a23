/**
 * Reading numbers out of one parsed `/metrics` body: a catalogue series (family, label
 * matchers, sum or first) by the engine's family name, and whether the FE says it leads.
 *
 * A family's total is its series with no labels beyond the matchers, when it prints one: the
 * other series of such a family are breakdowns of that total, never added to it. Doris prints
 * an unlabelled `doris_fe_query_total` and one `{user}` series per user beside it
 * (apache/doris#22125; also `query_err`, `connection_total` since #39200, `txn_num` per `{db}`),
 * and in compute-storage mode one `{cluster_id, cluster_name}` series per compute group
 * (`MetricRepo.registerCloudMetrics`); its registry keeps a family's series in a HashMap, so no
 * order is promised and the total is found wherever it is. Without such a series the matching series are the parts of
 * the figure: StarRocks 3.3+ prints only `connection_total{user}` (PR #51226), and
 * `table_num{db_name}`, `tablet_num{backend}`, `job{job,type,state}` have no total at all.
 *
 * Each catalogue series is turned once per engine into its family name and a list of label
 * tests (`compiledRead`), so a read walks the family's samples without building a name, an
 * entries list or an array of matches: the builder reads a few dozen series from every FE of
 * every cluster every interval.
 */
import { type EngineSeries, familyName, type LabelMatch, type SeriesRead } from '../shared/fields/field-spec.js';
import type { Engine } from '../shared/cluster-kinds.js';
import type { ParsedMetrics, Sample } from '../starrocks/parse/prometheus-text.js';

/** A series read as the reader carries it out: the full family name and the label tests. */
interface CompiledRead {
  readonly name: string;
  readonly keys: readonly string[];
  readonly wanted: readonly (string | readonly string[])[];
  readonly first: boolean;
}

const compiledReads = new WeakMap<SeriesRead, Partial<Record<Engine, CompiledRead>>>();

function compiledRead(series: SeriesRead, engine: Engine): CompiledRead {
  let byEngine = compiledReads.get(series);
  if (byEngine === undefined) compiledReads.set(series, (byEngine = {}));
  return (byEngine[engine] ??= compile(familyName(series, engine), series.labels, series.pick === 'first'));
}

function compile(name: string, match: LabelMatch, first: boolean): CompiledRead {
  const entries = Object.entries(match);
  return { name, keys: entries.map(([key]) => key), wanted: entries.map(([, wanted]) => wanted), first };
}

export class MetricReader {
  constructor(
    private readonly metrics: ParsedMetrics,
    private readonly engine: Engine,
  ) {}

  /**
   * The series' value on this node: the family's total when it prints one (the matching sample
   * with no other labels), else Σ or the first of the matching samples; null when none match.
   */
  read(series: EngineSeries): number | null {
    const s = series[this.engine];
    if (s === null) return null;
    const read = compiledRead(s, this.engine);
    const family = this.metrics.family(read.name);
    if (!family) return null;
    let total = 0;
    let first: number | null = null;
    for (const sample of family.samples) {
      if (sample.name !== read.name || !matches(sample, read)) continue;
      if (hasOnlyMatchedLabels(sample, read)) return sample.value;
      first ??= sample.value;
      total += sample.value;
    }
    return first === null ? null : read.first ? first : total;
  }

  /** Samples of the family `fullName` (its own sample name, not `_sum`/`_count`). */
  samples(fullName: string, match: LabelMatch = {}): Sample[] {
    const family = this.metrics.family(fullName);
    if (!family) return [];
    const read = compile(fullName, match, false);
    return family.samples.filter((s) => s.name === fullName && matches(s, read));
  }

  /** This FE says it is the leader: `node_info{type="is_master"}` or `is_leader="true"` labels. */
  claimsLeadership(): boolean {
    if (this.samples('node_info', { type: 'is_master' })[0]?.value === 1) return true;
    const fe = `${this.engine}_fe_`;
    return this.samples(`${fe}max_tablet_compaction_score`, { is_leader: 'true' }).length > 0 || this.samples(`${fe}txn_begin`, { is_leader: 'true' }).length > 0;
  }
}

/** No label besides the matched ones (a matching sample has all of those), counted without building a keys array. */
function hasOnlyMatchedLabels(sample: Sample, read: CompiledRead): boolean {
  const most = read.keys.length;
  let count = 0;
  for (const key in sample.labels) if (Object.hasOwn(sample.labels, key) && ++count > most) return false;
  return true;
}

function matches(sample: Sample, read: CompiledRead): boolean {
  const { keys, wanted } = read;
  for (let i = 0; i < keys.length; i += 1) {
    const value = sample.labels[keys[i]!];
    if (value === undefined) return false;
    const w = wanted[i]!;
    if (typeof w === 'string' ? value !== w : !w.includes(value)) return false;
  }
  return true;
}
