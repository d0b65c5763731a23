/**
 * What docs/metrics.md says of a field: its source on each engine and its computation, written
 * from the field's own computation where it is read by rule, so the docs cannot drift from
 * what the collector does.
 */
import type { Engine } from '../cluster-kinds.js';
import { type Computation, describeSeries, type EngineSeries, type FieldSpec } from './field-spec.js';

export interface FieldDocText {
  readonly starrocks: string;
  /** Null: not available on Doris. */
  readonly doris: string | null;
  readonly formula: string;
}

const FE = 'FE `/metrics`';
const BE = 'BE `/metrics` (only with the `be_metrics` source)';
const INCREASE = 'the increase (a counter that went down counts its new value)';

function seriesSource(where: string, series: EngineSeries, engine: Engine): string | null {
  const s = series[engine];
  return s === null ? null : `${where} \`${describeSeries(s, engine)}\``;
}

function ruleSource(value: Computation, engine: Engine): string | null {
  switch (value.type) {
    case 'fe_rate':
      return seriesSource(FE, value.counter.read, engine)?.concat(', every alive FE') ?? null;
    case 'delta':
      return seriesSource(value.counter.node === 'fe' ? FE : BE, value.counter.read, engine);
    case 'be_rate':
      return seriesSource(BE, value.counter.read, engine);
    case 'fe_sum':
      return seriesSource(FE, value.read, engine);
    case 'be_sum':
      return seriesSource(BE, value.read, engine);
    case 'leader':
      return seriesSource(`${FE} of the leader`, value.read, engine);
    case 'derived':
      return `derived from ${value.inputs.map((i) => `\`${i}\``).join(' and ')}`;
    case 'custom':
      return null;
  }
}

function ruleFormula(value: Computation): string {
  switch (value.type) {
    case 'fe_rate': {
      const gauge = value.firstGauge.starrocks;
      return `Σ over FEs scraped now and at the previous collection of ${INCREASE} ÷ that FE's seconds between its two answers; an FE scraped for the first time adds its \`${describeSeries(gauge, 'starrocks')}\` gauge`;
    }
    case 'delta':
      return `Σ over ${value.counter.node === 'fe' ? 'FEs' : 'BEs'} scraped now and at the previous collection of ${INCREASE}`;
    case 'be_rate':
      return `Σ over BEs scraped now and at the previous collection of ${INCREASE} ÷ that BE's seconds between its two answers`;
    case 'fe_sum':
      return 'Σ over scraped FEs';
    case 'be_sum':
      return 'Σ over alive BEs (and their devices)';
    case 'leader':
      if (value.leaderLabel) return 'the leader\'s value (its `is_leader="true"` series where the FE labels them)';
      return value.read.starrocks?.pick === 'sum' ? 'Σ of the series on the leader' : "the leader's value";
    case 'derived':
    case 'custom':
      return '';
  }
}

export function fieldDocText(spec: FieldSpec): FieldDocText {
  const starrocks = spec.doc.source ?? ruleSource(spec.value, 'starrocks');
  const formula = spec.doc.formula ?? ruleFormula(spec.value);
  if (!starrocks || !formula) throw new Error(`snapshot field ${spec.name} needs doc.source and doc.formula: its computation cannot describe itself`);
  const doris = spec.doc.doris !== undefined ? spec.doc.doris : spec.doc.source !== undefined ? spec.doc.source.replaceAll('starrocks_', 'doris_') : ruleSource(spec.value, 'doris');
  return { starrocks, doris, formula };
}

/** A field in one line, e.g. "queries/s, rate: Σ over FEs …": the API spec's description and the `# HELP` of its /federate gauge. */
export function fieldDescription(spec: FieldSpec): string {
  return `${spec.unit ? `${spec.unit}, ` : ''}${spec.kind}: ${fieldDocText(spec).formula}`;
}
