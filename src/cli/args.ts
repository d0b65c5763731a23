/**
 * The command line: `stellar <command> [flags]`. Every config key is also a flag
 * (`--metrics-interval-secs 5m`); each command accepts a few flags of its own.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { StellarError } from '../errors.js';
import { CONFIG_KEYS } from '../config/schema.js';

export const COMMANDS = ['start', 'migrate', 'config', 'collect', 'aggregate', 'db', 'inspect', 'simulate', 'demo', 'help', 'version'] as const;
export type Command = (typeof COMMANDS)[number];

/** Flags of each command besides the config keys and --config. */
const COMMAND_FLAGS: Record<Command, Record<string, { type: 'string' | 'boolean'; multiple?: boolean }>> = {
  start: { 'pid-file': { type: 'string' } },
  migrate: { status: { type: 'boolean' } },
  config: { json: { type: 'boolean' }, defaults: { type: 'boolean' } },
  collect: { once: { type: 'boolean' }, cluster: { type: 'string' } },
  aggregate: { from: { type: 'string' }, to: { type: 'string' }, cluster: { type: 'string' } },
  db: { from: { type: 'string' }, to: { type: 'string' }, force: { type: 'boolean' } },
  inspect: {
    metrics: { type: 'string', multiple: true },
    backends: { type: 'string' },
    'compute-nodes': { type: 'string' },
    frontends: { type: 'string' },
    runtime: { type: 'string' },
    engine: { type: 'string' },
    'be-metrics': { type: 'string', multiple: true },
  },
  simulate: {
    clusters: { type: 'string' },
    fes: { type: 'string' },
    bes: { type: 'string' },
    version: { type: 'string' },
    engine: { type: 'string' },
    mode: { type: 'string' },
    'doris-version': { type: 'string' },
    'node-kind': { type: 'string' },
    seed: { type: 'string' },
    'base-port': { type: 'string' },
    password: { type: 'string' },
    faults: { type: 'string' },
    'latency-gauges': { type: 'boolean' },
    'be-metrics': { type: 'boolean' },
    out: { type: 'string' },
  },
  demo: {},
  help: {},
  version: {},
};

export interface ParsedCommandLine {
  readonly command: Command;
  /** `--config FILE` */
  readonly configPath: string | undefined;
  /** Config key flags, by name without dashes. */
  readonly configFlags: Record<string, string>;
  /** The command's own flags. */
  readonly options: Record<string, string | boolean | string[]>;
  /** Words after the command that are not flags (only `inspect` and `db` take any). */
  readonly positionals: readonly string[];
}

export function parseCommandLine(argv: readonly string[]): ParsedCommandLine {
  const first = argv[0];
  if (first === undefined || first === '--help' || first === '-h') return empty('help');
  if (first === '--version' || first === '-v') return empty('version');
  if (!(COMMANDS as readonly string[]).includes(first)) {
    throw new StellarError('STELLAR_ERR_USAGE', `unknown command "${first}"; commands: ${COMMANDS.join(', ')} (see stellar help)`);
  }
  const command = first as Command;
  const own = COMMAND_FLAGS[command];
  const options: ParseArgsConfig['options'] = { config: { type: 'string' }, help: { type: 'boolean', short: 'h' }, ...own };
  for (const entry of CONFIG_KEYS) options[entry.flag] = { type: 'string' };

  let values: Record<string, string | boolean | (string | boolean)[] | undefined>;
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({ args: argv.slice(1), options, strict: true, allowPositionals: command === 'inspect' || command === 'db' }));
  } catch (err) {
    throw new StellarError('STELLAR_ERR_USAGE', `${(err as Error).message.split('\n')[0]} (see stellar help)`);
  }
  if (values.help === true) return empty('help');

  const configFlags: Record<string, string> = {};
  const commandOptions: Record<string, string | boolean | string[]> = {};
  for (const [name, value] of Object.entries(values)) {
    if (Array.isArray(value) && name in own) {
      commandOptions[name] = value.map(String);
      continue;
    }
    if (typeof value !== 'string' && typeof value !== 'boolean') continue;
    if (name === 'config' || name === 'help') continue;
    if (name in own) commandOptions[name] = value;
    else if (typeof value === 'string') configFlags[name] = value;
  }
  const configPath = typeof values.config === 'string' ? values.config : undefined;
  return { command, configPath, configFlags, options: commandOptions, positionals };
}

