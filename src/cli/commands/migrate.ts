/** `stellar migrate`: apply pending migrations, or with --status list where the schema stands. */
import type { ParsedCommandLine } from '../args.js';
import type { CliIO } from '../io.js';
import { loadConfig } from '../../config/sources.js';
import { migrateToLatest, migrationStatus } from '../../storage/migrate.js';
import { openStorage } from '../../storage/open-storage.js';

export async function migrateCommand(line: ParsedCommandLine, io: CliIO): Promise<number> {
  const { config } = loadConfig({ configPath: line.configPath, env: io.env, flags: line.configFlags });
  const storage = openStorage({ url: config.database.url, dataDir: config.server.data_dir, poolSize: config.database.pool_size });
  try {
    if (line.options.status === true) {
      const status = await migrationStatus(storage);
      io.stdout.write(`database: ${storage.location}\n`);
      for (const name of status.applied) io.stdout.write(`applied  ${name}\n`);
      for (const name of status.pending) io.stdout.write(`pending  ${name}\n`);
      for (const name of status.unknown) io.stdout.write(`unknown  ${name} (applied by a newer Stellar)\n`);
      return 0;
    }
    const applied = await migrateToLatest(storage);
    for (const name of applied) io.stdout.write(`applied ${name}\n`);
    const total = (await migrationStatus(storage)).applied.length;
    io.stdout.write(`database schema is up to date (${storage.location}, ${total} migration${total === 1 ? '' : 's'})\n`);
    return 0;
  } finally {
    await storage.close();
  }
}
