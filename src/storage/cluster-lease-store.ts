/**
 * What `[cluster] coordination = "shards"` needs of a shared database (collector/cluster-shards.ts):
 * one lease per cluster (cluster_leases) with a fencing token that every write of the cluster's
 * data (its snapshots, its collection state) checks, and a census of the clusters and the live instances to size each share.
 * Implemented on PostgreSQL (dialect/postgres/postgres-cluster-lease.ts).
 */
import type { Transaction } from 'kysely';
import type { Database } from './database.js';

/** The cluster leases an instance holds: cluster id → fencing token. */
export type HeldClusters = ReadonlyMap<number, number>;

export interface ClusterCensus {
  /** Registered clusters. */
  readonly clusters: number;
  /** Instances collecting a share whose last heartbeat is recent enough (this one included once it has sent one). */
  readonly liveInstances: number;
}

export interface ClusterLeaseStore {
  /**
   * From now on every snapshot write checks, in its own statement, that `holder` still holds its
   * cluster's lease under the token `held` gives (read at each write: the caller keeps it
   * current); the write of a cluster not in `held` is refused without asking the database.
   */
  fenceSnapshots(holder: string, held: HeldClusters): void;
  /**
   * Of `clusterIds`, those whose collection state this instance may still write: the same check
   * as a snapshot write's (the lease held under the token `held` gives), made inside the caller's
   * transaction `trx`, whose rows it locks until `trx` ends (a `trx` left idle for a lease's
   * length is ended by the server, so a paused writer never keeps the rows from being claimed).
   * None before fenceSnapshots.
   */
  stillHeld(trx: Transaction<Database>, clusterIds: readonly number[]): Promise<ReadonlySet<number>>;
  /** How many clusters there are, and how many instances heartbeat within `liveWithinMs`. */
  census(liveWithinMs: number): Promise<ClusterCensus>;
  /** Extends by `leaseMs` the leases `holder` still holds among `clusterIds`; returns those, with their tokens. */
  renew(holder: string, clusterIds: readonly number[], leaseMs: number): Promise<Map<number, number>>;
  /**
   * Claims up to `count` leases that are free or expired, skipping those another instance is
   * claiming at this moment (never waiting for it), each under a new token; returns them.
   */
  claim(holder: string, count: number, leaseMs: number): Promise<Map<number, number>>;
  /** Ends `holder`'s leases of `clusterIds` at once, so another instance may claim them at its next try. */
  release(holder: string, clusterIds: readonly number[]): Promise<void>;
}
