/**
 * How a snapshot field is defined: its unit, kind and column type, and how its value is read
 * or computed, per engine. One entry per field (src/shared/fields/*-fields.ts); the snapshot
 * builder evaluates the entries, the storage creates a column for each, the daily roll-up and
 * the docs read their kind, and the counters the collector remembers between collections are
 * the ones the entries name. Pure data and pure functions: the console imports it too.
 */
import type { Engine } from '../cluster-kinds.js';
import type { FrontendRow, NodeRow } from '../node-rows.js';

/**
 * - `gauge`: a level at collection time.
 * - `rate`: a counter read as per second over the interval since the previous collection,
 *   each node over its own interval.
 * - `delta`: a counter's increase during that interval (events in the interval).
 * - `total`: a cumulative counter as the nodes report it (it drops when a node restarts).
 * - `derived`: computed from other fields of the same snapshot, and recomputed the same way
 *   from their aggregates (a day's error share is its errors ÷ its queries).
 * - `info`: a label.
 */
export type FieldKind = 'gauge' | 'rate' | 'delta' | 'total' | 'derived' | 'info';

/** The SQL type of the field's column (the same words on SQLite and PostgreSQL). */
export type ColumnType = 'double precision' | 'bigint' | 'text';

export type FieldGroup = 'Queries' | 'Nodes' | 'Resources of alive backends and compute nodes' | 'Storage and compaction' | 'FE JVM' | 'Transactions and loads' | 'Network and disk IO';

export type LabelMatch = Readonly<Record<string, string | readonly string[]>>;

/** Which families' names carry the engine's prefix: `starrocks_fe_`/`doris_fe_`, `…_be_`, or none (JVM). */
export type FamilyPrefix = 'fe' | 'be' | 'none';

/**
 * One number out of one node's `/metrics`: the family (without the engine prefix), the label
 * matchers, and whether the matching series are summed or the first one taken.
 */
export interface SeriesRead {
  readonly family: string;
  readonly prefix: FamilyPrefix;
  readonly labels: LabelMatch;
  readonly pick: 'sum' | 'first';
}

/** A series per engine; null where the engine has no such family. */
export type EngineSeries = Readonly<Record<Engine, SeriesRead | null>>;

/** A cumulative counter the collector remembers per node between collections. */
export interface Counter {
  /** Unique per counter: the memory is keyed by it. */
  readonly key: string;
  readonly node: 'fe' | 'be';
  readonly read: EngineSeries;
}

/** What a custom computation can read: one collection's inputs and the counters' arithmetic. */
export interface FieldInputs {
  readonly engine: Engine;
  /** When the collection started (epoch ms). */
  readonly collectedAt: number;
  /** FEs whose `/metrics` answered. */
  readonly fes: readonly ScrapedNode[];
  /** The FE that says it leads (else the one the frontends list calls LEADER), if it answered. */
  readonly leader: ScrapedNode | null;
  /** BEs whose `/metrics` answered; null when BE scraping is off. */
  readonly bes: readonly ScrapedNode[] | null;
  readonly frontends: readonly FrontendRow[] | null;
  readonly backends: readonly NodeRow[] | null;
  readonly computeNodes: readonly NodeRow[] | null;
  /** FEs' runtime info, when that source is on. */
  readonly runtime: readonly { readonly key: string; readonly info: RuntimeHeap }[] | null;
  /** A series of one node's `/metrics`, by the engine's family name; null when absent. */
  read(node: ScrapedNode, series: EngineSeries): number | null;
  /** Σ over nodes seen now and at the previous collection of the counter's increase; null when none was seen twice. */
  increase(counter: Counter): number | null;
  /** FEs whose counter moved since the previous collection (every FE on a first collection). */
  fesWhereMoved(counter: Counter): readonly ScrapedNode[];
}

export interface ScrapedNode {
  /** `host:http_port`. */
  readonly key: string;
  /** Opaque to the catalogue: read through `FieldInputs.read`. */
  readonly metrics: unknown;
}

export interface RuntimeHeap {
  readonly total_mem: number;
  readonly free_mem: number;
  readonly max_mem: number;
}

export type FieldValue = number | string | null;

/** How a field's value comes about. The first seven are read by rule; `custom` by its function. */
export type Computation =
  /** Σ of per-FE rates over each FE's own interval; an FE seen for the first time offers its gauge. */
  | { readonly type: 'fe_rate'; readonly counter: Counter; readonly firstGauge: EngineSeries }
  /** Σ of the counter's increase over nodes seen both times. */
  | { readonly type: 'delta'; readonly counter: Counter }
  /** Σ of per-BE rates; null without BE scraping. */
  | { readonly type: 'be_rate'; readonly counter: Counter }
  /** Σ over scraped FEs. */
  | { readonly type: 'fe_sum'; readonly read: EngineSeries }
  /** Σ over scraped BEs; null without BE scraping. */
  | { readonly type: 'be_sum'; readonly read: EngineSeries }
  /** The leader's value; with `leaderLabel`, its `is_leader="true"` series when it has one. */
  | { readonly type: 'leader'; readonly read: EngineSeries; readonly leaderLabel: boolean }
  /** From other fields of the snapshot (or of an aggregate: a day's totals). */
  | { readonly type: 'derived'; readonly inputs: readonly string[]; readonly derive: (values: Readonly<Record<string, number | null>>) => number | null }
  | { readonly type: 'custom'; readonly counters: readonly Counter[]; readonly compute: (inputs: FieldInputs) => FieldValue };

