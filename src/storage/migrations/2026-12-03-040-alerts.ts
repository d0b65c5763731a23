/**
 * Alerts: the rules made through the API (rules from the rules file and the shipped defaults
 * live in memory, read at start and on reload), each rule's state on each cluster (so a restart
 * neither forgets a pending or firing alert nor repeats its notification), the history of what
 * fired and resolved, and the deliveries of each event to each channel with their retries.
 */
import type { Kysely, Migration } from 'kysely';
import type { StorageDialect } from '../dialect/dialect.js';

export function alerts(dialect: StorageDialect): Migration {
  const id = dialect.idColumn;
  return {
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('alert_rules')
        .addColumn('name', 'text', (c) => c.primaryKey())
        // The rule as written (JSON of its source form): validated again on every read, so a rule never runs unchecked.
        .addColumn('definition', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('alert_state')
        .addColumn('rule_name', 'text', (c) => c.notNull())
        .addColumn('cluster_id', 'integer', (c) => c.notNull().references('clusters.id').onDelete('cascade'))
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('active_since', 'bigint')
        .addColumn('fired_at', 'bigint')
        // JSON: a number, a string or null.
        .addColumn('value', 'text')
        .addColumn('evaluated_at', 'bigint', (c) => c.notNull())
        .addPrimaryKeyConstraint('alert_state_pk', ['rule_name', 'cluster_id'])
        .execute();
      await db.schema
        .createTable('alert_events')
        .addColumn('id', id.type, id.build)
        .addColumn('rule_name', 'text', (c) => c.notNull())
        .addColumn('cluster_id', 'integer', (c) => c.notNull().references('clusters.id').onDelete('cascade'))
        .addColumn('event', 'text', (c) => c.notNull())
        .addColumn('severity', 'text', (c) => c.notNull())
        .addColumn('at', 'bigint', (c) => c.notNull())
        .addColumn('active_since', 'bigint', (c) => c.notNull())
        .addColumn('value', 'text')
        // JSON objects, rendered when the event happened: what was sent is what the history shows.
        .addColumn('labels', 'text', (c) => c.notNull())
        .addColumn('annotations', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('alert_events_cluster_at').on('alert_events').columns(['cluster_id', 'at']).execute();
      await db.schema.createIndex('alert_events_at').on('alert_events').column('at').execute();
      await db.schema
        .createTable('alert_deliveries')
        .addColumn('id', id.type, id.build)
        .addColumn('event_id', 'integer', (c) => c.notNull().references('alert_events.id').onDelete('cascade'))
        .addColumn('channel', 'text', (c) => c.notNull())
        .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('next_attempt_at', 'bigint', (c) => c.notNull())
        .addColumn('last_error', 'text')
        .addColumn('delivered_at', 'bigint')
        .execute();
      await db.schema.createIndex('alert_deliveries_due').on('alert_deliveries').columns(['delivered_at', 'next_attempt_at']).execute();
    },
  };
}
