/**
 * RawScrape + what was remembered from the previous collection → one snapshot (every field of
 * the catalogue) and the memory for the next one. Pure: no clock, no I/O. It knows no field by
 * name: each catalogue entry says how its value is read or computed (src/shared/fields/), and
 * this module carries out those rules. The tests hold the result to the simulator's ground truth.
 */
import type { Counter, EngineSeries, FieldInputs, FieldSpec, FieldValue, ScrapedNode, SeriesRead } from '../shared/fields/field-spec.js';
import { countersOf } from '../shared/fields/field-spec.js';
import { sumOf } from '../shared/fields/nullable-math.js';
import { type CollectStatus, type FieldCatalogue, SNAPSHOT_FIELDS, type SnapshotValues } from '../shared/snapshot-fields.js';
import { type NodeMemory, readCounters, sumIncrease, sumRate } from './counters.js';
import { MetricReader } from './metric-reader.js';
import type { RawScrape, SourceFailure } from './raw-scrape.js';

export interface CounterMemory {
  readonly fes: ReadonlyMap<string, NodeMemory>;
  readonly bes: ReadonlyMap<string, NodeMemory>;
}

export const EMPTY_MEMORY: CounterMemory = { fes: new Map(), bes: new Map() };

export interface BuiltSnapshot {
  /** Every field of the catalogue (typed as the built-in one's). */
  readonly values: SnapshotValues;
  readonly status: CollectStatus;
  /**
   * The scrape's failed sources, then a note per field that came out infinite (stored as null):
   * what the row's `failed_sources` holds.
   */
  readonly failures: readonly SourceFailure[];
  /** To remember once the snapshot is stored, for the next collection. */
  readonly memory: CounterMemory;
}

interface Node extends ScrapedNode {
  readonly metrics: MetricReader;
}

/** The counters a catalogue names, split by node, worked out once per catalogue. */
const countersByCatalogue = new WeakMap<FieldCatalogue, { fe: Counter[]; be: Counter[]; keys: Set<string> }>();
function countersFor(fields: FieldCatalogue) {
  let found = countersByCatalogue.get(fields);
  if (!found) {
    const all = countersOf(fields);
    found = { fe: all.filter((c) => c.node === 'fe'), be: all.filter((c) => c.node === 'be'), keys: new Set(all.map((c) => c.key)) };
    countersByCatalogue.set(fields, found);
  }
  return found;
}

