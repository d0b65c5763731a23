/** `stellar config`: the effective configuration with the source of every value. */
import type { ParsedCommandLine } from '../args.js';
import type { CliIO } from '../io.js';
import { effectiveJson, renderDefaultConfigFile, renderEffectiveToml } from '../../config/render.js';
import { loadConfig } from '../../config/sources.js';

export function configCommand(line: ParsedCommandLine, io: CliIO): number {
  if (line.options.defaults === true) {
    io.stdout.write(renderDefaultConfigFile());
    return 0;
  }
  const loaded = loadConfig({ configPath: line.configPath, env: io.env, flags: line.configFlags });
  for (const note of loaded.notes) io.stderr.write(`stellar: ${note.level === 'warn' ? 'warning: ' : ''}${note.message}\n`);
  if (line.options.json === true) {
    io.stdout.write(`${JSON.stringify({ file: loaded.file, config: effectiveJson(loaded.config, loaded.origins) }, null, 2)}\n`);
  } else {
    io.stdout.write(renderEffectiveToml(loaded.config, loaded.origins, loaded.file));
  }
  return 0;
}
