/**
 * The cluster leases of `coordination = "shards"` on PostgreSQL (cluster-lease-store.ts). Every
 * time is the server's clock, as for the collection lease (postgres-collection-lease.ts).
 */
import { CompiledQuery, type Kysely, sql } from 'kysely';
import type { Database } from '../../database.js';
import type { ClusterLeaseStore } from '../../cluster-lease-store.js';
import { clusterFencesCheckSql, type FenceHolder } from './postgres-collection-lease.js';

/** The server's now, epoch ms. */
const NOW_MS = sql<number>`(extract(epoch from clock_timestamp()) * 1000)::bigint`;

function tokens(rows: readonly { cluster_id: number; token: number }[]): Map<number, number> {
  return new Map(rows.map((r) => [Number(r.cluster_id), Number(r.token)]));
}

export function postgresClusterLeases(db: Kysely<Database>, fence: FenceHolder): ClusterLeaseStore {
  /** The length the leases were last claimed or renewed for: it follows the interval in effect. */
  let lastLeaseMs = 0;
  return {
    fenceSnapshots(holder, held) {
      fence.useShards(holder, held);
    },
    async stillHeld(trx, clusterIds) {
      const held = fence.heldClusters(clusterIds);
      if (held === null || held.tokens.size === 0) return new Set();
      // The check's locks last until `trx` ends: a writer paused in the middle (the claims skip
      // locked rows) has its transaction ended by the server after a lease's length, as a fenced
      // write of the collection lease has (FenceHolder.run).
      if (lastLeaseMs > 0) await sql`set local idle_in_transaction_session_timeout = ${sql.raw(String(Math.max(1, Math.round(lastLeaseMs))))}`.execute(trx);
      const text = clusterFencesCheckSql(1, 2, 3);
      const { rows } = await trx.executeQuery<{ cluster_id: number }>(CompiledQuery.raw(text, [[...held.tokens.keys()], held.holder, [...held.tokens.values()]]));
      return new Set(rows.map((r) => Number(r.cluster_id)));
    },
    async census(liveWithinMs) {
      const { rows } = await sql<{ clusters: number; live: number }>`
        select (select count(*) from clusters) as clusters,
               (select count(*) from stellar_instances where role = 'shard' and last_heartbeat_at >= ${NOW_MS} - ${liveWithinMs}) as live`.execute(db);
      return { clusters: Number(rows[0]?.clusters ?? 0), liveInstances: Number(rows[0]?.live ?? 0) };
    },
    async renew(holder, clusterIds, leaseMs) {
      if (clusterIds.length === 0) return new Map();
      lastLeaseMs = leaseMs;
      const { rows } = await sql<{ cluster_id: number; token: number }>`
        update cluster_leases set expires_at = ${NOW_MS} + ${leaseMs}
        where holder = ${holder} and cluster_id = any(${[...clusterIds]}::integer[])
        returning cluster_id, token`.execute(db);
      return tokens(rows);
    },
    async claim(holder, count, leaseMs) {
      if (count <= 0) return new Map();
      lastLeaseMs = leaseMs;
      // A cluster registered since the last claim gets its row, free; then the oldest-expired
      // free rows are locked and taken. SKIP LOCKED: two instances claiming at once take
      // different rows, neither waits for the other, and a row being written under its lease
      // (the write's FOR SHARE) is left for the next try.
      await sql`
        insert into cluster_leases (cluster_id, holder, token, expires_at)
        select c.id, '', 0, 0 from clusters c where not exists (select 1 from cluster_leases l where l.cluster_id = c.id)
        on conflict (cluster_id) do nothing`.execute(db);
      const { rows } = await sql<{ cluster_id: number; token: number }>`
        with free as (
          select cluster_id from cluster_leases where expires_at < ${NOW_MS}
          order by expires_at, cluster_id limit ${count} for update skip locked
        )
        update cluster_leases l set holder = ${holder}, token = l.token + 1, expires_at = ${NOW_MS} + ${leaseMs}
        from free where l.cluster_id = free.cluster_id
        returning l.cluster_id, l.token`.execute(db);
      return tokens(rows);
    },
    async release(holder, clusterIds) {
      if (clusterIds.length === 0) return;
      await sql`update cluster_leases set expires_at = 0 where holder = ${holder} and cluster_id = any(${[...clusterIds]}::integer[])`.execute(db);
    },
  };
}
