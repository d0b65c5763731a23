/** `stellar start`: run the service until SIGINT or SIGTERM, then shut down cleanly. */
import type { ParsedCommandLine } from '../args.js';
import type { CliIO } from '../io.js';
import { loadConfig } from '../../config/sources.js';
import { createLogger } from '../../logger.js';
import { startService } from '../../service.js';

export async function startCommand(line: ParsedCommandLine, io: CliIO): Promise<number> {
  const loaded = loadConfig({ configPath: line.configPath, env: io.env, flags: line.configFlags });
  const logger = createLogger({ level: loaded.config.log.level, format: loaded.config.log.format });
  const pidFile = typeof line.options['pid-file'] === 'string' ? line.options['pid-file'] : undefined;
  const service = await startService({ loaded, logger, pidFile, print: (text) => io.stdout.write(text) });

  return new Promise<number>((resolve) => {
    let stopping = false;
    const stop = (signal: NodeJS.Signals) => {
      if (stopping) {
        logger.warn({ signal }, 'second signal: exiting without waiting');
        resolve(1);
        return;
      }
      stopping = true;
      logger.info({ signal }, 'shutting down');
      service.close().then(
        () => resolve(0),
        (err: unknown) => {
          logger.error({ err }, 'shutdown failed');
          resolve(1);
        },
      );
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}
