/**
 * Alerts: what is pending and firing now and the notifications that fail (GET /api/alerts), the
 * history (GET /api/alerts/history), and the rules (GET /api/alert-rules), of which those made
 * through the API are created, replaced and deleted here (admin). Reads come from the database,
 * so every instance answers alike; the collecting one picks a changed API rule up within
 * RULES_REFRESH_MS (at once when it answered the change itself).
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { AlertRuleBook } from '../../alerts/alert-rule-book.js';
import type { LoadedRule } from '../../alerts/alerts-file.js';
import { StellarError, validationError } from '../../errors.js';
import type { ClusterRegistry } from '../../registry/cluster-registry.js';
import { AlertRuleInput, type AlertRuleSource } from '../../shared/alerts/alert-rule.js';
import { baseAlertLabels, silencesOf } from '../../shared/alerts/alert-silence.js';
import {
  ActiveAlertsQuery,
  ActiveAlertsResponse,
  type AlertEventJson,
  AlertHistoryQuery,
  AlertHistoryResponse,
  AlertRuleNameParams,
  AlertRuleResponse,
  type AlertRuleJson,
  AlertRulesResponse,
} from '../../shared/api/alerts.js';
import type { Database } from '../../storage/database.js';
import { alertAcks, unendedSilences } from '../../storage/repos/alert-silences.repo.js';
import { activeAlertStates, alertHistory, deleteApiAlertRule, failingDeliveries, firingAlerts, saveApiAlertRule, type StoredAlertEvent } from '../../storage/repos/alerts.repo.js';
import { errors, json, NoContent } from '../route-responses.js';

export interface AlertRoutesDeps {
  readonly db: Kysely<Database>;
  readonly registry: ClusterRegistry;
  readonly rules: AlertRuleBook;
  readonly now: () => number;
}

const iso = (ms: number) => new Date(ms).toISOString();
const RuleBody = z.record(z.string(), z.unknown()).meta({ description: 'A rule as in the alerts file (docs/alerts.md): name, condition, for, severity, scope, labels, annotations, enabled' });

export function presentRule({ rule, origin }: LoadedRule): AlertRuleJson {
  return { name: rule.name, origin, enabled: rule.enabled, condition: rule.condition.text, for_seconds: rule.for / 1000, severity: rule.severity, scope: rule.scope, labels: rule.labels, annotations: rule.annotations };
}

function presentEvent(e: StoredAlertEvent): AlertEventJson {
  return { id: e.id, rule: e.ruleName, cluster_id: e.clusterId, event: e.event, severity: e.severity, at: iso(e.at), active_since: iso(e.activeSince), value: e.value, labels: { ...e.labels }, annotations: { ...e.annotations } };
}

/** The rule of a body, checked by the one schema the file and the evaluator use; 400 naming each key. */
function ruleOf(body: Record<string, unknown>): LoadedRule {
  const parsed = AlertRuleInput.safeParse(body);
  if (!parsed.success) throw validationError(parsed.error.issues.map((i) => ({ field: i.path.length > 0 ? i.path.join('.') : 'body', message: i.message })));
  return { rule: parsed.data, source: body as AlertRuleSource, origin: 'api' };
}

