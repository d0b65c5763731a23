/**
 * The collection lease and the instances' heartbeats on PostgreSQL (collection-lease-store.ts).
 * Every time is the server's clock (`clock_timestamp()`), never an instance's: instances on
 * several machines agree on when a lease expires however far their own clocks drift apart.
 */
import { CompiledQuery, type Kysely, sql } from 'kysely';
import type pg from 'pg';
import type { Database } from '../../database.js';
import { type CollectionLeaseStore, FencedWriteError, type InstanceRecord, leaseSuperseded, type WriteFence } from '../../collection-lease-store.js';
import type { HeldClusters } from '../../cluster-lease-store.js';

/** The server's now, epoch ms. */
const NOW_MS = sql<number>`(extract(epoch from clock_timestamp()) * 1000)::bigint`;
/** Instances silent this long are dropped from the list: long gone, not a standby about to take over. */
const FORGET_SILENT_MS = 86_400_000;

/**
 * The fencing check, part of every fenced write. FOR SHARE holds the row until the write
 * commits: an acquisition by another instance (an UPDATE of the row) waits for the write, or the
 * check waits for the acquisition and then sees the new token. Either way no row is written
 * under a token that is no longer the lease's. `$h` and `$t` are the parameters' numbers.
 */
export function fenceCheckSql(h: number, t: number): string {
  return `select 1 from collection_lease where id = 1 and holder = $${h}::text and token = $${t}::bigint for share`;
}

/**
 * The shards mode's check of cluster leases, the one rule: the rows of the clusters `pairs`
 * names (a query of cluster id and token rows) that `holder` still holds under those tokens,
 * locked as fenceCheckSql locks the collection lease's row. Returns their cluster ids.
 */
function clusterLeasesHeldSql(pairs: string, holder: string): string {
  return `select cluster_id from cluster_leases where (cluster_id, token) in (${pairs}) and holder = ${holder} for share`;
}

/**
 * The check of one cluster's lease, part of each snapshot write of it. `$c`, `$h` and `$t` are
 * the cluster's, holder's and token's parameters.
 */
export function clusterFenceCheckSql(c: number, h: number, t: number): string {
  return clusterLeasesHeldSql(`values ($${c}::integer, $${t}::bigint)`, `$${h}::text`);
}

/**
 * The same check of many clusters' leases at once (a batch of collection states): `$c` and `$t`
 * are parallel arrays of cluster ids and tokens, `$h` the holder.
 */
export function clusterFencesCheckSql(c: number, h: number, t: number): string {
  return clusterLeasesHeldSql(`select * from unnest($${c}::integer[], $${t}::bigint[])`, `$${h}::text`);
}

/** What a snapshot write checks: the collection lease, or (shards) its cluster's lease; `refuse` throws. */
export interface SnapshotFence {
  readonly lease: 'collection' | 'cluster';
  readonly holder: string;
  readonly token: number;
  readonly refuse: () => never;
}

/**
 * The fences writes check, as the lease stores set them: the collection lease's (none until this
 * instance first acquires it), which snapshot writes check in leader mode and the tiers'
 * back-fill always; and in shards mode the cluster leases, which the writes of a cluster's data
 * (its snapshots, its collection state) check instead.
 */
export class FenceHolder {
  #current: { readonly fence: WriteFence; readonly lost: () => void } | null = null;
  #shards: { readonly holder: string; readonly held: HeldClusters } | null = null;

  useShards(holder: string, held: HeldClusters): void {
    this.#shards = { holder, held };
  }

  /**
   * Shards mode: which of `clusterIds` this instance holds the lease of, each with the token a
   * write of the cluster's data checks (a cluster not among them is refused without asking the
   * database); null in leader mode.
   */
  heldClusters(clusterIds: readonly number[]): { readonly holder: string; readonly tokens: ReadonlyMap<number, number> } | null {
    const shards = this.#shards;
    if (shards === null) return null;
    const tokens = new Map<number, number>();
    for (const id of clusterIds) {
      const token = shards.held.get(id);
      if (token !== undefined) tokens.set(id, token);
    }
    return { holder: shards.holder, tokens };
  }

  /** What a snapshot write of the cluster must check; null when nothing (no lease ever held); throws for a cluster not held in shards mode. */
  forSnapshot(clusterId: number): SnapshotFence | null {
    const shards = this.heldClusters([clusterId]);
    if (shards !== null) {
      const token = shards.tokens.get(clusterId);
      const refuse = (): never => {
        throw new FencedWriteError(`not written: this instance no longer holds the lease of cluster ${clusterId}${token === undefined ? '' : ` (its token ${token} was superseded)`}; another instance collects it`);
      };
      if (token === undefined) return refuse();
      return { lease: 'cluster', holder: shards.holder, token, refuse };
    }
    const current = this.#current;
    return current === null ? null : { lease: 'collection', holder: current.fence.holder, token: current.fence.token, refuse: () => this.refused(current) };
  }

  set(fence: WriteFence, lost: () => void): void {
    this.#current = { fence, lost };
  }

