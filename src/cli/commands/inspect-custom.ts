/**
 * `stellar inspect custom --metrics FE.prom [--metrics …] [--be-metrics BE.prom …] --config FILE`:
 * what each `[[custom_metrics]]` of the config file gives on captured `/metrics` output, the
 * series it matched on each node, and its warnings, as JSON: a definition is tried on a real
 * cluster's capture before it is deployed.
 */
import { CustomCounterMemory, customMetricValues, type NodeMetrics } from '../../collector/custom-metric-values.js';
import { MetricReader } from '../../collector/metric-reader.js';
import { loadConfig } from '../../config/sources.js';
import { StellarError } from '../../errors.js';
import { ENGINES, type Engine } from '../../shared/cluster-kinds.js';
import { parsePrometheusText } from '../../starrocks/parse/prometheus-text.js';
import type { ParsedCommandLine } from '../args.js';
import type { CliIO } from '../io.js';

const list = (value: string | boolean | string[] | undefined): string[] => (Array.isArray(value) ? value : typeof value === 'string' ? [value] : []);

export function inspectCustom(line: ParsedCommandLine, io: CliIO, readInput: (path: string, what: string) => string): Record<string, unknown> {
  const loaded = loadConfig({ configPath: line.configPath, explicit: line.configPath !== undefined, env: io.env, flags: line.configFlags });
  const metrics = loaded.customMetrics ?? [];
  if (metrics.length === 0) throw new StellarError('STELLAR_ERR_USAGE', `stellar inspect custom found no [[custom_metrics]] in ${loaded.file ?? 'the configuration (no config file: give --config FILE)'}`);
  const engine = typeof line.options.engine === 'string' ? line.options.engine : 'starrocks';
  if (!(ENGINES as readonly string[]).includes(engine)) throw new StellarError('STELLAR_ERR_USAGE', `--engine ${engine} is not accepted; accepted: ${ENGINES.join(', ')}`);
  const now = Date.now();
  const read = (flag: string) => list(line.options[flag]).map((path): NodeMetrics => ({ node: path, metrics: parsePrometheusText(readInput(path, `--${flag}`)), at: now }));
  const fes = read('metrics');
  const bes = read('be-metrics');
  if (fes.length + bes.length === 0) throw new StellarError('STELLAR_ERR_USAGE', 'stellar inspect custom needs at least one --metrics FILE (an FE) or --be-metrics FILE (a BE)');
  // The leader as a collection finds it without the frontends list: the FE whose /metrics says so, else the first.
  const leader = fes.find((fe) => new MetricReader(fe.metrics, engine as Engine).claimsLeadership()) ?? fes[0] ?? null;
  const { values, warnings } = customMetricValues(metrics, { fes, leader, bes }, new CustomCounterMemory());
  return {
    note: 'one capture per node: rate and delta metrics need two collections and are null here',
    leader: leader?.node ?? null,
    metrics: metrics.map((m) => ({ name: m.name, source: m.source, family: m.family, labels: m.labels, aggregate: m.aggregate, kind: m.kind, unit: m.unit, value: values[m.name] ?? null })),
    warnings,
  };
}
