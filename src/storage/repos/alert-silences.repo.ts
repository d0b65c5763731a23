/**
 * Silences and acknowledgements of alerts (src/shared/alerts/alert-silence.ts, docs/alerts.md),
 * and what the notifier does with a delivery a silence holds back. Every instance reads them
 * here, so instances sharing a database honour each other's silences and acknowledgements.
 * Times are epoch ms.
 */
import type { Kysely, Selectable } from 'kysely';
import type { SilenceMatcher, SilenceWindow } from '../../shared/alerts/alert-silence.js';
import type { Database } from '../database.js';
import type { AlertAcksTable, AlertSilencesTable } from '../tables/alerts.table.js';

export interface StoredSilence extends SilenceWindow {
  readonly comment: string;
  readonly createdBy: string;
  readonly createdAt: number;
  readonly expiredBy: string | null;
}

export interface AlertAck {
  readonly ruleName: string;
  readonly clusterId: number;
  /** The firing it acknowledges: an ack of an earlier firing is no ack of this one. */
  readonly firedAt: number;
  readonly by: string;
  readonly at: number;
  readonly comment: string;
}

function silenceOf(row: Selectable<AlertSilencesTable>): StoredSilence {
  return {
    id: Number(row.id),
    matchers: JSON.parse(row.matchers) as SilenceMatcher[],
    startsAt: Number(row.starts_at),
    endsAt: Number(row.ends_at),
    comment: row.comment,
    createdBy: row.created_by,
    createdAt: Number(row.created_at),
    expiredBy: row.expired_by,
  };
}

function ackOf(row: Selectable<AlertAcksTable>): AlertAck {
  return { ruleName: row.rule_name, clusterId: row.cluster_id, firedAt: Number(row.fired_at), by: row.acked_by, at: Number(row.acked_at), comment: row.comment };
}

export async function createSilence(db: Kysely<Database>, silence: Omit<StoredSilence, 'id' | 'expiredBy'>): Promise<StoredSilence> {
  const row = await db
    .insertInto('alert_silences')
    .values({ matchers: JSON.stringify(silence.matchers), starts_at: silence.startsAt, ends_at: silence.endsAt, comment: silence.comment, created_by: silence.createdBy, created_at: silence.createdAt, expired_by: null })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { ...silence, id: Number(row.id), expiredBy: null };
}

/** Silences not ended at `now` (running, or to start later): what the notifier mutes with. One indexed query. */
export async function unendedSilences(db: Kysely<Database>, now: number): Promise<StoredSilence[]> {
  const rows = await db.selectFrom('alert_silences').selectAll().where('ends_at', '>', now).orderBy('id').execute();
  return rows.map(silenceOf);
}

/** Silences ending after `since` (so those running, to come, and ended since then), newest first. */
export async function silencesEndingAfter(db: Kysely<Database>, since: number): Promise<StoredSilence[]> {
  const rows = await db.selectFrom('alert_silences').selectAll().where('ends_at', '>', since).orderBy('id', 'desc').execute();
  return rows.map(silenceOf);
}

export async function silenceById(db: Kysely<Database>, id: number): Promise<StoredSilence | undefined> {
  const row = await db.selectFrom('alert_silences').selectAll().where('id', '=', id).executeTakeFirst();
  return row === undefined ? undefined : silenceOf(row);
}

/**
 * Ends a silence at `now` (one not started yet ends before it starts), and makes the deliveries
 * it held due at once, so the notifier sends what still fires at its next run. Says whether it was
 * still unended.
 */
export async function expireSilence(db: Kysely<Database>, id: number, now: number, by: string): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const ended = await trx.updateTable('alert_silences').set({ ends_at: now, expired_by: by }).where('id', '=', id).where('ends_at', '>', now).executeTakeFirst();
    if (Number(ended.numUpdatedRows) === 0) return false;
    await trx.updateTable('alert_deliveries').set({ next_attempt_at: now }).where('silence_id', '=', id).where('delivered_at', 'is', null).execute();
    return true;
  });
}

/** Holds deliveries back until their silence ends: not attempted, not failed, due again then. */
export async function holdDeliveries(db: Kysely<Database>, ids: readonly number[], silence: SilenceWindow): Promise<void> {
  if (ids.length === 0) return;
  await db.updateTable('alert_deliveries').set({ silence_id: silence.id, next_attempt_at: silence.endsAt }).where('id', 'in', ids).execute();
}

/** Drops held deliveries rather than sending them, saying why; delivered_at is when. */
export async function skipDeliveries(db: Kysely<Database>, ids: readonly number[], reason: string, now: number): Promise<void> {
  if (ids.length === 0) return;
  await db.updateTable('alert_deliveries').set({ delivered_at: now, skipped: reason }).where('id', 'in', ids).execute();
}

/** Whether the firing a resolution ends was sent on `channel` (not dropped): the receiver then needs the resolution too. */
export async function firingWasSent(db: Kysely<Database>, channel: string, ruleName: string, clusterId: number, activeSince: number): Promise<boolean> {
  const row = await db
    .selectFrom('alert_deliveries as d')
    .innerJoin('alert_events as e', 'e.id', 'd.event_id')
    .select('d.id')
    .where('d.channel', '=', channel)
    .where('e.rule_name', '=', ruleName)
    .where('e.cluster_id', '=', clusterId)
    .where('e.active_since', '=', activeSince)
    .where('e.event', '=', 'fired')
    .where('d.delivered_at', 'is not', null)
    .where('d.skipped', 'is', null)
    .executeTakeFirst();
  return row !== undefined;
}

/** Acknowledges one firing of a rule on a cluster, replacing an earlier acknowledgement of it. */
export async function acknowledgeAlert(db: Kysely<Database>, ack: AlertAck): Promise<void> {
  await db
    .insertInto('alert_acks')
    .values({ rule_name: ack.ruleName, cluster_id: ack.clusterId, fired_at: ack.firedAt, acked_by: ack.by, acked_at: ack.at, comment: ack.comment })
    .onConflict((oc) => oc.columns(['rule_name', 'cluster_id']).doUpdateSet({ fired_at: ack.firedAt, acked_by: ack.by, acked_at: ack.at, comment: ack.comment }))
    .execute();
}

/** Withdraws an acknowledgement; says whether there was one. */
export async function withdrawAck(db: Kysely<Database>, ruleName: string, clusterId: number): Promise<boolean> {
  const deleted = await db.deleteFrom('alert_acks').where('rule_name', '=', ruleName).where('cluster_id', '=', clusterId).executeTakeFirst();
  return Number(deleted.numDeletedRows) > 0;
}

/** Every acknowledgement, by `rule@cluster_id`: the caller keeps those whose fired_at is the alert's. */
export async function alertAcks(db: Kysely<Database>): Promise<Map<string, AlertAck>> {
  const rows = await db.selectFrom('alert_acks').selectAll().execute();
  return new Map(rows.map((row) => [`${row.rule_name}@${row.cluster_id}`, ackOf(row)]));
}