export const alertRoutes: FastifyPluginAsyncZod<{ deps: AlertRoutesDeps }> = async (app, { deps }) => {
  const { db, rules } = deps;
  const tags = ['alerts'];

  app.get(
    '/alerts',
    {
      schema: {
        summary: 'Alerts pending and firing now',
        description: 'Every rule pending or firing on a cluster (the fleet, or one cluster with cluster_id) with the silences muting it and who acknowledged it, and the notifications whose delivery failed and is being retried.',
        tags,
        querystring: ActiveAlertsQuery,
        response: { 200: json('Active alerts', ActiveAlertsResponse), ...errors(400, 401) },
      },
    },
    async (request) => {
      const clusterId = request.query.cluster_id;
      const now = deps.now();
      const [states, firing, failing, clusters, known, silences, acks] = await Promise.all([
        activeAlertStates(db, clusterId),
        firingAlerts(db),
        failingDeliveries(db),
        deps.registry.list(),
        rules.all(),
        unendedSilences(db, now),
        alertAcks(db),
      ]);
      const names = new Map(clusters.map((c) => [c.id, c.name]));
      const severities = new Map(known.map((r) => [r.rule.name, r.rule.severity]));
      const fired = new Map(firing.map((e) => [`${e.ruleName}@${e.clusterId}`, e]));
      return {
        alerts: states.flatMap(({ ruleName, clusterId: id, state }) => {
          if (state.status === 'inactive') return [];
          const event = fired.get(`${ruleName}@${id}`);
          const severity = severities.get(ruleName) ?? 'warning';
          // Pending: no labels sent yet; matched with those Stellar sets on every alert.
          const labels = event?.labels ?? baseAlertLabels(ruleName, { id, name: names.get(id) ?? String(id) }, severity);
          const ack = acks.get(`${ruleName}@${id}`);
          return [
            {
              rule: ruleName,
              cluster_id: id,
              cluster: names.get(id) ?? String(id),
              status: state.status,
              severity,
              active_since: iso(state.activeSince ?? state.evaluatedAt ?? 0),
              fired_at: state.firedAt === null ? null : iso(state.firedAt),
              value: state.value,
              labels: { ...(event?.labels ?? {}) },
              annotations: { ...(event?.annotations ?? {}) },
              silenced_by: silencesOf(silences, labels, now),
              acknowledged: ack !== undefined && state.status === 'firing' && ack.firedAt === state.firedAt ? { by: ack.by, at: iso(ack.at), comment: ack.comment } : null,
            },
          ];
        }),
        failing_deliveries: failing
          .filter((d) => clusterId === undefined || d.event.clusterId === clusterId)
          .map((d) => ({ channel: d.channel, rule: d.event.ruleName, cluster_id: d.event.clusterId, event: d.event.event, at: iso(d.event.at), attempts: d.attempts, last_error: d.lastError })),
      };
    },
  );

  app.get(
    '/alerts/history',
    {
      schema: {
        summary: 'What fired and resolved',
        description: 'Alert events newest first, fleet-wide or for one cluster, `limit` at a time; the next page starts before next_before_id.',
        tags,
        querystring: AlertHistoryQuery,
        response: { 200: json('Alert events', AlertHistoryResponse), ...errors(400, 401) },
      },
    },
    async (request) => {
      const { cluster_id: clusterId, before_id: beforeId, limit } = request.query;
      const events = await alertHistory(db, { limit, ...(clusterId === undefined ? {} : { clusterId }), ...(beforeId === undefined ? {} : { beforeId }) });
      return { events: events.map(presentEvent), next_before_id: events.length === limit ? events.at(-1)!.id : null };
    },
  );

  app.get(
    '/alert-rules',
    { schema: { summary: 'Every alert rule', description: 'The shipped defaults, the alerts file’s rules and those made through the API, each with its origin; switched-off ones too.', tags, response: { 200: json('The rules', AlertRulesResponse), ...errors(401) } } },
    async () => ({ rules: (await rules.all()).map(presentRule) }),
  );

  const refuseFixed = (name: string) => {
    if (rules.isFixed(name)) throw new StellarError('STELLAR_ERR_ALERT_RULE_NAME_TAKEN', `the alert rule "${name}" is a default or alerts-file rule: change it in the alerts file ([alerts] file)`, [{ field: 'name', message: 'is a default or alerts-file rule' }]);
  };
  const isApiRule = async (name: string) => (await rules.all()).some((r) => r.origin === 'api' && r.rule.name === name);

  app.post(
    '/alert-rules',
    {
      schema: { summary: 'Make an alert rule', tags, body: RuleBody, response: { 201: json('The rule', AlertRuleResponse), ...errors(400, 401, 409) } },
    },
    async (request, reply) => {
      const loaded = ruleOf(request.body);
      refuseFixed(loaded.rule.name);
      if (await isApiRule(loaded.rule.name)) throw new StellarError('STELLAR_ERR_ALERT_RULE_NAME_TAKEN', `an alert rule named "${loaded.rule.name}" already exists: PUT /api/alert-rules/${loaded.rule.name} replaces it`, [{ field: 'name', message: 'is already used by another rule' }]);
      await saveApiAlertRule(db, loaded.rule.name, request.body, deps.now());
      rules.invalidate();
      return reply.code(201).send(presentRule(loaded));
    },
  );

  app.put(
    '/alert-rules/:name',
    {
      schema: { summary: 'Replace an alert rule made through the API', tags, params: AlertRuleNameParams, body: RuleBody, response: { 200: json('The rule', AlertRuleResponse), ...errors(400, 401, 404, 409) } },
    },
    async (request) => {
      const { name } = request.params;
      if (request.body.name !== undefined && request.body.name !== name) throw validationError([{ field: 'name', message: `differs from the rule in the path ("${name}"); a rule is not renamed` }]);
      const body = { ...request.body, name };
      const loaded = ruleOf(body);
      refuseFixed(name);
      if (!(await isApiRule(name))) throw new StellarError('STELLAR_ERR_ALERT_RULE_NOT_FOUND', `no alert rule made through the API is named "${name}"`);
      await saveApiAlertRule(db, name, body, deps.now());
      rules.invalidate();
      return presentRule(loaded);
    },
  );

  app.delete(
    '/alert-rules/:name',
    {
      schema: { summary: 'Delete an alert rule made through the API', description: 'What it had firing resolves at the next collection of each cluster (notified as any resolution); its history stays.', tags, params: AlertRuleNameParams, response: { 204: NoContent, ...errors(401, 404, 409) } },
    },
    async (request, reply) => {
      const { name } = request.params;
      refuseFixed(name);
      if (!(await deleteApiAlertRule(db, name))) throw new StellarError('STELLAR_ERR_ALERT_RULE_NOT_FOUND', `no alert rule made through the API is named "${name}"`);
      rules.invalidate();
      return reply.code(204).send(null);
    },
  );
};
