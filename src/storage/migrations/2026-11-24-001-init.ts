/**
 * The first schema: clusters, the two snapshot tables (metric columns come with the
 * collector), users, auth tokens and installation facts. Timestamps are epoch milliseconds
 * in `bigint` columns.
 */
import { sql, type Kysely, type Migration } from 'kysely';
import type { StorageDialect } from '../dialect/dialect.js';

export function init(dialect: StorageDialect): Migration {
  const id = dialect.idColumn;
  return {
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('clusters')
        .addColumn('id', id.type, id.build)
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
        .addColumn('fe_host', 'text', (c) => c.notNull())
        .addColumn('fe_http_port', 'integer', (c) => c.notNull())
        .addColumn('fe_query_port', 'integer', (c) => c.notNull())
        .addColumn('username', 'text', (c) => c.notNull())
        .addColumn('password_encrypted', 'text', (c) => c.notNull())
        .addColumn('enable_ssl', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('connection_timeout', 'integer', (c) => c.notNull())
        .addColumn('tags', 'text', (c) => c.notNull().defaultTo('[]'))
        .addColumn('deployment_mode', 'text', (c) => c.notNull())
        .addColumn('engine', 'text', (c) => c.notNull())
        .addColumn('node_list_source', 'text', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('clusters_name_unique').on('clusters').unique().expression(sql`lower(name)`).execute();

      await db.schema
        .createTable('metrics_snapshots')
        .addColumn('id', id.type, id.build)
        .addColumn('cluster_id', 'integer', (c) => c.notNull().references('clusters.id').onDelete('cascade'))
        .addColumn('collected_at', 'bigint', (c) => c.notNull())
        .addUniqueConstraint('metrics_snapshots_cluster_time_unique', ['cluster_id', 'collected_at'])
        .execute();
      // Retention deletes by time across all clusters.
      await db.schema.createIndex('metrics_snapshots_collected_at').on('metrics_snapshots').column('collected_at').execute();

      await db.schema
        .createTable('daily_snapshots')
        .addColumn('id', id.type, id.build)
        .addColumn('cluster_id', 'integer', (c) => c.notNull().references('clusters.id').onDelete('cascade'))
        .addColumn('snapshot_date', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .addUniqueConstraint('daily_snapshots_cluster_date_unique', ['cluster_id', 'snapshot_date'])
        .execute();

      await db.schema
        .createTable('users')
        .addColumn('id', id.type, id.build)
        .addColumn('username', 'text', (c) => c.notNull().unique())
        .addColumn('password_hash', 'text', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .execute();

      await db.schema
        .createTable('auth_tokens')
        .addColumn('id', id.type, id.build)
        .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
        .addColumn('token_hash', 'text', (c) => c.notNull().unique())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('expires_at', 'bigint', (c) => c.notNull())
        .execute();

      await db.schema
        .createTable('stellar_meta')
        .addColumn('key', 'text', (c) => c.primaryKey())
        .addColumn('value', 'text', (c) => c.notNull())
        .execute();
    },
  };
}
