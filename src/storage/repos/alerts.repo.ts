/**
 * The alert tables: each rule's state on each cluster, the events (what fired and resolved, the
 * history), their deliveries to each channel with retries, and the rules made through the API.
 * An evaluation's changed states, its events and their deliveries are written in one
 * transaction, so a restart finds either all of them or none: it neither forgets an alert nor
 * notifies twice. Times are epoch ms. Silences and acknowledgements: alert-silences.repo.ts.
 */
import type { Kysely, Selectable, Transaction } from 'kysely';
import { sql } from 'kysely';
import type { Database } from '../database.js';
import type { AlertEventsTable, AlertStateTable } from '../tables/alerts.table.js';
import type { BeforeWrite } from './collection-state.repo.js';

/** Rows per INSERT: at most 9 values each, well below SQLite's and PostgreSQL's bound parameters. */
const ROWS_PER_INSERT = 1000;

/** One rule on one cluster, as src/alerts/alert-state.ts keeps it. */
export interface AlertStateRecord {
  readonly status: 'inactive' | 'pending' | 'firing';
  readonly activeSince: number | null;
  readonly firedAt: number | null;
  readonly value: number | string | null;
  readonly evaluatedAt: number | null;
}

export interface RuleClusterState {
  readonly ruleName: string;
  readonly clusterId: number;
  readonly state: AlertStateRecord;
}

export interface NewAlertEvent {
  readonly ruleName: string;
  readonly clusterId: number;
  readonly event: 'fired' | 'resolved';
  readonly severity: string;
  readonly at: number;
  readonly activeSince: number;
  readonly value: number | string | null;
  readonly labels: Readonly<Record<string, string>>;
  readonly annotations: Readonly<Record<string, string>>;
  /** Where it is to be sent (`alertmanager`, `webhook NAME`, `slack NAME`). */
  readonly channels: readonly string[];
}

export interface StoredAlertEvent extends Omit<NewAlertEvent, 'channels'> {
  readonly id: number;
}

export interface DueDelivery {
  readonly id: number;
  readonly channel: string;
  readonly attempts: number;
  readonly lastError: string | null;
  /** The silence that held it back (it is due again at that silence's end or expiry); null when none did. */
  readonly silenceId: number | null;
  readonly event: StoredAlertEvent;
}

const STATE_COLUMNS = ['status', 'active_since', 'fired_at', 'value', 'evaluated_at'] as const satisfies readonly (keyof AlertStateTable)[];

const json = (value: number | string | null): string | null => (value === null ? null : JSON.stringify(value));
const unjson = (text: string | null): number | string | null => (text === null ? null : (JSON.parse(text) as number | string));

function stateOf(row: Pick<Selectable<AlertStateTable>, 'status' | 'active_since' | 'fired_at' | 'value' | 'evaluated_at'>): AlertStateRecord {
  return { status: row.status, activeSince: row.active_since, firedAt: row.fired_at, value: unjson(row.value), evaluatedAt: row.evaluated_at };
}

function eventOf(row: Selectable<AlertEventsTable>): StoredAlertEvent {
  return {
    id: row.id,
    ruleName: row.rule_name,
    clusterId: row.cluster_id,
    event: row.event,
    severity: row.severity,
    at: row.at,
    activeSince: row.active_since,
    value: unjson(row.value),
    labels: JSON.parse(row.labels) as Record<string, string>,
    annotations: JSON.parse(row.annotations) as Record<string, string>,
  };
}

/** Every rule's stored state on one cluster, by rule name. */
export async function alertStatesOf(db: Kysely<Database>, clusterId: number): Promise<Map<string, AlertStateRecord>> {
  const rows = await db.selectFrom('alert_state').selectAll().where('cluster_id', '=', clusterId).execute();
  return new Map(rows.map((row) => [row.rule_name, stateOf(row)]));
}

/** Every pending and firing alert of the fleet (or of one cluster): one query. */
export async function activeAlertStates(db: Kysely<Database>, clusterId?: number): Promise<RuleClusterState[]> {
  let query = db.selectFrom('alert_state').selectAll().where('status', '!=', 'inactive');
  if (clusterId !== undefined) query = query.where('cluster_id', '=', clusterId);
  const rows = await query.orderBy('cluster_id').orderBy('rule_name').execute();
  return rows.map((row) => ({ ruleName: row.rule_name, clusterId: row.cluster_id, state: stateOf(row) }));
}

/** Every firing alert with the event it fired with (its labels and annotations as sent): what Alertmanager is told again. */
export async function firingAlerts(db: Kysely<Database>): Promise<StoredAlertEvent[]> {
  const rows = await db
    .selectFrom('alert_state as s')
    .innerJoin('alert_events as e', (join) => join.onRef('e.rule_name', '=', 's.rule_name').onRef('e.cluster_id', '=', 's.cluster_id').onRef('e.at', '=', 's.fired_at'))
    .selectAll('e')
    .where('s.status', '=', 'firing')
    .where('e.event', '=', 'fired')
    .orderBy('e.id')
    .execute();
  return rows.map(eventOf);
}

