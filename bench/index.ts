/**
 * `npm run bench`: runs every benchmark in turn and prints its figures as ratios to a baseline
 * measured in the same run. Results are recorded in docs/BENCHMARKS.md. Machines differ: compare
 * ratios, not absolute numbers, and run on an otherwise idle machine.
 */
import { cpus } from 'node:os';
import { basicAuthBench } from './basic-auth.bench.js';

console.log(`node ${process.version}, ${cpus().length} × ${cpus()[0]?.model ?? 'unknown CPU'}\n`);
for (const bench of [basicAuthBench]) {
  console.log(await bench());
  console.log();
}
