import type { Generated } from 'kysely';

/** A rule made through the API (src/shared/alerts/alert-rule.ts), as written. */
export interface AlertRulesTable {
  name: string;
  /** JSON of the rule's source form. */
  definition: string;
  updated_at: number;
}

/** One rule on one cluster (src/alerts/alert-state.ts). */
export interface AlertStateTable {
  rule_name: string;
  cluster_id: number;
  status: 'inactive' | 'pending' | 'firing';
  active_since: number | null;
  fired_at: number | null;
  /** JSON: the value the condition saw. */
  value: string | null;
  evaluated_at: number;
}

/** A rule fired or resolved on a cluster: the history, and what the deliveries send. */
export interface AlertEventsTable {
  id: Generated<number>;
  rule_name: string;
  cluster_id: number;
  event: 'fired' | 'resolved';
  severity: string;
  at: number;
  active_since: number;
  value: string | null;
  /** JSON objects, rendered at the event. */
  labels: string;
  annotations: string;
}

/** An event to send to one channel, until it is delivered (retried with backoff meanwhile). */
export interface AlertDeliveriesTable {
  id: Generated<number>;
  event_id: number;
  /** `alertmanager`, `webhook NAME` or `slack NAME`. */
  channel: string;
  attempts: Generated<number>;
  next_attempt_at: number;
  last_error: string | null;
  delivered_at: number | null;
  /** The silence holding it back (next_attempt_at is then its end); null when none does. */
  silence_id: number | null;
  /** Why it was dropped rather than sent (delivered_at is then when): the alert resolved while silenced. */
  skipped: string | null;
}

/** A silence (src/shared/alerts/alert-silence.ts): mutes the notifications of matching alerts from starts_at to ends_at. */
export interface AlertSilencesTable {
  id: Generated<number>;
  /** JSON array of {name, value, regex}. */
  matchers: string;
  starts_at: number;
  ends_at: number;
  comment: string;
  created_by: string;
  created_at: number;
  /** Who ended it early (its ends_at then being when); null when it runs its course. */
  expired_by: string | null;
}

/** Someone acknowledged a firing alert; for that firing only (fired_at). */
export interface AlertAcksTable {
  rule_name: string;
  cluster_id: number;
  fired_at: number;
  acked_by: string;
  acked_at: number;
  comment: string;
}
