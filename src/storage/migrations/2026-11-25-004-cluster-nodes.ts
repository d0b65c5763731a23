/**
 * Each cluster's node lists as last collected, one row per cluster, so `/api/clusters/:id/nodes`
 * can show them without asking the cluster again. A list that failed keeps its previous value.
 */
import type { Kysely, Migration } from 'kysely';

export const clusterNodes: Migration = {
  async up(db: Kysely<any>) {
    await db.schema
      .createTable('cluster_nodes')
      .addColumn('cluster_id', 'integer', (c) => c.primaryKey().references('clusters.id').onDelete('cascade'))
      .addColumn('frontends', 'text')
      .addColumn('frontends_at', 'bigint')
      .addColumn('backends', 'text')
      .addColumn('backends_at', 'bigint')
      .addColumn('compute_nodes', 'text')
      .addColumn('compute_nodes_at', 'bigint')
      .execute();
  },
  async down(db: Kysely<any>) {
    await db.schema.dropTable('cluster_nodes').execute();
  },
};
