/**
 * `[cluster] coordination = "shards"` on PostgreSQL: every instance collects a share of the
 * clusters, each cluster under a lease of its own (cluster_leases) whose fencing token every
 * snapshot write of the cluster checks. The holder of the collection lease (the leader mode's
 * single lease) also runs the maintenance: roll-ups, retention, tier back-fill, trend blocks.
 *
 * Every `renewEveryMs` (interval/6) an instance heartbeats, renews its leases, and sizes its
 * share: at most ceil(clusters / live instances), live meaning a heartbeat within the lease's
 * length (interval/2). Short of it, it claims free or expired leases (FOR UPDATE SKIP LOCKED:
 * instances claiming at once never take the same one); over it, it hands the surplus back in
 * two steps — at one tick the scheduler lets go of the clusters collected last (their next slot
 * is furthest), at the next the leases are released — so another instance claims each within
 * an interval/6 or so and collects it from its next slot: none missed, none twice. A joining
 * instance gets its share as the others hand theirs back; the leases of one that dies expire
 * within interval/2, the live count drops with them, and the others claim them at their next
 * tick: taken over within an interval, collected from their next slot.
 *
 * A paused or slow instance that wakes up writes nothing for a cluster claimed meanwhile (the
 * token moved on: the write's own statement checks it) and lets go of it at its next renewal.
 * Unlike the leader, it does not give up its whole share when a renewal comes late by its own
 * clock: the database's check already refuses what it may no longer write, and giving up on a
 * busy event loop only moved clusters about (missed slots, and more load on the others).
 * Whatever happens, metrics_snapshots takes one row per cluster and slot (slot_at), and a
 * cluster's collection state is written only by the holder of its lease (the same check, made in
 * the state write's transaction: collection-service.ts).
 *
 * The timing follows a configuration reload that changes the interval, as the leader's does
 * (collection-lease.ts): read at every tick, for the renewals, claims, census and period.
 */
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { Logger } from 'pino';
import type { CollectionLeaseStore, WriteFence } from '../storage/collection-lease-store.js';
import type { ClusterLeaseStore } from '../storage/cluster-lease-store.js';
import type { ClusterRegistry } from '../registry/cluster-registry.js';
import { VERSION } from '../version.js';
import { type LeaseTiming, renewFor } from './collection-lease.js';
import type { ClusterSource, RunningCollection } from './collection-service.js';
import type { CollectionRole, CollectionSeat } from './collection-standby.js';
import { leaseTicker } from './lease-ticker.js';
import { RestartableCollection } from './restartable-collection.js';

type Maintaining = { fence: WriteFence; running: { stop(): Promise<void> }; validUntil: number };

