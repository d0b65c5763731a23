/**
 * `[cluster] coordination = "leader"` on PostgreSQL: of the instances sharing the database,
 * the one holding the collection lease collects (scheduler and maintenance jobs alike); the
 * others serve the API and console and try for the lease every `renewEveryMs`.
 *
 * Timing, from the collection interval I: the lease lasts I/2 and its holder renews it every
 * I/6. A leader that dies leaves a lease that expires within I/2, and a standby takes it at its
 * next try, within I/6 more: the new leader collects each cluster from its next slot on, so a
 * cluster whose last collection came just before the death misses one slot at most (no gap
 * between its rows longer than two intervals), and no slot is collected twice.
 *
 * Fencing: each acquisition increments the lease's token, and every snapshot write checks it in
 * its own transaction (postgres-collection-lease.ts). A leader paused past its lease (GC,
 * SIGSTOP, a partition) that wakes up writes nothing under its old token and steps down; it also
 * steps down by itself when a renewal has not succeeded for a lease's length by its own
 * monotonic clock, whatever the database answers meanwhile.
 *
 * A configuration reload that changes the interval changes the timing too: `timing` is read at
 * every tick, so the next renewal (or acquisition) sets the new length and the period after it
 * is the new one. Either change is safe in flight: the lease set last outlasts the period that
 * was running when the interval changed.
 */
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { Logger } from 'pino';
import type { CollectionLeaseStore, WriteFence } from '../storage/collection-lease-store.js';
import { VERSION } from '../version.js';
import type { RunningCollection } from './collection-service.js';
import { leaseTicker } from './lease-ticker.js';
import type { CollectionRole, CollectionSeat } from './collection-standby.js';
import { RestartableCollection } from './restartable-collection.js';

export interface LeaseTiming {
  readonly leaseMs: number;
  /** How often the holder renews, every instance heartbeats and a standby tries for the lease. */
  readonly renewEveryMs: number;
}

/** The lease's timing for collection interval `intervalMs` (the reasons are in the module comment). */
export function leaseTiming(intervalMs: number): LeaseTiming {
  return { leaseMs: Math.round(intervalMs / 2), renewEveryMs: Math.round(intervalMs / 6) };
}

type Leading = { fence: WriteFence; readonly collection: RestartableCollection; validUntil: number };

/**
 * Renews the lease `held` holds for `leaseMs` from now (the length in effect); false when it has
 * passed to another instance. When the length changed (a reload), the fence the writes check is set
 * again with it (it bounds how long a paused write may hold the lease row), calling `lost` as before.
 */
export async function renewFor(lease: CollectionLeaseStore, held: { fence: WriteFence }, leaseMs: number, lost: () => void): Promise<boolean> {
  const fence = held.fence.leaseMs === leaseMs ? held.fence : { ...held.fence, leaseMs };
  if (!(await lease.renew(fence))) return false;
  if (fence !== held.fence) {
    held.fence = fence;
    lease.fenceWrites(fence, lost);
  }
  return true;
}

export function takeLeaderSeat(deps: {
  readonly lease: CollectionLeaseStore;
  readonly logger: Logger;
  /** Read at every tick: the collection interval in effect (it follows a reload). */
  readonly timing: () => LeaseTiming;
  readonly start: () => RunningCollection;
}): CollectionSeat {
  const { lease, logger } = deps;
  const self = { id: randomUUID(), host: hostname(), pid: process.pid, version: VERSION };
  let leading: Leading | null = null;
  /** A step down in progress: the collection stops before the lease may be tried again. */
  let stepping: Promise<void> | null = null;
  let holder: { id: string | null; host: string | null; pid: number | null } = { id: null, host: null, pid: null };
  let announcedStandby = false;

  const stepDown = (why: string): void => {
    const was = leading;
    if (was === null) return;
    leading = null;
    logger.warn({ fencing_token: was.fence.token }, `stopped collecting: ${why}`);
    stepping = was.collection
      .stop()
      .catch((err: unknown) => logger.error({ err }, 'stopping the collection after losing the lease failed'))
      .finally(() => {
        stepping = null;
      });
  };

  const clustersCollected = (): number => leading?.collection.scheduler.scheduleStates().size ?? 0;

  const lost = (): void => stepDown('another instance took the collection lease');

  const tryAcquire = async (): Promise<void> => {
    const { leaseMs } = deps.timing();
    const sentAt = performance.now();
    const attempt = await lease.acquire(self.id, leaseMs);
    if (!attempt.held) {
      // Looked up again until found: the holder's first heartbeat may come just after its acquisition.
      if (attempt.holder !== holder.id || holder.host === null) holder = { id: attempt.holder, ...(await holderAddress(attempt.holder)) };
      if (!announcedStandby) {
        announcedStandby = true;
        logger.warn(
          { holder_instance: holder.id, holder_host: holder.host, holder_pid: holder.pid },
          'another Stellar instance collects on this database; this one serves the API and console and takes over collection if that one stops',
        );
      }
      return;
    }
    const fence: WriteFence = { holder: self.id, token: attempt.token, leaseMs };
    lease.fenceWrites(fence, lost);
    if (ticker.stopped) {
      await lease.release(fence);
      return;
    }
    logger.info({ fencing_token: fence.token, previous_holder_instance: holder.id }, holder.id === null ? 'took the collection lease: this instance collects' : 'took over collection: the instance that held the lease stopped, or stopped renewing it');
    leading = { fence, collection: new RestartableCollection(deps.start), validUntil: sentAt + leaseMs };
  };

  const holderAddress = async (id: string | null): Promise<{ host: string | null; pid: number | null }> => {
    const found = id === null ? undefined : (await lease.instances()).find((i) => i.id === id);
    return { host: found?.host ?? null, pid: found?.pid ?? null };
  };

  const tick = async (): Promise<void> => {
    const current = leading;
    if (current !== null) {
      const { leaseMs } = deps.timing();
      const sentAt = performance.now();
      if (await renewFor(lease, current, leaseMs, lost)) current.validUntil = sentAt + leaseMs;
      else lost();
    } else if (stepping === null) {
      await tryAcquire();
    }
    await lease.heartbeat({ ...self, role: leading !== null ? 'leader' : 'standby', clustersCollected: clustersCollected() });
  };

  const ticker = leaseTicker({
    tick,
    // Past its lease by its own clock (a database that does not answer), a leader may have been replaced: it stops.
    watch: () => {
      if (leading !== null && performance.now() > leading.validUntil) stepDown('the collection lease could not be renewed in time');
    },
    everyMs: () => deps.timing().renewEveryMs,
    logger,
    what: 'the collection lease',
  });
  ticker.start();

  return {
    role: (): CollectionRole => (leading !== null ? { role: 'leader' } : { role: 'standby', holder_pid: holder.pid, holder_host: holder.host }),
    instanceId: self.id,
    running: () => leading?.collection ?? null,
    instances: () => lease.instances(),
    // Under the same lease and fence: a step down meanwhile stops the restarted collection too.
    restart: () => leading?.collection.restart() ?? Promise.resolve(),
    async stop() {
      await ticker.stop();
      const was = leading;
      leading = null;
      await stepping;
      if (was !== null) {
        await was.collection.stop();
        await lease.release(was.fence).catch((err: unknown) => logger.warn({ err }, 'could not release the collection lease; another instance takes over once it expires'));
      }
      await lease.forget(self.id).catch(() => undefined);
    },
  };
}
