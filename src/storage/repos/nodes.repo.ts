/**
 * The cluster_nodes table: each cluster's node lists as last collected. A collection writes
 * only the lists that answered, so a list that failed this time keeps its previous value and
 * the time it was collected at.
 */
import type { Kysely, Selectable, Updateable } from 'kysely';
import type { Database } from '../database.js';
import type { ClusterNodesTable } from '../tables/clusters.table.js';

export type ClusterNodesRow = Selectable<ClusterNodesTable>;

export interface CollectedNodeLists {
  /** Epoch ms of the collection. */
  readonly at: number;
  /** Each list as JSON, or null when it did not answer this time. */
  readonly frontends: string | null;
  readonly backends: string | null;
  readonly computeNodes: string | null;
}

export async function upsertClusterNodes(db: Kysely<Database>, clusterId: number, lists: CollectedNodeLists): Promise<void> {
  const changes: Updateable<ClusterNodesTable> = {};
  if (lists.frontends !== null) Object.assign(changes, { frontends: lists.frontends, frontends_at: lists.at });
  if (lists.backends !== null) Object.assign(changes, { backends: lists.backends, backends_at: lists.at });
  if (lists.computeNodes !== null) Object.assign(changes, { compute_nodes: lists.computeNodes, compute_nodes_at: lists.at });
  if (Object.keys(changes).length === 0) return;
  await db
    .insertInto('cluster_nodes')
    .values({ cluster_id: clusterId, ...changes })
    .onConflict((oc) => oc.column('cluster_id').doUpdateSet(changes))
    .execute();
}

export function clusterNodesRow(db: Kysely<Database>, clusterId: number): Promise<ClusterNodesRow | undefined> {
  return db.selectFrom('cluster_nodes').selectAll().where('cluster_id', '=', clusterId).executeTakeFirst();
}

/** The frontends lists of many clusters in one query (the fleet reads each cluster's version from them). */
export function frontendListsOf(db: Kysely<Database>, clusterIds: readonly number[]): Promise<Pick<ClusterNodesRow, 'cluster_id' | 'frontends'>[]> {
  if (clusterIds.length === 0) return Promise.resolve([]);
  return db.selectFrom('cluster_nodes').select(['cluster_id', 'frontends']).where('cluster_id', 'in', clusterIds).execute();
}
