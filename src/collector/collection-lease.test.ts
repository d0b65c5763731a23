/**
 * Two leader seats in one process on a real PostgreSQL database (two pools, as two instances
 * would have), each starting the real collection: one leads, the other stands by naming it; a
 * clean stop hands over at the next try; and a leader whose lease was taken over (by a third
 * instance, here written into the lease row) stops collecting at its next renewal.
 */
import { hostname } from 'node:os';
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { postgresSkipReason, postgresTestUrl } from '../../test/helpers/dialects.js';
import { randomSecretBox } from '../../test/helpers/factories.js';
import { skipNote } from '../../test/helpers/requirements.js';
import { loggerInto } from '../../test/helpers/test-app.js';
import { waitFor } from '../../test/helpers/stellar-process.js';
import { resolveConfig } from '../config/resolve.js';
import { ClusterRegistry } from '../registry/cluster-registry.js';
import type { Storage } from '../storage/dialect/dialect.js';
import { openPostgres } from '../storage/dialect/postgres/postgres-dialect.js';
import { migrateToLatest } from '../storage/migrate.js';
import { takeLeaderSeat } from './collection-lease.js';
import { startCollection } from './collection-service.js';
import type { CollectionSeat } from './collection-standby.js';
import { SYSTEM_CLOCK } from './job-runner.js';

const cleanUp: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const step of cleanUp.splice(0).reverse()) await step();
});

/** A short lease, so the test waits little; the seats' behaviour does not depend on its length. */
const TIMING = { leaseMs: 600, renewEveryMs: 100 };

async function instance(url: string, lines: string[]): Promise<{ storage: Storage; seat: CollectionSeat }> {
  const storage = openPostgres({ url, poolSize: 2 });
  cleanUp.push(() => storage.close());
  await migrateToLatest(storage);
  const logger = loggerInto(lines, 'info');
  const registry = new ClusterRegistry({ db: storage.db, dialect: storage.dialect, secrets: randomSecretBox(), now: Date.now });
  const { metrics } = resolveConfig([]).config;
  const seat = takeLeaderSeat({
    lease: storage.collectionLease!,
    logger,
    timing: () => TIMING,
    start: () => startCollection({ storage, registry, logger, metrics, clock: SYSTEM_CLOCK, trendFields: [], tierTrendColumns: [] }),
  });
  cleanUp.push(() => seat.stop());
  return { storage, seat };
}

describe.skipIf(postgresSkipReason !== null)(`leader seats on PostgreSQL${skipNote(postgresSkipReason)}`, () => {
  it('let one instance lead while the other stands by; a clean stop hands over; a lost lease stops the collection', async () => {
    const database = await postgresTestUrl();
    cleanUp.push(() => database.drop());
    const linesA: string[] = [];
    const linesB: string[] = [];
    const a = await instance(database.url, linesA);
    await waitFor('the first to lead', () => (a.seat.role().role === 'leader' ? true : undefined));
    const b = await instance(database.url, linesB);
    // The leader's pid and host come from its heartbeat, which may follow its acquisition.
    await waitFor('the second to name the leader', () => (JSON.stringify(b.seat.role()) === JSON.stringify({ role: 'standby', holder_pid: process.pid, holder_host: hostname() }) ? true : undefined));
    expect(b.seat.running()).toBeNull();
    await waitFor('both heartbeats', async () => ((await b.seat.instances()).length === 2 ? true : undefined));
    expect((await b.seat.instances()).map((i) => [i.id === a.seat.instanceId ? 'a' : 'b', i.role])).toEqual([
      ['a', 'leader'],
      ['b', 'standby'],
    ]);

    // A clean stop ends the lease at once: the standby takes over at its next try, not after the lease.
    await a.seat.stop();
    await waitFor('the standby to take over', () => (b.seat.role().role === 'leader' ? true : undefined));
    expect(b.seat.running()).not.toBeNull();
    expect((await b.seat.instances()).map((i) => i.id)).toEqual([b.seat.instanceId]);

    // Another instance takes the lease (its token moves on): the leader stops collecting.
    await sql`update collection_lease set holder = 'instance-c', token = token + 1`.execute(b.storage.db);
    await waitFor('the leader to step down', () => (b.seat.role().role === 'standby' ? true : undefined));
    expect(b.seat.running()).toBeNull();
    expect(linesB.join('')).toContain('stopped collecting: another instance took the collection lease');
  });
});