  /** The fence to check, with what to call when a write finds it superseded; null before any acquisition. */
  get current(): { readonly fence: WriteFence; readonly lost: () => void } | null {
    return this.#current;
  }

  /** A write found the fence superseded: tells the lease's keeper and throws. */
  refused(current: { readonly fence: WriteFence; readonly lost: () => void }): never {
    current.lost();
    throw leaseSuperseded(current.fence);
  }

  /**
   * Runs a write of several statements on `client` (a connection of its own) in a transaction
   * that first checks the fence, when one is set, and commits only if it holds.
   */
  async run<T>(client: pg.PoolClient, write: () => Promise<T>): Promise<T> {
    const current = this.#current;
    await client.query('begin');
    try {
      if (current !== null) {
        await client.query(`set local idle_in_transaction_session_timeout = ${Math.max(1, Math.round(current.fence.leaseMs))}`);
        const held = await client.query({ name: 'stellar_fence_check', text: fenceCheckSql(1, 2), values: [current.fence.holder, current.fence.token] });
        if (held.rowCount === 0) this.refused(current);
      }
      const result = await write();
      await client.query('commit');
      return result;
    } catch (err) {
      await client.query('rollback').catch(() => undefined);
      throw err;
    }
  }
}

export function postgresCollectionLease(db: Kysely<Database>, fence: FenceHolder): CollectionLeaseStore {
  return {
    async acquire(holder, leaseMs) {
      // One statement: the row is created on the first acquisition ever, else taken over only
      // when expired (or already ours); two standbys trying at once are serialised on the row,
      // and the second then sees the lease unexpired.
      const taken = await sql<{ token: number }>`
        insert into collection_lease (id, holder, token, acquired_at, expires_at) values (1, ${holder}, 1, ${NOW_MS}, ${NOW_MS} + ${leaseMs})
        on conflict (id) do update set holder = excluded.holder, token = collection_lease.token + 1, acquired_at = excluded.acquired_at, expires_at = excluded.expires_at
        where collection_lease.expires_at < excluded.acquired_at or collection_lease.holder = excluded.holder
        returning token`.execute(db);
      const token = taken.rows[0]?.token;
      if (token !== undefined) return { held: true, token: Number(token) };
      const current = await db.selectFrom('collection_lease').select('holder').where('id', '=', 1).executeTakeFirst();
      return { held: false, holder: current?.holder ?? null };
    },
    async renew({ holder, token, leaseMs }) {
      const renewed = await sql`update collection_lease set expires_at = ${NOW_MS} + ${leaseMs} where id = 1 and holder = ${holder} and token = ${token}`.execute(db);
      return Number(renewed.numAffectedRows ?? 0) > 0;
    },
    async release({ holder, token }) {
      await sql`update collection_lease set expires_at = 0 where id = 1 and holder = ${holder} and token = ${token}`.execute(db);
    },
    fenceWrites(next, lost) {
      fence.set(next, lost);
    },
    async checkFence(trx) {
      const current = fence.current;
      if (current === null) return;
      // The check's lock lasts until `trx` ends: a writer paused in the middle has its
      // transaction ended by the server after a lease's length, as in FenceHolder.run, so a
      // standby's acquisition (which waits for the lock) is not held up for longer.
      await sql`set local idle_in_transaction_session_timeout = ${sql.raw(String(Math.max(1, Math.round(current.fence.leaseMs))))}`.execute(trx);
      const held = await trx.executeQuery(CompiledQuery.raw(fenceCheckSql(1, 2), [current.fence.holder, current.fence.token]));
      if (held.rows.length === 0) fence.refused(current);
    },
    async heartbeat(r) {
      await sql`
        insert into stellar_instances (id, host, pid, version, role, started_at, last_heartbeat_at, clusters_collected)
        values (${r.id}, ${r.host}, ${r.pid}, ${r.version}, ${r.role}, ${NOW_MS}, ${NOW_MS}, ${r.clustersCollected})
        on conflict (id) do update set role = excluded.role, last_heartbeat_at = excluded.last_heartbeat_at, clusters_collected = excluded.clusters_collected`.execute(db);
      await sql`delete from stellar_instances where last_heartbeat_at < ${NOW_MS} - ${FORGET_SILENT_MS}`.execute(db);
    },
    async forget(id) {
      await db.deleteFrom('stellar_instances').where('id', '=', id).execute();
    },
    async instances() {
      const { rows } = await sql<Database['stellar_instances'] & { age_ms: number }>`
        select *, ${NOW_MS} - last_heartbeat_at as age_ms from stellar_instances order by started_at, id`.execute(db);
      return rows.map(
        (r): InstanceRecord => ({
          id: r.id,
          host: r.host,
          pid: r.pid,
          version: r.version,
          role: r.role === 'leader' || r.role === 'shard' ? r.role : 'standby',
          clustersCollected: r.clusters_collected,
          startedAt: Number(r.started_at),
          lastHeartbeatAt: Number(r.last_heartbeat_at),
          heartbeatAgeMs: Math.max(0, Number(r.age_ms)),
        }),
      );
    },
  };
}