export function buildSnapshot(raw: RawScrape, memory: CounterMemory, fields: FieldCatalogue = SNAPSHOT_FIELDS): BuiltSnapshot {
  const counters = countersFor(fields);
  const fes: Node[] = raw.fes.map((fe) => ({ key: fe.key, metrics: new MetricReader(fe.metrics, raw.engine) }));
  const bes: Node[] | null = raw.bes === null ? null : raw.bes.map((be) => ({ key: be.key, metrics: new MetricReader(be.metrics, raw.engine) }));
  const feNow = new Map(raw.fes.map((fe, i) => [fe.key, { atMs: fe.atMs, counters: readCounters(fes[i]!.metrics, counters.fe) }]));
  const beNow = new Map((raw.bes ?? []).map((be, i) => [be.key, { atMs: be.atMs, counters: readCounters(bes![i]!.metrics, counters.be) }]));
  const nowOf = (c: Counter) => (c.node === 'fe' ? feNow : beNow);
  const beforeOf = (c: Counter) => (c.node === 'fe' ? memory.fes : memory.bes);
  const declared = (c: Counter): Counter => {
    // A custom computation reads only the counters it names, so the memory holds them.
    if (!counters.keys.has(c.key)) throw new Error(`counter ${c.key} is read by a field that does not name it in its counters`);
    return c;
  };
  // Leader-only families, from the FE that says it leads (or that the frontends list names).
  const leaderIndex = raw.fes.findIndex((_, i) => fes[i]!.metrics.claimsLeadership());
  const leader = fes[leaderIndex >= 0 ? leaderIndex : raw.fes.findIndex((fe) => fe.leaderInList)] ?? null;
  const seenBefore = fes.some((fe) => memory.fes.has(fe.key));

  const inputs: FieldInputs = {
    engine: raw.engine,
    collectedAt: raw.collectedAt,
    fes,
    leader,
    bes,
    frontends: raw.frontends,
    backends: raw.backends,
    computeNodes: raw.computeNodes,
    runtime: raw.runtime,
    read: (node, series) => (node as Node).metrics.read(series),
    increase: (c) => sumIncrease(nowOf(declared(c)), beforeOf(c), c.key),
    fesWhereMoved: (c) => {
      declared(c);
      if (!seenBefore) return fes;
      return fes.filter((fe) => {
        const before = memory.fes.get(fe.key)?.counters[c.key];
        const now = feNow.get(fe.key)?.counters[c.key];
        return before !== undefined && before !== null && now !== undefined && now !== null && now !== before;
      });
    },
  };

  const evaluate = (spec: FieldSpec, values: Readonly<Record<string, FieldValue>>): FieldValue => {
    const v = spec.value;
    switch (v.type) {
      case 'fe_rate': {
        if (fes.length === 0) return null;
        const measured = sumRate(feNow, memory.fes, v.counter.key);
        const firstSeen = fes.filter((fe) => !measured.nodes.has(fe.key)).map((fe) => fe.metrics.read(v.firstGauge));
        return measured.rate + (sumOf(firstSeen) ?? 0);
      }
      case 'delta':
        return sumIncrease(nowOf(v.counter), beforeOf(v.counter), v.counter.key);
      case 'be_rate': {
        if (bes === null || bes.length === 0) return null;
        const measured = sumRate(beNow, memory.bes, v.counter.key);
        return measured.nodes.size === 0 ? null : measured.rate;
      }
      case 'fe_sum':
        return sumOf(fes.map((fe) => fe.metrics.read(v.read)));
      case 'be_sum':
        return bes === null || bes.length === 0 ? null : sumOf(bes.map((be) => be.metrics.read(v.read)));
      case 'leader': {
        if (!leader) return null;
        const own = v.leaderLabel ? leader.metrics.read(withLeaderLabel(v.read)) : null;
        return own ?? leader.metrics.read(v.read);
      }
      case 'derived':
        return v.derive(Object.fromEntries(v.inputs.map((name) => [name, numberOrNull(values[name])])));
      case 'custom':
        return v.compute(inputs);
    }
  };

  const values: Record<string, FieldValue> = {};
  const notes: SourceFailure[] = [];
  /**
   * Every field is a gauge, rate, count or ratio: none can be infinite. ±Inf (an FE's `+Inf`, or
   * `1e400`) is stored as null with a note; NaN, which Prometheus text uses for "no value", as null.
   * So the database, the JSON and the CSV all hold the same null.
   */
  const finite = (name: string, value: FieldValue): FieldValue => {
    if (typeof value !== 'number' || Number.isFinite(value)) return value;
    if (!Number.isNaN(value)) {
      notes.push({ source: `field ${name}`, kind: 'malformed', message: `the cluster's figures make ${value > 0 ? '+Inf' : '-Inf'}; stored as null (the field is never infinite)` });
    }
    return null;
  };
  for (const spec of fields) if (spec.value.type !== 'derived') values[spec.name] = finite(spec.name, evaluate(spec, values));
  for (const spec of fields) if (spec.value.type === 'derived') values[spec.name] = finite(spec.name, evaluate(spec, values));

  const failures = [...raw.failures, ...notes];
  const anything = raw.fes.length > 0 || raw.frontends !== null || raw.backends !== null || raw.computeNodes !== null;
  const status: CollectStatus = !anything ? 'failed' : failures.length > 0 ? 'partial' : 'ok';
  // An FE not scraped this time keeps its last reading, so its next answer still yields an increase.
  const fesMemory = new Map(memory.fes);
  for (const [key, value] of feNow) fesMemory.set(key, value);
  const besMemory = new Map(memory.bes);
  for (const [key, value] of beNow) besMemory.set(key, value);
  return { values: values as SnapshotValues, status, failures, memory: { fes: fesMemory, bes: besMemory } };
}

const numberOrNull = (v: FieldValue | undefined): number | null => (typeof v === 'number' ? v : null);

/** The series restricted to the FE's `is_leader="true"` samples; made once per catalogue series, so the reader's compiled form is reused. */
const leaderLabelled = new WeakMap<EngineSeries, EngineSeries>();
function withLeaderLabel(series: EngineSeries): EngineSeries {
  const known = leaderLabelled.get(series);
  if (known) return known;
  const add = (s: SeriesRead | null): SeriesRead | null => (s === null ? null : { ...s, labels: { ...s.labels, is_leader: 'true' } });
  const labelled = { starrocks: add(series.starrocks), doris: add(series.doris) };
  leaderLabelled.set(series, labelled);
  return labelled;
}
