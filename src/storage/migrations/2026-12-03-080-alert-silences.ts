/**
 * Silences and acknowledgements of alerts (docs/alerts.md).
 *
 * alert_silences: a silence's matchers (JSON, as src/shared/alerts/alert-silence.ts checks them),
 * its start and end (an early expiry moves the end to the time of expiry, as Alertmanager does,
 * and says who expired it), its comment and author. Kept after they end: the console shows the
 * recent ones.
 *
 * alert_acks: who acknowledged a firing alert (a rule on a cluster), when, why; `fired_at` ties it
 * to one firing: the evaluator deletes it when the alert resolves, and a row left from an older
 * firing is never shown.
 *
 * alert_deliveries.silence_id: the silence holding an undelivered delivery back (its next
 * attempt is then that silence's end); `skipped`: why a held delivery was dropped instead of
 * sent (the alert resolved before its silence ended), its delivered_at then being the drop.
 */
import type { Kysely, Migration } from 'kysely';
import type { StorageDialect } from '../dialect/dialect.js';

export function alertSilences(dialect: StorageDialect): Migration {
  const id = dialect.idColumn;
  return {
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('alert_silences')
        .addColumn('id', id.type, id.build)
        .addColumn('matchers', 'text', (c) => c.notNull())
        .addColumn('starts_at', 'bigint', (c) => c.notNull())
        .addColumn('ends_at', 'bigint', (c) => c.notNull())
        .addColumn('comment', 'text', (c) => c.notNull())
        .addColumn('created_by', 'text', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('expired_by', 'text')
        .execute();
      // The notifier reads the silences not yet ended at each run: a range on ends_at.
      await db.schema.createIndex('alert_silences_ends_at').on('alert_silences').column('ends_at').execute();
      await db.schema
        .createTable('alert_acks')
        .addColumn('rule_name', 'text', (c) => c.notNull())
        .addColumn('cluster_id', 'integer', (c) => c.notNull().references('clusters.id').onDelete('cascade'))
        .addColumn('fired_at', 'bigint', (c) => c.notNull())
        .addColumn('acked_by', 'text', (c) => c.notNull())
        .addColumn('acked_at', 'bigint', (c) => c.notNull())
        .addColumn('comment', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('alert_acks_pk', ['rule_name', 'cluster_id'])
        .execute();
      await db.schema.alterTable('alert_deliveries').addColumn('silence_id', 'integer').execute();
      await db.schema.alterTable('alert_deliveries').addColumn('skipped', 'text').execute();
    },
  };
}
