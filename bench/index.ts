/**
 * `npm run bench`: runs every benchmark in turn and prints its figures as ratios to a baseline
 * measured in the same run. Results are recorded in docs/BENCHMARKS.md. Machines differ: compare
 * ratios, not absolute numbers, and run on an otherwise idle machine.
 */
import { cpus } from 'node:os';
import { basicAuthBench } from './basic-auth.bench.js';
import { overviewBench } from './overview.bench.js';
import { prometheusParserBench } from './prometheus-parser.bench.js';
import { simulatorBench } from './simulator.bench.js';

console.log(`node ${process.version}, ${cpus().length} × ${cpus()[0]?.model ?? 'unknown CPU'}\n`);
const only = process.argv[2];
const benches = { 'basic-auth': basicAuthBench, overview: overviewBench, 'prometheus-parser': prometheusParserBench, simulator: simulatorBench };
for (const [name, bench] of Object.entries(benches)) {
  if (only !== undefined && name !== only) continue;
  console.log(await bench());
  console.log();
}
