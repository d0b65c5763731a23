/**
 * `stellar simulate`: start simulated StarRocks/Doris clusters on 127.0.0.1 and print how to
 * reach them (or write it as JSON with --out), until SIGINT or SIGTERM.
 */
import { writeFileSync } from 'node:fs';
import { StellarError } from '../../errors.js';
import { FaultSpecError } from '../../simulator/faults.js';
import { FleetOptionError, type FleetOptions, startSimulatedFleet } from '../../simulator/fleet.js';
import type { SimClusterDetails } from '../../simulator/simulated-cluster.js';
import { SIM_DORIS_VERSIONS, SIM_ENGINES, SIM_MODES, SIM_NODE_KINDS, SIM_VERSIONS } from '../../simulator/versions.js';
import type { ParsedCommandLine } from '../args.js';
import type { CliIO } from '../io.js';
import { runUntilSignal } from '../wait-for-signal.js';

export async function simulateCommand(line: ParsedCommandLine, io: CliIO): Promise<number> {
  const options = fleetOptions(line.options);
  const started = performance.now();
  const fleet = await startSimulatedFleet(options).catch((err: unknown) => {
    if (err instanceof FleetOptionError || err instanceof FaultSpecError) throw new StellarError('STELLAR_ERR_USAGE', err.message);
    throw err;
  });
  const seconds = ((performance.now() - started) / 1000).toFixed(2);
  const details = fleet.details();
  const out = line.options.out;
  if (typeof out === 'string') {
    writeFileSync(out, JSON.stringify({ clusters: details }, null, 2) + '\n');
    io.stdout.write(`started ${details.length} simulated clusters in ${seconds} s; connection details in ${out}\n`);
  } else {
    io.stdout.write(detailsTable(details));
    io.stdout.write(`started ${details.length} simulated clusters in ${seconds} s\n`);
  }
  io.stdout.write('ground truth: GET /_sim/truth?from=MS&to=MS on any FE; faults: GET|POST /_sim/faults; connections accepted: GET /_sim/connections; stop with Ctrl-C\n');
  return runUntilSignal(() => fleet.close(), (_level, message) => io.stderr.write(`stellar simulate: ${message}\n`));
}

function fleetOptions(o: Record<string, string | boolean | string[]>): FleetOptions {
  const int = (name: string, fallback: number): number => {
    const raw = o[name];
    if (raw === undefined) return fallback;
    if (typeof raw !== 'string' || !/^\d+$/.test(raw)) {
      throw new StellarError('STELLAR_ERR_USAGE', `--${name} ${String(raw)} is not accepted; give a whole number`);
    }
    return Number(raw);
  };
  const choice = <T extends string>(name: string, accepted: readonly T[], fallback: T): T => {
    const raw = o[name];
    if (raw === undefined) return fallback;
    if (typeof raw === 'string' && (accepted as readonly string[]).includes(raw)) return raw as T;
    throw new StellarError('STELLAR_ERR_USAGE', `--${name} ${String(raw)} is not accepted; accepted: ${accepted.join(', ')}`);
  };
  return {
    clusters: int('clusters', 1),
    fes: int('fes', 3),
    bes: int('bes', 10),
    version: choice('version', SIM_VERSIONS, '3.3'),
    engine: choice('engine', SIM_ENGINES, 'starrocks'),
    mode: choice('mode', SIM_MODES, 'shared_nothing'),
    dorisVersion: choice('doris-version', SIM_DORIS_VERSIONS, '3.0'),
    ...(o['node-kind'] === undefined ? {} : { nodeKind: choice('node-kind', SIM_NODE_KINDS, 'backend') }),
    seed: int('seed', 1),
    basePort: o['base-port'] === undefined ? null : int('base-port', 0),
    password: typeof o.password === 'string' ? o.password : '',
    faults: typeof o.faults === 'string' ? o.faults : '',
    latencyGauges: o['latency-gauges'] === true,
    beMetrics: o['be-metrics'] === true,
  };
}

function detailsTable(details: readonly SimClusterDetails[]): string {
  const header = ['NAME', 'VERSION', 'MODE', 'FE HTTP (host:port, first is leader)', 'MYSQL', 'FAULTS'];
  const rows = details.map((d) => [
    d.name,
    d.version,
    d.deployment_mode,
    d.frontends.map((f) => `${f.host}:${f.http_port}`).join(' '),
    String(d.fe_query_port),
    d.faults.join(',') || '-',
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]?.length ?? 0)));
  return [header, ...rows].map((r) => r.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join('  ').trimEnd()).join('\n') + '\n';
}