function empty(command: Command): ParsedCommandLine {
  return { command, configPath: undefined, configFlags: {}, options: {}, positionals: [] };
}

export const USAGE = `Usage: stellar <command> [flags]

Commands:
  start     Run the service: HTTP API on server.host:server.port.
              --pid-file FILE   write the process id here once listening; removed at exit
  migrate   Apply pending database migrations.
              --status          only list applied and pending migrations
  config    Print the effective configuration and where each value came from.
              --json            as JSON
              --defaults        print the documented defaults (the shipped conf/config.toml)
  collect   Collect every registered cluster once, store the rows and print what came back.
              --once            required: one collection, then exit (1 if any was not ok)
              --cluster ID      only this cluster
  aggregate Roll snapshots up into daily rows again, e.g. after changing the time zone.
              --from YYYY-MM-DD --to YYYY-MM-DD   the days (--to defaults to --from)
              --cluster ID      only this cluster
  db copy   Copy a whole database into another (SQLite to PostgreSQL to move up, or back),
            then check every table's row count and checksum on both sides.
              --from URL        the database to read (a database.url value)
              --to URL          the database to write; brought to this version's schema
              --force           replace the target's rows (without it a non-empty target is refused)
  inspect   Show what Stellar reads from captured FE output, to debug a real cluster's.
              inspect metrics FILE|-            the parsed families and warnings, as JSON
              inspect snapshot --metrics FILE [--metrics FILE…] [--backends FILE]
                [--compute-nodes FILE] [--frontends FILE] [--runtime FILE] [--engine E]
                                                the snapshot those captures give, as JSON
              inspect custom --metrics FILE [--metrics FILE…] [--be-metrics FILE…] --config FILE
                                                what each [[custom_metrics]] gives on them, as JSON
              Node lists: the /api/show_proc JSON body, or SHOW … output (table or \\G form).
  simulate  Start simulated StarRocks/Doris clusters on 127.0.0.1 (for tests, benchmarks, demos).
              --clusters N      how many (default 1, up to 5000)
              --fes N --bes N   frontends (default 3) and backends or compute nodes (default 10)
              --version V       2.4, 3.0, 3.2, 3.3 (default), 3.5 or 4.0
              --engine E        starrocks (default) or doris
              --mode M          shared_nothing (default) or shared_data
              --doris-version D node-list columns of Doris 2.1, 3.0 (default) or master
              --node-kind K     list the nodes as backend or compute_node (default: compute
                                nodes on StarRocks shared_data, backends otherwise)
              --seed S          values are a pure function of the seed and the time (default 1)
              --base-port P     consecutive ports from P (FEs, then MySQL, per cluster);
                                default: free ports chosen by the system
              --password P      password of the simulated "root" user (default empty)
              --faults SPEC     e.g. "1:fe_down@1;2-3:slow=1500,be_dead@2" (docs/simulator.md)
              --latency-gauges  realistic query_latency gauges instead of all zeros
              --be-metrics      serve /metrics on every BE's HTTP port too
              --out FILE        write the connection details as JSON instead of a table
  demo      Start the service with three simulated clusters registered, for a first look.
              Uses data/demo as server.data_dir unless one is given; admin password "stellar-demo"
              unless auth.admin_password is set.
  help      Show this text.
  version   Print the version.

Flags of every command:
  --config FILE                 config file (default conf/config.toml; a missing default is fine)
  --<section>-<key> VALUE       set any config key, e.g. --server-port 9090 or
                                --metrics-interval-secs 5m; the same key as an environment
                                variable is APP_<SECTION>_<KEY>, e.g. APP_SERVER_PORT=9090

Exit codes: 0 success, 1 failure, 2 bad configuration or command line.
`;
