/**
 * The `stellar` command, runnable in-process (tests pass their own CliIO). Errors Stellar expects (bad config, unknown flag, database newer
 * than this version…) print one line and exit with their code; anything else prints its stack.
 */
import { StellarError } from '../errors.js';
import { VERSION } from '../version.js';
import { parseCommandLine, USAGE } from './args.js';
import { aggregateCommand } from './commands/aggregate.js';
import { collectCommand } from './commands/collect.js';
import { configCommand } from './commands/config.js';
import { demoCommand } from './commands/demo.js';
import { inspectCommand } from './commands/inspect.js';
import { migrateCommand } from './commands/migrate.js';
import { simulateCommand } from './commands/simulate.js';
import { startCommand } from './commands/start.js';
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
        return configCommand(line, io);
      case 'migrate':
        return await migrateCommand(line, io);
      case 'start':
        return await startCommand(line, io);
      case 'aggregate':
        return await aggregateCommand(line, io);
      case 'collect':
        return await collectCommand(line, io);
      case 'inspect':
        return await inspectCommand(line, io);
      case 'simulate':
        return await simulateCommand(line, io);
      case 'demo':
        return await demoCommand(line, io);
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
