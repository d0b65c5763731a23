/**
 * The command line: `stellar <command> [flags]`. Every config key is also a flag
 * (`--metrics-interval-secs 5m`); each command accepts a few flags of its own.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { StellarError } from '../errors.js';
import { CONFIG_KEYS } from '../config/schema.js';

export const COMMANDS = ['start', 'migrate', 'config', 'help', 'version'] as const;
export type Command = (typeof COMMANDS)[number];

/** Flags of each command besides the config keys and --config. */
const COMMAND_FLAGS: Record<Command, Record<string, { type: 'string' | 'boolean' }>> = {
  start: { 'pid-file': { type: 'string' } },
  migrate: { status: { type: 'boolean' } },
  config: { json: { type: 'boolean' }, defaults: { type: 'boolean' } },
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
  readonly options: Record<string, string | boolean>;
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
  try {
    ({ values } = parseArgs({ args: argv.slice(1), options, strict: true, allowPositionals: false }));
  } catch (err) {
    throw new StellarError('STELLAR_ERR_USAGE', `${(err as Error).message.split('\n')[0]} (see stellar help)`);
  }
  if (values.help === true) return empty('help');

  const configFlags: Record<string, string> = {};
  const commandOptions: Record<string, string | boolean> = {};
  for (const [name, value] of Object.entries(values)) {
    if (typeof value !== 'string' && typeof value !== 'boolean') continue;
    if (name === 'config' || name === 'help') continue;
    if (name in own) commandOptions[name] = value;
    else if (typeof value === 'string') configFlags[name] = value;
  }
  const configPath = typeof values.config === 'string' ? values.config : undefined;
  return { command, configPath, configFlags, options: commandOptions };
}

function empty(command: Command): ParsedCommandLine {
  return { command, configPath: undefined, configFlags: {}, options: {} };
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
  help      Show this text.
  version   Print the version.

Flags of every command:
  --config FILE                 config file (default conf/config.toml; a missing default is fine)
  --<section>-<key> VALUE       set any config key, e.g. --server-port 9090 or
                                --metrics-interval-secs 5m; the same key as an environment
                                variable is APP_<SECTION>_<KEY>, e.g. APP_SERVER_PORT=9090

Exit codes: 0 success, 1 failure, 2 bad configuration or command line.
`;
