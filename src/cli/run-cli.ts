/**
 * The `stellar` command, runnable in-process (tests pass their own CliIO). Errors Stellar expects (bad config, unknown flag, database newer
 * than this version…) print one line and exit with their code; anything else prints its stack.
 * Each command's module is loaded when it runs: `stellar inspect metrics` or `help` starts without
 * loading the server, the database driver and the simulator.
 */
import { StellarError } from '../errors.js';
import { VERSION } from '../version.js';
import { parseCommandLine, USAGE } from './args.js';
import type { CliIO } from './io.js';

export async function runCli(argv: readonly string[], io: CliIO): Promise<number> {
  try {
    const line = parseCommandLine(argv);
    switch (line.command) {
      case 'help':
        io.stdout.write(USAGE);
        return 0;
      case 'version':
        io.stdout.write(`stellar ${VERSION}\n`);
        return 0;
      case 'config':
        return (await import('./commands/config.js')).configCommand(line, io);
      case 'migrate':
        return await (await import('./commands/migrate.js')).migrateCommand(line, io);
      case 'start':
        return await (await import('./commands/start.js')).startCommand(line, io);
      case 'aggregate':
        return await (await import('./commands/aggregate.js')).aggregateCommand(line, io);
      case 'collect':
        return await (await import('./commands/collect.js')).collectCommand(line, io);
      case 'db':
        return await (await import('./commands/db.js')).dbCommand(line, io);
      case 'inspect':
        return await (await import('./commands/inspect.js')).inspectCommand(line, io);
      case 'simulate':
        return await (await import('./commands/simulate.js')).simulateCommand(line, io);
      case 'demo':
        return await (await import('./commands/demo.js')).demoCommand(line, io);
    }
  } catch (err) {
    if (err instanceof StellarError) {
      for (const messageLine of err.message.split('\n')) io.stderr.write(`stellar: ${messageLine}\n`);
      return err.exitCode;
    }
    io.stderr.write(`stellar: unexpected error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    return 1;
  }
}
