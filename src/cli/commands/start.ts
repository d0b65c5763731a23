/** `stellar start`: run the service until SIGINT or SIGTERM, then shut down cleanly. */
import type { ParsedCommandLine } from '../args.js';
import type { CliIO } from '../io.js';
import { runUntilSignal } from '../wait-for-signal.js';
import { loadConfig } from '../../config/sources.js';
import { createLogger } from '../../logger.js';
import { startService } from '../../service.js';

export async function startCommand(line: ParsedCommandLine, io: CliIO): Promise<number> {
  const loaded = loadConfig({ configPath: line.configPath, env: io.env, flags: line.configFlags });
  const logger = createLogger({ level: loaded.config.log.level, format: loaded.config.log.format });
  const pidFile = typeof line.options['pid-file'] === 'string' ? line.options['pid-file'] : undefined;
  const service = await startService({ loaded, logger, pidFile, print: (text) => io.stdout.write(text) });
  return runUntilSignal(() => service.close(), (level, message) => logger[level](message));
}
