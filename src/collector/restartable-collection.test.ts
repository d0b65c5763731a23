/**
 * A reload restarts the collection inside its seat: on an SQLite file (the file-lock seat) and on
 * PostgreSQL (the lease seat), each starting the real collection with the settings in effect at
 * each start. The restarted collection keeps the seat's role and lease; once the seat stops or
 * loses its lease, a reload starts no collection.
 */
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { openSqliteFile, postgresSkipReason, postgresTestUrl } from '../../test/helpers/dialects.js';
import { randomSecretBox } from '../../test/helpers/factories.js';
import { skipNote } from '../../test/helpers/requirements.js';
import { loggerInto } from '../../test/helpers/test-app.js';
import { waitFor } from '../../test/helpers/stellar-process.js';
import { resolveConfig } from '../config/resolve.js';
import type { Config } from '../config/schema.js';
import { ClusterRegistry } from '../registry/cluster-registry.js';
import type { Storage } from '../storage/dialect/dialect.js';
import { openPostgres } from '../storage/dialect/postgres/postgres-dialect.js';
import { migrateToLatest } from '../storage/migrate.js';
import { takeLeaderSeat } from './collection-lease.js';
import { startCollection } from './collection-service.js';
import { takeCollectionSeat } from './collection-standby.js';
import { SYSTEM_CLOCK } from './job-runner.js';

const cleanUp: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const step of cleanUp.splice(0).reverse()) await step();
});

/** What a seat starts: the real collection, on the [metrics] settings of the moment; `starts` counts them. */
async function collectionOn(storage: Storage, lines: string[]) {
  await migrateToLatest(storage);
  const logger = loggerInto(lines, 'info');
  const registry = new ClusterRegistry({ db: storage.db, dialect: storage.dialect, secrets: randomSecretBox(), now: Date.now });
  const settings: { metrics: Config['metrics'] } = { metrics: resolveConfig([]).config.metrics };
  const counter = { starts: 0 };
  const start = () => {
    counter.starts++;
    return startCollection({ storage, registry, logger, metrics: settings.metrics, clock: SYSTEM_CLOCK, trendFields: [], tierTrendColumns: [] });
  };
  return { logger, settings, counter, start };
}

/** The interval of each "collecting metrics" line, in order. */
function startedIntervals(lines: string[]): number[] {
  return lines.map((line) => JSON.parse(line) as { msg: string; interval_secs?: number }).filter((l) => l.msg === 'collecting metrics').map((l) => l.interval_secs ?? 0);
}

describe('restarting the collection of a seat', () => {
  it('on an SQLite file: a new collection on the new settings, under the same lock; none after the seat stops', async () => {
    const storage = await openSqliteFile();
    cleanUp.push(() => storage.close());
    const lines: string[] = [];
    const { logger, settings, counter, start } = await collectionOn(storage, lines);
    const seat = takeCollectionSeat({ storage, logger, start });
    cleanUp.push(() => seat.stop());
    const before = seat.running()?.scheduler;

    settings.metrics = { ...settings.metrics, interval_secs: 5 };
    await seat.restart();
    expect(seat.role()).toEqual({ role: 'leader' });
    expect(seat.running()?.scheduler).not.toBe(before);
    expect(startedIntervals(lines)).toEqual([30, 5]);

    await seat.stop();
    await seat.restart();
    expect(counter.starts).toBe(2);
    expect(seat.running()).toBeNull();
  });

  it.skipIf(postgresSkipReason !== null)(`on PostgreSQL: under the lease it holds, and stopped with the lease${skipNote(postgresSkipReason)}`, async () => {
    const database = await postgresTestUrl();
    cleanUp.push(() => database.drop());
    const storage = openPostgres({ url: database.url, poolSize: 2 });
    cleanUp.push(() => storage.close());
    const lines: string[] = [];
    const { logger, settings, counter, start } = await collectionOn(storage, lines);
    const seat = takeLeaderSeat({ lease: storage.collectionLease!, logger, timing: () => ({ leaseMs: 600, renewEveryMs: 100 }), start });
    cleanUp.push(() => seat.stop());
    await waitFor('the seat to lead', () => (seat.role().role === 'leader' ? true : undefined));

    settings.metrics = { ...settings.metrics, interval_secs: 5 };
    await seat.restart();
    expect(seat.role().role).toBe('leader');
    expect(startedIntervals(lines)).toEqual([30, 5]);
    // One acquisition: the restart kept the lease and its fencing token.
    expect(lines.filter((line) => line.includes('took the collection lease'))).toHaveLength(1);

    // Another instance takes the lease: the restarted collection stops, and a reload then starts none.
    await sql`update collection_lease set holder = 'instance-c', token = token + 1`.execute(storage.db);
    await waitFor('the seat to step down', () => (seat.role().role === 'standby' ? true : undefined));
    expect(seat.running()).toBeNull();
    await seat.restart();
    expect(seat.running()).toBeNull();
    expect(counter.starts).toBe(2);
  });
});
