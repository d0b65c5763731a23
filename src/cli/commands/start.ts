/** `stellar start`: run the service until SIGINT or SIGTERM, then shut down cleanly; SIGHUP reloads the configuration. */
import type { ParsedCommandLine } from '../args.js';
import type { CliIO } from '../io.js';
import { runUntilSignal } from '../wait-for-signal.js';
import { loadConfig } from '../../config/sources.js';
import { createLogger } from '../../logger.js';
import { type RunningService, startService } from '../../service.js';

export async function startCommand(line: ParsedCommandLine, io: CliIO): Promise<number> {
  // Read again, from the same file, environment and flags, by every reload.
  const readConfig = () => loadConfig({ configPath: line.configPath, env: io.env, flags: line.configFlags });
  const loaded = readConfig();
  const logger = createLogger({ level: loaded.config.log.level, format: loaded.config.log.format });
  const pidFile = typeof line.options['pid-file'] === 'string' ? line.options['pid-file'] : undefined;
  // SIGHUP reloads the configuration (systemd's ExecReload); a refused one is logged and changes
  // nothing. One that comes while the service starts (a long migration) reloads once it runs,
  // rather than ending the process as SIGHUP does by default.
  let service: RunningService | null = null;
  let reloadWhenStarted = false;
  const reload = () => {
    if (service === null) reloadWhenStarted = true;
    else void service.reload('SIGHUP').catch(() => undefined);
  };
  process.on('SIGHUP', reload);
  try {
    const running = await startService({ loaded, logger, pidFile, print: (text) => io.stdout.write(text), reloadConfig: readConfig });
    service = running;
    if (reloadWhenStarted) reload();
    return await runUntilSignal(() => running.close(), (level, message) => logger[level](message));
  } finally {
    process.off('SIGHUP', reload);
  }
}
