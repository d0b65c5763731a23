/** Alerts in the API: what is pending and firing now, the history of what fired and resolved, and the rules (GET /api/alerts, /api/alerts/history, /api/alert-rules); silences and acknowledgements: alert-silences.ts. */
import { z } from 'zod';
import { ALERT_SEVERITIES } from '../alerts/alert-rule.js';
import { AlertAck } from './alert-silences.js';
import { isoTime } from './common.js';

const alertValue = () => z.union([z.number(), z.string()]).nullable().meta({ description: 'The value the condition saw (the left side of its first comparison)' });
const labelMap = () => z.record(z.string(), z.string());

const ActiveAlert = z
  .object({
    rule: z.string(),
    cluster_id: z.number(),
    cluster: z.string(),
    status: z.enum(['pending', 'firing']).meta({ description: 'pending: the condition holds, for less than the rule’s `for`; firing: for longer' }),
    severity: z.enum(ALERT_SEVERITIES),
    active_since: isoTime().meta({ description: 'When the condition started to hold' }),
    fired_at: isoTime().nullable(),
    value: alertValue().meta({ description: 'The value at the last change of state (stored only then)' }),
    labels: labelMap().meta({ description: 'Firing: the labels it was sent with; pending: none yet ({})' }),
    annotations: labelMap(),
    silenced_by: z.array(z.number()).meta({ description: 'The ids of the silences muting its notifications now (none: [])' }),
    acknowledged: AlertAck.nullable().meta({ description: 'Who acknowledged this firing; null when nobody did (and always while pending)' }),
  })
  .meta({ id: 'ActiveAlert' });

const FailingDelivery = z
  .object({
    channel: z.string().meta({ description: 'alertmanager, webhook NAME or slack NAME' }),
    rule: z.string(),
    cluster_id: z.number(),
    event: z.enum(['fired', 'resolved']),
    at: isoTime().meta({ description: 'When the event happened' }),
    attempts: z.number(),
    last_error: z.string().nullable(),
  })
  .meta({ id: 'FailingDelivery' });

export const ActiveAlertsResponse = z
  .object({
    alerts: z.array(ActiveAlert),
    failing_deliveries: z.array(FailingDelivery).meta({ description: 'Notifications not delivered yet after a failed attempt, retried with backoff until they are' }),
  })
  .meta({ id: 'ActiveAlerts' });

export const ActiveAlertsQuery = z.object({ cluster_id: z.coerce.number().int().positive().optional() }).strict();

const AlertEvent = z
  .object({
    id: z.number(),
    rule: z.string(),
    cluster_id: z.number(),
    event: z.enum(['fired', 'resolved']),
    severity: z.string(),
    at: isoTime(),
    active_since: isoTime(),
    value: alertValue(),
    labels: labelMap(),
    annotations: labelMap().meta({ description: 'Rendered when the event happened: what was sent' }),
  })
  .meta({ id: 'AlertEvent' });

export const AlertHistoryResponse = z
  .object({
    events: z.array(AlertEvent).meta({ description: 'Newest first' }),
    next_before_id: z.number().nullable().meta({ description: 'Pass as before_id for the next (older) page; null on the last page' }),
  })
  .meta({ id: 'AlertHistory' });

export const AlertHistoryQuery = z
  .object({
    cluster_id: z.coerce.number().int().positive().optional(),
    before_id: z.coerce.number().int().positive().optional().meta({ description: 'Events older than this one (next_before_id of the previous page)' }),
    limit: z.coerce.number().int().min(1).max(1000).default(100),
  })
  .strict();

const AlertRuleJson = z
  .object({
    name: z.string(),
    origin: z.enum(['default', 'file', 'api']).meta({ description: 'default: shipped with Stellar; file: [alerts] file; api: made through this API' }),
    enabled: z.boolean(),
    condition: z.string(),
    for_seconds: z.number(),
    severity: z.enum(ALERT_SEVERITIES),
    scope: z.object({ tags: z.array(z.string()).optional(), cluster_ids: z.array(z.number()).optional() }),
    labels: labelMap(),
    annotations: labelMap(),
  })
  .meta({ id: 'AlertRule' });

export const AlertRulesResponse = z.object({ rules: z.array(AlertRuleJson) }).meta({ id: 'AlertRules' });
export const AlertRuleResponse = AlertRuleJson;

export const AlertRuleNameParams = z.object({ name: z.string() });

export type AlertRuleJson = z.output<typeof AlertRuleJson>;
export type ActiveAlertJson = z.output<typeof ActiveAlert>;
export type AlertEventJson = z.output<typeof AlertEvent>;
export type ActiveAlertsJson = z.output<typeof ActiveAlertsResponse>;
export type AlertHistoryJson = z.output<typeof AlertHistoryResponse>;
export type AlertRulesJson = z.output<typeof AlertRulesResponse>;
