/** `stellar start`: run the service until SIGINT or SIGTERM, then shut down cleanly; SIGHUP reloads the configuration. */
import type { ParsedCommandLine } from '../args.js';
import type { CliIO } from '../io.js';
import { runUntilSignal } from '../wait-for-signal.js';
import { loadConfig } from '../../config/sources.js';
import { createLogger } from '../../logger.js';
import { startService } from '../../service.js';

export async function startCommand(line: ParsedCommandLine, io: CliIO): Promise<number> {
  // Read again, from the same file, environment and flags, by every reload.
  const readConfig = () => loadConfig({ configPath: line.configPath, env: io.env, flags: line.configFlags });
  const loaded = readConfig();
  const logger = createLogger({ level: loaded.config.log.level, format: loaded.config.log.format });
  const pidFile = typeof line.options['pid-file'] === 'string' ? line.options['pid-file'] : undefined;
  const service = await startService({ loaded, logger, pidFile, print: (text) => io.stdout.write(text), reloadConfig: readConfig });
  // SIGHUP reloads the configuration (systemd's ExecReload); a refused one is logged and changes nothing.
  const reload = () => void service.reload('SIGHUP').catch(() => undefined);
  process.on('SIGHUP', reload);
  try {
    return await runUntilSignal(() => service.close(), (level, message) => logger[level](message));
  } finally {
    process.off('SIGHUP', reload);
  }
}
