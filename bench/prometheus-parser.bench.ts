/**
 * parsePrometheusText against the npm baseline, `parse-prometheus-text-format` 1.1.1, and against
 * the floor of only splitting the text into lines, on the same ~1 MB payload in the same run.
 *
 * The payload: simulated StarRocks FE bodies (versions 3.2, 3.3, 3.5 and 4.0 in turn, 20 BEs each:
 * JVM block, per-BE and per-database families, summaries, 3.5's split families), concatenated
 * until ~1 MB, i.e. ~55 bodies of ~18 KB. Every series gets an `fe` label naming its body, as a
 * federation endpoint would add, so that all ~11,000 series stay distinct and both parsers build
 * every sample. Families keep their names, so each family recurs once per body, as in a split payload.
 *
 * The baseline throws on three features of real FE text (the double space of `# TYPE  jvm_…`,
 * `", "` between labels, the empty `# HELP name ` of summaries), so the comparison runs on text
 * with those rewritten. A second run parses the text as the FE serves it, with its duplicate
 * series and split families, where only the floor can be compared.
 */
import parsePrometheusTextFormat from 'parse-prometheus-text-format';
import { ClusterModel } from '../src/simulator/cluster-model.js';
import { type MetricsQuirks, renderFeMetrics } from '../src/simulator/render-fe-metrics.js';
import type { SimVersion } from '../src/simulator/versions.js';
import { parsePrometheusText } from '../src/starrocks/parse/prometheus-text.js';
import { measure, type Measurement, report } from './harness.js';

const NOW = Date.UTC(2026, 10, 24, 12);
const VERSIONS: readonly SimVersion[] = ['3.3', '3.5', '4.0', '3.2'];

/** FE bodies as served, each series labelled with its body's `fe`, until `targetBytes`. */
function feBodies(targetBytes: number, quirks: MetricsQuirks): string {
  const bodies: string[] = [];
  let size = 0;
  for (let n = 0; size < targetBytes; n += 1) {
    const version = VERSIONS[n % VERSIONS.length] ?? '3.3';
    const model = new ClusterModel({ name: `c${n}`, engine: 'starrocks', mode: 'shared_nothing', version, fes: 3, bes: 20, seed: n, latencyGauges: true, beMetrics: false }, 'root', '', NOW);
    const body = renderFeMetrics(model, n % 3, NOW, quirks)
      .split('\n')
      .map((line) => (line === '' || line.startsWith('#') ? line : line.includes('{') ? line.replace('{', `{fe="fe-${n}", `) : line.replace(' ', `{fe="fe-${n}"} `)))
      .join('\n');
    bodies.push(body);
    size += body.length;
  }
  return bodies.join('');
}

/** The comparison payload: FE bodies without the three features the baseline cannot read. */
export function realisticPayload(targetBytes = 1_000_000): string {
  return feBodies(targetBytes, { duplicates: false, splitFamilies: false })
    .replace(/^# (HELP|TYPE) {2}/gm, '# $1 ')
    .replace(/", /g, '",')
    .replace(/^(# HELP \S+) $/gm, '$1 summary');
}

/** `measure` times promises; these operations are synchronous. */
const sync = (op: () => unknown) => (): Promise<unknown> => Promise.resolve(op());
const megabytes = (text: string): number => Buffer.byteLength(text) / 1e6;
const throughput = (mb: number, ms: readonly Measurement[]): string =>
  `  throughput: ${ms.map((m) => `${m.name} ${(m.opsPerSecond * mb).toFixed(0)} MB/s`).join(', ')}`;

export async function prometheusParserBench(): Promise<string> {
  const payload = realisticPayload();
  const mb = megabytes(payload);
  const parsed = parsePrometheusText(payload);
  const baseline = await measure('parse-prometheus-text-format 1.1.1', sync(() => parsePrometheusTextFormat(payload)));
  const floor = await measure('split lines only (floor)', sync(() => payload.split('\n')));
  const ours = await measure('parsePrometheusText', sync(() => parsePrometheusText(payload)));

  const served = feBodies(1_000_000, { duplicates: true, splitFamilies: true });
  const servedMb = megabytes(served);
  const servedParsed = parsePrometheusText(served);
  const servedFloor = await measure('split lines only (floor)', sync(() => served.split('\n')));
  const servedOurs = await measure('parsePrometheusText', sync(() => parsePrometheusText(served)));

  return [
    report(`Prometheus text parsing, ${mb.toFixed(2)} MB of FE bodies, ${parsed.sampleCount} samples (ops = whole payloads/s)`, baseline, [floor, ours]),
    throughput(mb, [baseline, floor, ours]),
    '',
    report(
      `The same FE bodies as served (", ", double-space headers, empty HELP, ${servedParsed.duplicates} duplicates, split families), ${servedMb.toFixed(2)} MB`,
      servedFloor,
      [servedOurs],
    ),
    throughput(servedMb, [servedFloor, servedOurs]),
  ].join('\n');
}