/**
 * Writes an evaluation's outcome in one transaction: the changed states (replacing each
 * rule's row on its cluster), the events and a delivery per event and channel, due at once.
 * Gives the events back with their ids. A cluster deleted meanwhile fails the write (its rows
 * are gone with it); the caller drops the evaluation.
 */
export async function recordAlertChanges(
  db: Kysely<Database>,
  changes: { readonly states: readonly RuleClusterState[]; readonly events: readonly NewAlertEvent[] },
  options: { readonly beforeWrite?: BeforeWrite } = {},
): Promise<StoredAlertEvent[]> {
  if (changes.states.length === 0 && changes.events.length === 0) return [];
  return db.transaction().execute(async (trx) => {
    await options.beforeWrite?.(trx);
    await writeStates(trx, changes.states);
    const stored: StoredAlertEvent[] = [];
    for (const event of changes.events) {
      const { channels, ...fields } = event;
      const row = await trx
        .insertInto('alert_events')
        .values({
          rule_name: fields.ruleName,
          cluster_id: fields.clusterId,
          event: fields.event,
          severity: fields.severity,
          at: fields.at,
          active_since: fields.activeSince,
          value: json(fields.value),
          labels: JSON.stringify(fields.labels),
          annotations: JSON.stringify(fields.annotations),
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      const id = Number(row.id);
      if (channels.length > 0) {
        await trx
          .insertInto('alert_deliveries')
          .values(channels.map((channel) => ({ event_id: id, channel, next_attempt_at: fields.at, last_error: null, delivered_at: null })))
          .execute();
      }
      stored.push({ ...fields, id });
      // An acknowledgement is of one firing: it ends with it.
      if (fields.event === 'resolved') await trx.deleteFrom('alert_acks').where('rule_name', '=', fields.ruleName).where('cluster_id', '=', fields.clusterId).execute();
    }
    return stored;
  });
}

async function writeStates(trx: Transaction<Database>, states: readonly RuleClusterState[]): Promise<void> {
  for (let i = 0; i < states.length; i += ROWS_PER_INSERT) {
    const rows = states.slice(i, i + ROWS_PER_INSERT).map(({ ruleName, clusterId, state }) => ({
      rule_name: ruleName,
      cluster_id: clusterId,
      status: state.status,
      active_since: state.activeSince,
      fired_at: state.firedAt,
      value: json(state.value),
      evaluated_at: state.evaluatedAt ?? 0,
    }));
    await trx
      .insertInto('alert_state')
      .values(rows)
      .onConflict((oc) => oc.columns(['rule_name', 'cluster_id']).doUpdateSet(Object.fromEntries(STATE_COLUMNS.map((c) => [c, sql.ref(`excluded.${c}`)]))))
      .execute();
  }
}

/** Deliveries not yet made whose next attempt is due, oldest event first. */
export async function dueDeliveries(db: Kysely<Database>, now: number, limit = 500): Promise<DueDelivery[]> {
  const rows = await db
    .selectFrom('alert_deliveries as d')
    .innerJoin('alert_events as e', 'e.id', 'd.event_id')
    .selectAll('e')
    .select(['d.id as delivery_id', 'd.channel', 'd.attempts', 'd.last_error', 'd.silence_id'])
    .where('d.delivered_at', 'is', null)
    .where('d.next_attempt_at', '<=', now)
    .orderBy('e.id')
    .orderBy('d.id')
    .limit(limit)
    .execute();
  return rows.map((row) => ({ id: Number(row.delivery_id), channel: row.channel, attempts: row.attempts, lastError: row.last_error, silenceId: row.silence_id === null ? null : Number(row.silence_id), event: eventOf(row) }));
}

/**
 * The due deliveries this caller may send, claimed: their next attempt moves `claimMs` ahead, in
 * a statement that takes only rows still due, so instances sharing the database (shards) never
 * send one twice: on PostgreSQL the second update of a row re-reads it after the first commits
 * and finds it no longer due. A caller that dies after claiming leaves them to be sent again
 * once the claim runs out (at least once, never lost).
 */
export async function claimDueDeliveries(db: Kysely<Database>, now: number, claimMs: number, limit = 500): Promise<DueDelivery[]> {
  const due = await dueDeliveries(db, now, limit);
  if (due.length === 0) return [];
  const claimed = await db
    .updateTable('alert_deliveries')
    .set({ next_attempt_at: now + claimMs })
    .where('id', 'in', due.map((d) => d.id))
    .where('delivered_at', 'is', null)
    .where('next_attempt_at', '<=', now)
    .returning('id')
    .execute();
  const ids = new Set(claimed.map((r) => Number(r.id)));
  return due.filter((d) => ids.has(d.id));
}

/** When the earliest undelivered delivery is due; null when every one was made. */
export async function nextDeliveryAt(db: Kysely<Database>): Promise<number | null> {
  const row = await db.selectFrom('alert_deliveries').select((eb) => eb.fn.min('next_attempt_at').as('at')).where('delivered_at', 'is', null).executeTakeFirst();
  return row?.at === null || row?.at === undefined ? null : Number(row.at);
}

export async function markDelivered(db: Kysely<Database>, ids: readonly number[], at: number): Promise<void> {
  if (ids.length === 0) return;
  await db.updateTable('alert_deliveries').set((eb) => ({ delivered_at: at, attempts: eb('attempts', '+', 1), last_error: null })).where('id', 'in', ids).execute();
}

/** A failed attempt: counted, its error kept, tried again at `nextAttemptAt`. */
export async function markFailed(db: Kysely<Database>, ids: readonly number[], error: string, nextAttemptAt: number): Promise<void> {
  if (ids.length === 0) return;
  await db.updateTable('alert_deliveries').set((eb) => ({ attempts: eb('attempts', '+', 1), last_error: error.slice(0, 1000), next_attempt_at: nextAttemptAt })).where('id', 'in', ids).execute();
}

/** Deliveries still waiting after a failed attempt: what the API shows so that none fails unseen. */
export async function failingDeliveries(db: Kysely<Database>): Promise<DueDelivery[]> {
  const rows = await db
    .selectFrom('alert_deliveries as d')
    .innerJoin('alert_events as e', 'e.id', 'd.event_id')
    .selectAll('e')
    .select(['d.id as delivery_id', 'd.channel', 'd.attempts', 'd.last_error', 'd.next_attempt_at', 'd.silence_id'])
    .where('d.delivered_at', 'is', null)
    .where('d.attempts', '>', 0)
    .orderBy('d.id')
    .execute();
  return rows.map((row) => ({ id: Number(row.delivery_id), channel: row.channel, attempts: row.attempts, lastError: row.last_error, silenceId: row.silence_id === null ? null : Number(row.silence_id), event: eventOf(row) }));
}

/** Events newest first, `limit` at a time; `beforeId` continues after the last one of the previous page. */
export async function alertHistory(db: Kysely<Database>, options: { readonly clusterId?: number; readonly beforeId?: number; readonly limit: number }): Promise<StoredAlertEvent[]> {
  let query = db.selectFrom('alert_events').selectAll();
  if (options.clusterId !== undefined) query = query.where('cluster_id', '=', options.clusterId);
  if (options.beforeId !== undefined) query = query.where('id', '<', options.beforeId);
  const rows = await query.orderBy('id', 'desc').limit(options.limit).execute();
  return rows.map(eventOf);
}

export interface StoredApiRule {
  readonly name: string;
  /** The rule as written (its JSON source form). */
  readonly definition: unknown;
  readonly updatedAt: number;
}

export async function apiAlertRules(db: Kysely<Database>): Promise<StoredApiRule[]> {
  const rows = await db.selectFrom('alert_rules').selectAll().orderBy('name').execute();
  return rows.map((row) => ({ name: row.name, definition: JSON.parse(row.definition) as unknown, updatedAt: row.updated_at }));
}

/** Creates or replaces an API rule; says whether it existed. */
export async function saveApiAlertRule(db: Kysely<Database>, name: string, definition: unknown, updatedAt: number): Promise<'created' | 'replaced'> {
  return db.transaction().execute(async (trx) => {
    const existing = await trx.selectFrom('alert_rules').select('name').where('name', '=', name).executeTakeFirst();
    const text = JSON.stringify(definition);
    if (existing) await trx.updateTable('alert_rules').set({ definition: text, updated_at: updatedAt }).where('name', '=', name).execute();
    else await trx.insertInto('alert_rules').values({ name, definition: text, updated_at: updatedAt }).execute();
    return existing ? 'replaced' : 'created';
  });
}

/**
 * Deletes an API rule; says whether there was one. Its states stay: the evaluator resolves what
 * it had firing (a rule gone resolves its alerts, with the labels they fired with).
 */
export async function deleteApiAlertRule(db: Kysely<Database>, name: string): Promise<boolean> {
  const deleted = await db.deleteFrom('alert_rules').where('name', '=', name).executeTakeFirst();
  return Number(deleted.numDeletedRows) > 0;
}

/** The event a firing alert fired with: what its resolution repeats (its labels) when its rule is gone. */
export async function firedEventOf(db: Kysely<Database>, ruleName: string, clusterId: number, firedAt: number): Promise<StoredAlertEvent | undefined> {
  const row = await db
    .selectFrom('alert_events')
    .selectAll()
    .where('rule_name', '=', ruleName)
    .where('cluster_id', '=', clusterId)
    .where('at', '=', firedAt)
    .where('event', '=', 'fired')
    .orderBy('id', 'desc')
    .executeTakeFirst();
  return row === undefined ? undefined : eventOf(row);
}