/** Where the docs say a value comes from, when the computation cannot say it by itself. */
export interface FieldDoc {
  /** The StarRocks source; for rule-read fields it is written from the series. */
  readonly source?: string;
  /** The Doris source; null: not available on Doris. Default: as StarRocks, or written from the series. */
  readonly doris?: string | null;
  readonly formula?: string;
}

/**
 * How a day (and any coarser bucket) keeps a field: `stats` its average, minimum, maximum and
 * 95th percentile; `recompute` a derived field from its inputs' aggregates (deltas are always
 * summed). Null: not kept in daily rows.
 */
export type DailyMode = 'stats' | 'recompute';

export interface FieldSpec<N extends string = string, C extends ColumnType = ColumnType, K extends FieldKind = FieldKind, D extends DailyMode | null = DailyMode | null> {
  readonly name: N;
  readonly unit: string;
  readonly kind: K;
  readonly column: C;
  readonly group: FieldGroup;
  readonly value: Computation;
  readonly daily: D;
  readonly doc: FieldDoc;
}

// Constructors: the catalogue reads as a list of one-line entries.

const read = (family: string, prefix: FamilyPrefix, labels: LabelMatch, pick: 'sum' | 'first'): SeriesRead => ({ family, prefix, labels, pick });

/** The same family on both engines (`starrocks_fe_<family>`, `doris_fe_<family>`). */
export function bothEngines(series: SeriesRead): EngineSeries {
  return { starrocks: series, doris: series };
}

/** A figure whose family differs by engine: the StarRocks series of one, the Doris series of the other. */
export function byEngine(starrocks: EngineSeries, doris: EngineSeries): EngineSeries {
  return { starrocks: starrocks.starrocks, doris: doris.doris };
}

/** A StarRocks series Doris has no family for: the field is null on Doris, never a made-up 0. */
export function starrocksOnly(series: EngineSeries): EngineSeries {
  return { starrocks: series.starrocks, doris: null };
}

/** Σ of the FE family's matching series. */
export const feSum = (family: string, labels: LabelMatch = {}): EngineSeries => bothEngines(read(family, 'fe', labels, 'sum'));
/** The FE family's first matching series. */
export const feFirst = (family: string, labels: LabelMatch = {}): EngineSeries => bothEngines(read(family, 'fe', labels, 'first'));
/** An unprefixed JVM family's first matching series. */
export const jvmFirst = (family: string, labels: LabelMatch = {}): EngineSeries => bothEngines(read(family, 'none', labels, 'first'));
/** Σ of the BE family's matching series (over devices, modes…). */
export const beSum = (family: string, labels: LabelMatch = {}): EngineSeries => bothEngines(read(family, 'be', labels, 'sum'));

export function counter(node: 'fe' | 'be', series: EngineSeries): Counter {
  return { key: `${node}:${describeSeries(series.starrocks ?? series.doris, 'starrocks')}`, node, read: series };
}

/** The full family name a series is printed under by the engine. */
export function familyName(series: SeriesRead, engine: Engine): string {
  return series.prefix === 'none' ? series.family : `${engine}_${series.prefix}_${series.family}`;
}

/** `starrocks_fe_job{job="load", state="PENDING"|"ETL"}`: the series as the docs show it. */
export function describeSeries(series: SeriesRead | null, engine: Engine): string {
  if (series === null) return '';
  const labels = Object.entries(series.labels).map(([k, v]) => `${k}=${typeof v === 'string' ? `"${v}"` : v.map((x) => `"${x}"`).join('|')}`);
  return `${familyName(series, engine)}${labels.length > 0 ? `{${labels.join(', ')}}` : ''}`;
}

export function field<const N extends string, const C extends ColumnType, const K extends FieldKind, const D extends DailyMode | null = null>(
  name: N,
  spec: { unit: string; kind: K; column: C; group: FieldGroup; value: Computation; daily?: D; doc?: FieldDoc },
): FieldSpec<N, C, K, D> {
  return { name, unit: spec.unit, kind: spec.kind, column: spec.column, group: spec.group, value: spec.value, daily: (spec.daily ?? null) as D, doc: spec.doc ?? {} };
}

/** Every counter the fields name, once each: what the collector remembers per node. */
export function countersOf(fields: readonly FieldSpec[]): Counter[] {
  const found = new Map<string, Counter>();
  const add = (c: Counter) => found.set(c.key, c);
  for (const f of fields) {
    const v = f.value;
    if (v.type === 'fe_rate' || v.type === 'delta' || v.type === 'be_rate') add(v.counter);
    if (v.type === 'custom') v.counters.forEach(add);
  }
  return [...found.values()];
}
