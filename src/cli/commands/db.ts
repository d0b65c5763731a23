/** `stellar db copy --from URL --to URL [--force]`: copy a whole database, checked table by table. */
import { loadConfig } from '../../config/sources.js';
import { StellarError } from '../../errors.js';
import { copyDatabase } from '../../storage/copy-database.js';
import type { Storage } from '../../storage/dialect/dialect.js';
import { openStorage } from '../../storage/open-storage.js';
import type { ParsedCommandLine } from '../args.js';
import type { CliIO } from '../io.js';

export async function dbCommand(line: ParsedCommandLine, io: CliIO): Promise<number> {
  const [action, ...rest] = line.positionals;
  if (action !== 'copy' || rest.length > 0) {
    throw new StellarError('STELLAR_ERR_USAGE', `stellar db ${line.positionals.join(' ') || '(nothing)'} is not a command; stellar db copy --from URL --to URL [--force]`);
  }
  const from = urlOption(line.options.from, 'from');
  const to = urlOption(line.options.to, 'to');
  if (from === to) throw new StellarError('STELLAR_ERR_USAGE', `--from and --to are the same database (${from})`);
  // Relative SQLite paths are inside server.data_dir, as for database.url; the pool size is database.pool_size.
  const { config } = loadConfig({ configPath: line.configPath, env: io.env, flags: line.configFlags });
  const open = (url: string): Storage => openStorage({ url, dataDir: config.server.data_dir, poolSize: config.database.pool_size });
  const source = open(from);
  try {
    const target = open(to);
    try {
      const copied = await copyDatabase(source, target, { force: line.options.force === true });
      io.stdout.write(`copied ${source.location} to ${target.location}\n`);
      for (const t of copied) io.stdout.write(`${t.table.padEnd(18)} ${String(t.rows).padStart(10)} rows  sha256 ${t.checksum.slice(0, 16)}  same on both sides\n`);
      return 0;
    } finally {
      await target.close();
    }
  } finally {
    await source.close();
  }
}

function urlOption(value: string | boolean | string[] | undefined, name: string): string {
  if (typeof value !== 'string' || value.trim() === '') {
    throw new StellarError('STELLAR_ERR_USAGE', `--${name} is missing; give a database URL as database.url takes it: an SQLite path or postgres://user:pass@host:5432/database`);
  }
  return value.trim();
}
