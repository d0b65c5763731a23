/** `stellar aggregate --from D --to D [--cluster ID]`: roll the days up again (an idempotent upsert per day). */
import { rollUpDay } from '../../collector/daily-job.js';
import { loadConfig } from '../../config/sources.js';
import { StellarError } from '../../errors.js';
import { isCalendarDay, nextDay } from '../../shared/day.js';
import { listClusterRows } from '../../storage/repos/clusters.repo.js';
import { migrateToLatest } from '../../storage/migrate.js';
import { openStorage } from '../../storage/open-storage.js';
import type { ParsedCommandLine } from '../args.js';
import type { CliIO } from '../io.js';

export async function aggregateCommand(line: ParsedCommandLine, io: CliIO): Promise<number> {
  const from = dayOption(line.options.from, 'from');
  const to = dayOption(line.options.to ?? line.options.from, 'to');
  if (to < from) throw new StellarError('STELLAR_ERR_USAGE', `--to ${to} is before --from ${from}`);
  const cluster = line.options.cluster;
  if (cluster !== undefined && (typeof cluster !== 'string' || !/^\d+$/.test(cluster))) {
    throw new StellarError('STELLAR_ERR_USAGE', `--cluster ${String(cluster)} is not accepted; give a cluster id (a whole number)`);
  }
  const { config } = loadConfig({ configPath: line.configPath, env: io.env, flags: line.configFlags });
  const storage = openStorage({ url: config.database.url, dataDir: config.server.data_dir, poolSize: config.database.pool_size });
  try {
    await migrateToLatest(storage);
    const ids = (await listClusterRows(storage.db)).map((c) => c.id).filter((id) => cluster === undefined || id === Number(cluster));
    if (cluster !== undefined && ids.length === 0) throw new StellarError('STELLAR_ERR_USAGE', `--cluster ${cluster}: no cluster has this id`);
    let written = 0;
    for (const id of ids) {
      for (let day = from; day <= to; day = nextDay(day)) if (await rollUpDay(storage.db, id, day, config.metrics.rollup_time_zone, Date.now())) written += 1;
    }
    io.stdout.write(`rolled up ${written} cluster-day${written === 1 ? '' : 's'} from ${from} to ${to} (${config.metrics.rollup_time_zone}); days without snapshots were skipped\n`);
    return 0;
  } finally {
    await storage.close();
  }
}

function dayOption(value: string | boolean | string[] | undefined, name: string): string {
  if (typeof value !== 'string' || !isCalendarDay(value)) {
    throw new StellarError('STELLAR_ERR_USAGE', `--${name} ${value === undefined ? '(missing)' : String(value)} is not accepted; give a day as YYYY-MM-DD`);
  }
  return value;
}
