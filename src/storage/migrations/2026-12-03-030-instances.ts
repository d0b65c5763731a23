/**
 * collection_lease: the one row saying which instance collects on this database, until when,
 * and under which fencing token (collector/collection-lease.ts). stellar_instances: every
 * instance that runs on it, with its role and last heartbeat, for GET /api/instances. Both on
 * either engine (the same schema everywhere), though only PostgreSQL instances write them: on an
 * SQLite file a file lock elects the collecting process.
 */
import { type Kysely, type Migration, sql } from 'kysely';

export const instances: Migration = {
  async up(db: Kysely<any>) {
    await db.schema
      .createTable('collection_lease')
      // One row, id 1: a second one would be a second leader.
      .addColumn('id', 'integer', (c) => c.primaryKey().check(sql`id = 1`))
      .addColumn('holder', 'text', (c) => c.notNull())
      // Incremented at every acquisition: a write made under an older token is refused.
      .addColumn('token', 'bigint', (c) => c.notNull())
      .addColumn('acquired_at', 'bigint', (c) => c.notNull())
      .addColumn('expires_at', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema
      .createTable('stellar_instances')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('host', 'text', (c) => c.notNull())
      .addColumn('pid', 'integer', (c) => c.notNull())
      .addColumn('version', 'text', (c) => c.notNull())
      .addColumn('role', 'text', (c) => c.notNull())
      .addColumn('started_at', 'bigint', (c) => c.notNull())
      .addColumn('last_heartbeat_at', 'bigint', (c) => c.notNull())
      .addColumn('clusters_collected', 'integer', (c) => c.notNull())
      .execute();
  },
};
