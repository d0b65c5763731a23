/**
 * `npm run bench`: runs every benchmark in turn and prints its figures as ratios to a baseline
 * measured in the same run. Results are recorded in docs/BENCHMARKS.md. Machines differ: compare
 * ratios, not absolute numbers, and run on an otherwise idle machine.
 *
 * `npm run bench -- NAME [ARGS…]` runs one, passing it the arguments after its name. The fleet,
 * reads and trend-blocks benchmarks run only when named: they take many minutes (a week of
 * snapshots is built for the last two), and install Prometheus or wrk.
 */
import { cpus } from 'node:os';
import { basicAuthBench } from './basic-auth.bench.js';
import { collectProfileBench } from './collect-profile.bench.js';
import { collectionStateBench } from './collection-state.bench.js';
import { fleetBench } from './fleet.bench.js';
import { fleetSparklineBench } from './fleet-sparkline.bench.js';
import { overviewBench } from './overview.bench.js';
import { readsBench } from './reads.bench.js';
import { prometheusExportBench } from './prometheus-export.bench.js';
import { prometheusParserBench } from './prometheus-parser.bench.js';
import { simulatorBench } from './simulator.bench.js';
import { tierCustomFiguresBench } from './tier-custom-figures.bench.js';
import { trendBlocksBench } from './trend-blocks.bench.js';
import { writePathBench } from './write-path.bench.js';

console.log(`node ${process.version}, ${cpus().length} × ${cpus()[0]?.model ?? 'unknown CPU'}\n`);
const [only, ...args] = process.argv.slice(2);
const benches: Record<string, (args: readonly string[]) => Promise<string>> = {
  'basic-auth': basicAuthBench,
  overview: overviewBench,
  'prometheus-parser': prometheusParserBench,
  'prometheus-export': prometheusExportBench,
  simulator: simulatorBench,
  'collect-profile': collectProfileBench,
  'collection-state': collectionStateBench,
  'write-path': writePathBench,
  'tier-custom-figures': tierCustomFiguresBench,
  fleet: fleetBench,
  'fleet-sparkline': fleetSparklineBench,
  reads: readsBench,
  'trend-blocks': trendBlocksBench,
};
const onlyWhenNamed = new Set(['fleet', 'reads', 'trend-blocks']);
if (only !== undefined && !(only in benches)) {
  console.error(`no benchmark "${only}"; there are: ${Object.keys(benches).join(', ')}`);
  process.exit(2);
}
for (const [name, bench] of Object.entries(benches)) {
  if (only === undefined ? onlyWhenNamed.has(name) : name !== only) continue;
  console.log(await bench(args));
  console.log();
}
if (only === undefined) console.log(`not run unless named: ${[...onlyWhenNamed].map((n) => `npm run bench -- ${n}`).join(', ')}`);