export function takeShardSeat(deps: {
  readonly lease: CollectionLeaseStore;
  readonly clusterLeases: ClusterLeaseStore;
  readonly registry: Pick<ClusterRegistry, 'list' | 'get' | 'onChange' | 'generation'>;
  readonly logger: Logger;
  /** Read at every tick: the collection interval in effect (it follows a reload). */
  readonly timing: () => LeaseTiming;
  /** Starts collecting the clusters `share` lists (it reports each change of the share). */
  readonly start: (share: ClusterSource) => RunningCollection;
  readonly startMaintenance: () => { stop(): Promise<void> };
}): CollectionSeat {
  const { lease, clusterLeases, registry, logger } = deps;
  const self = { id: randomUUID(), host: hostname(), pid: process.pid, version: VERSION };
  /** Every cluster lease held, with its token: what the snapshot writes check. */
  const held = new Map<number, number>();
  /** The held clusters the scheduler collects; the others are being handed back. */
  const owned = new Set<number>();
  const listeners = new Set<() => void>();
  let maintaining: Maintaining | null = null;
  let maintenanceStopping: Promise<void> | null = null;

  clusterLeases.fenceSnapshots(self.id, held);
  const share: ClusterSource = {
    list: async () => (await registry.list()).filter((c) => owned.has(c.id)),
    get: (id) => registry.get(id),
    onChange(listener) {
      const unsubscribe = registry.onChange(listener);
      listeners.add(listener);
      return () => {
        unsubscribe();
        listeners.delete(listener);
      };
    },
    get generation() {
      return registry.generation;
    },
  };
  // A reload restarts it with the new settings, resuming every cluster of the share from its stored state.
  const collection = new RestartableCollection(() => deps.start(share));
  const shareChanged = (): void => {
    for (const listener of listeners) listener();
  };

  const stopMaintenance = (why: string): void => {
    const was = maintaining;
    if (was === null) return;
    maintaining = null;
    logger.warn({ fencing_token: was.fence.token }, `stopped running the maintenance: ${why}`);
    maintenanceStopping = was.running
      .stop()
      .catch((err: unknown) => logger.error({ err }, 'stopping the maintenance failed'))
      .finally(() => {
        maintenanceStopping = null;
      });
  };

  /** Renews what is held; what another instance claimed meanwhile is let go of. */
  const renewShare = async (leaseMs: number): Promise<boolean> => {
    if (held.size === 0) return false;
    const renewed = await clusterLeases.renew(self.id, [...held.keys()], leaseMs);
    let lost = 0;
    for (const id of [...held.keys()]) {
      if (renewed.has(id)) continue;
      held.delete(id);
      if (owned.delete(id)) lost += 1;
    }
    if (lost > 0) logger.warn({ clusters: lost }, 'another instance claimed clusters this one collected (its leases had expired)');
    return lost > 0;
  };

  /** Releases the leases handed back at the last tick, once the scheduler has let go of them. */
  const releaseHandedBack = async (): Promise<void> => {
    const states = collection.scheduler.scheduleStates();
    const done = [...held.keys()].filter((id) => !owned.has(id) && !states.has(id));
    if (done.length === 0) return;
    await clusterLeases.release(self.id, done);
    for (const id of done) held.delete(id);
  };

  /** Claims up to the share, or hands the surplus back: the clusters whose next collection is furthest. */
  const resize = async (leaseMs: number): Promise<boolean> => {
    const census = await clusterLeases.census(leaseMs);
    const target = Math.ceil(census.clusters / Math.max(1, census.liveInstances));
    if (owned.size > target) {
      const states = collection.scheduler.scheduleStates();
      const nextAt = (id: number): number => (states.get(id)?.running === true ? Number.NEGATIVE_INFINITY : (states.get(id)?.nextAttemptAt ?? Number.POSITIVE_INFINITY));
      const surplus = [...owned].sort((a, b) => nextAt(b) - nextAt(a)).slice(0, owned.size - target);
      for (const id of surplus) owned.delete(id);
      logger.info({ clusters: owned.size, handed_back: surplus.length, instances: census.liveInstances }, 'handing clusters back: another instance joined');
      return true;
    }
    if (held.size >= target) return false;
    const claimed = await clusterLeases.claim(self.id, target - held.size, leaseMs);
    if (claimed.size === 0) return false;
    for (const [id, token] of claimed) {
      held.set(id, token);
      owned.add(id);
    }
    logger.info({ clusters: owned.size, claimed: claimed.size, instances: census.liveInstances, registered: census.clusters }, 'claimed clusters to collect');
    return true;
  };

  const lostMaintenance = (): void => stopMaintenance('another instance took the collection lease');

  const maintenanceTick = async (leaseMs: number): Promise<void> => {
    const current = maintaining;
    if (current !== null) {
      const sentAt = performance.now();
      if (await renewFor(lease, current, leaseMs, lostMaintenance)) current.validUntil = sentAt + leaseMs;
      else lostMaintenance();
      return;
    }
    if (maintenanceStopping !== null) return;
    const sentAt = performance.now();
    const attempt = await lease.acquire(self.id, leaseMs);
    if (!attempt.held) return;
    const fence: WriteFence = { holder: self.id, token: attempt.token, leaseMs };
    lease.fenceWrites(fence, lostMaintenance);
    if (ticker.stopped) {
      await lease.release(fence);
      return;
    }
    maintaining = { fence, running: deps.startMaintenance(), validUntil: sentAt + leaseMs };
  };

  const tick = async (): Promise<void> => {
    // One length for the whole tick, whatever a reload changes meanwhile.
    const { leaseMs } = deps.timing();
    // The renewal first, the heartbeat before the census: it counts this instance from its first tick on.
    let changed = await renewShare(leaseMs);
    await lease.heartbeat({ ...self, role: 'shard', clustersCollected: owned.size });
    await releaseHandedBack();
    if (await resize(leaseMs)) changed = true;
    if (changed) shareChanged();
    await maintenanceTick(leaseMs);
  };

  const ticker = leaseTicker({
    tick,
    // Past its lease by its own clock, another instance may run the maintenance: it stops.
    watch: () => {
      if (maintaining !== null && performance.now() > maintaining.validUntil) stopMaintenance('the collection lease could not be renewed in time');
    },
    everyMs: () => deps.timing().renewEveryMs,
    logger,
    what: 'the cluster leases',
  });
  ticker.start();

  return {
    role: (): CollectionRole => ({ role: 'shard', clusters: owned.size, maintenance: maintaining !== null }),
    instanceId: self.id,
    running: () => collection,
    instances: () => lease.instances(),
    async restart() {
      await collection.restart();
      // The maintenance reads the retention settings at its start: started again under the same lease.
      const current = maintaining;
      if (current === null) return;
      await current.running.stop();
      if (maintaining === current) current.running = deps.startMaintenance();
    },
    async stop() {
      await ticker.stop();
      await collection.stop();
      const mine = [...held.keys()];
      held.clear();
      owned.clear();
      // Released at once: the others take the share over at their next tick instead of waiting for the leases to expire.
      await clusterLeases.release(self.id, mine).catch((err: unknown) => logger.warn({ err }, 'could not release the cluster leases; the other instances take them over once they expire'));
      const was = maintaining;
      maintaining = null;
      await maintenanceStopping;
      if (was !== null) {
        await was.running.stop();
        await lease.release(was.fence).catch((err: unknown) => logger.warn({ err }, 'could not release the collection lease; another instance takes the maintenance over once it expires'));
      }
      await lease.forget(self.id).catch(() => undefined);
    },
  };
}
