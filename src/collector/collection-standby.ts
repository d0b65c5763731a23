/**
 * Starts collection only in the one process allowed to collect on this database, and keeps
 * the others standing by: they serve the API and console, try the lock every
 * `STANDBY_RETRY_MS`, and start collecting (scheduler and maintenance jobs alike) once they get it,
 * that is once the holder stops or dies.
 */
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { Logger } from 'pino';
import type { InstanceRecord } from '../storage/collection-lease-store.js';
import type { CollectionLockAttempt, Storage } from '../storage/dialect/dialect.js';
import { VERSION } from '../version.js';
import type { RunningCollection } from './collection-service.js';
import { RestartableCollection } from './restartable-collection.js';

/**
 * Whether this process collects (`leader`), waits for the holder to stop (`holder_pid` when
 * known; `holder_host` on PostgreSQL, where the holder may run on another machine), or
 * collection is off; /readyz shows it as is.
 */
export type CollectionRole =
  | { readonly role: 'leader' }
  | { readonly role: 'standby'; readonly holder_pid: number | null; readonly holder_host?: string | null }
  /** `coordination = "shards"`: collects `clusters` of them; `maintenance` when it holds the collection lease, which runs roll-ups and retention. */
  | { readonly role: 'shard'; readonly clusters: number; readonly maintenance: boolean }
  | { readonly role: 'off' };

/** How often a standby tries the lock: one failed try costs a file open, and takeover waits at most this. */
export const STANDBY_RETRY_MS = 1000;

export interface CollectionSeat {
  role(): CollectionRole;
  /** The running collection, while this process collects. */
  running(): RunningCollection | null;
  /** This instance's id in GET /api/instances. */
  readonly instanceId: string;
  /** The instances on this database, for GET /api/instances. */
  instances(): Promise<InstanceRecord[]>;
  /** Restarts the collection, if this process collects, with what `start` reads now (a configuration reload). */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

export function takeCollectionSeat(deps: {
  readonly storage: Pick<Storage, 'tryLockCollection' | 'location'>;
  readonly logger: Logger;
  readonly start: () => RunningCollection;
}): CollectionSeat {
  const { storage, logger } = deps;
  let collection: RestartableCollection | null = null;
  let lock: Extract<CollectionLockAttempt, { held: true }> | null = null;
  let holderPid: number | null = null;
  let timer: NodeJS.Timeout | null = null;

  const retry = (): void => {
    timer = setTimeout(() => {
      try {
        attempt(false);
      } catch (err) {
        // A standby must not die of a failed try (a full disk, a file removed): it tries again.
        logger.warn({ err }, 'could not try the collection lock; trying again');
        retry();
      }
    }, STANDBY_RETRY_MS);
    timer.unref();
  };
  const attempt = (first: boolean): void => {
    const tried = storage.tryLockCollection?.() ?? null;
    if (tried !== null && !tried.held) {
      holderPid = tried.holderPid ?? holderPid;
      if (first) {
        logger.warn(
          { database: storage.location, holder_pid: holderPid },
          `another Stellar process${holderPid === null ? '' : ` (pid ${holderPid})`} collects on this database; this one serves the API and console and takes over collection if that one stops`,
        );
      }
      retry();
      return;
    }
    if (!first) logger.info({ database: storage.location, previous_holder_pid: holderPid }, 'took over collection: the process that held it stopped');
    try {
      collection = new RestartableCollection(deps.start);
    } catch (err) {
      // Held by a process that does not collect, the lock would keep every other one waiting.
      if (tried !== null) tried.release();
      throw err;
    }
    lock = tried;
  };
  attempt(true);

  const startedAt = Date.now();
  const id = randomUUID();
  return {
    role: () => (collection !== null ? { role: 'leader' } : { role: 'standby', holder_pid: holderPid }),
    instanceId: id,
    running: () => collection,
    // Processes on one SQLite file keep no heartbeats (the file lock elects the collector): this one alone, as it is now.
    instances: () =>
      Promise.resolve([
        {
          id,
          host: hostname(),
          pid: process.pid,
          version: VERSION,
          role: collection !== null ? 'leader' : 'standby',
          clustersCollected: collection?.scheduler.scheduleStates().size ?? 0,
          startedAt,
          lastHeartbeatAt: Date.now(),
          heartbeatAgeMs: 0,
        },
      ]),
    restart: () => collection?.restart() ?? Promise.resolve(),
    async stop() {
      if (timer) clearTimeout(timer);
      await collection?.stop();
      collection = null;
      lock?.release();
      lock = null;
    },
  };
}
