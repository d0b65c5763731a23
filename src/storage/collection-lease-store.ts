/**
 * What the leader election needs of the database (collector/collection-lease.ts): the lease row
 * with its fencing token, the instances' heartbeats, and the fence that every snapshot write
 * checks. Implemented where the database is shared by instances on several machines
 * (PostgreSQL, dialect/postgres/postgres-collection-lease.ts); an SQLite file elects its
 * collector with a file lock instead (dialect/sqlite/collection-lock.ts).
 */
import type { Transaction } from 'kysely';
import type { Database } from './database.js';

/** The lease as this instance holds it: snapshot writes are refused once another acquisition moved the token on. */
export interface WriteFence {
  /** The holder's instance id. */
  readonly holder: string;
  readonly token: number;
  /**
   * The lease's length: a fenced transaction of several statements whose client goes quiet
   * for this long (paused in the middle) is ended by the server, so the lock its check holds
   * on the lease row never keeps another instance from taking over.
   */
  readonly leaseMs: number;
}

/**
 * A write refused because the lease it was made under (the collection lease, or in shards mode
 * its cluster's lease) has passed to another instance: nothing was written.
 */
export class FencedWriteError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FencedWriteError';
  }
}

export function leaseSuperseded(fence: WriteFence): FencedWriteError {
  return new FencedWriteError(`not written: this instance no longer holds the collection lease (its token ${fence.token} was superseded); another instance collects`);
}

export type LeaseAttempt = { readonly held: true; readonly token: number } | { readonly held: false; readonly holder: string | null };

/** An instance as it reports itself in its heartbeat. */
export interface InstanceReport {
  readonly id: string;
  readonly host: string;
  readonly pid: number;
  readonly version: string;
  /** shard: collects its share of the clusters (`coordination = "shards"`). */
  readonly role: 'leader' | 'standby' | 'shard';
  readonly clustersCollected: number;
}

export interface InstanceRecord extends InstanceReport {
  readonly startedAt: number;
  readonly lastHeartbeatAt: number;
  /** How long ago the last heartbeat was, by the database server's clock (the instances' clocks may differ). */
  readonly heartbeatAgeMs: number;
}

export interface CollectionLeaseStore {
  /** Takes the lease for `leaseMs` when it is free, expired or already `holder`'s (a new token then); else says who holds it. */
  acquire(holder: string, leaseMs: number): Promise<LeaseAttempt>;
  /** Extends the lease held under `fence` by its length from now; false when it has passed to another instance. */
  renew(fence: WriteFence): Promise<boolean>;
  /** Ends the lease at once (a clean stop), so a standby takes over at its next try instead of waiting for it to expire. */
  release(fence: WriteFence): Promise<void>;
  /**
   * From now on every snapshot write (and tier back-fill) checks, in its own transaction, that
   * `fence` still holds the lease, and else writes nothing, calls `lost` and throws
   * FencedWriteError. Set at every acquisition, and kept after the lease is lost.
   */
  fenceWrites(fence: WriteFence, lost: () => void): void;
  /**
   * Checks, inside the caller's transaction `trx`, that the fence set by `fenceWrites` still
   * holds the lease (and holds the lease row until `trx` ends); throws FencedWriteError, after
   * calling `lost`, when it does not. Nothing to check before any acquisition. For the writes
   * other than snapshots that only the leader makes (the collection state).
   */
  checkFence(trx: Transaction<Database>): Promise<void>;
  /** Records the instance's heartbeat (the first one adds it), and forgets instances silent for a day. */
  heartbeat(report: InstanceReport): Promise<void>;
  /** Removes the instance's row (a clean stop). */
  forget(id: string): Promise<void>;
  /** Every instance that reported in the last day, oldest first. */
  instances(): Promise<InstanceRecord[]>;
}
