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
}
