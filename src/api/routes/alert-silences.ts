/**
 * Silences (GET/POST /api/alerts/silences, GET/DELETE /api/alerts/silences/{id}) and
 * acknowledgements (POST/DELETE /api/alerts/firing/{rule}/{cluster_id}/ack) of alerts. Reads are
 * for every signed-in user, changes for administrators, as the alert rules'. Everything is in the
 * database: the notifier of whichever instance collects reads the silences at each run
 * (docs/alerts.md says what a silence and an acknowledgement do).
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import { StellarError, validationError } from '../../errors.js';
import type { ClusterRegistry } from '../../registry/cluster-registry.js';
import { silenceMatches, silencePeriod } from '../../shared/alerts/alert-silence.js';
import { AckInput, AckResponse, FiringAlertParams, SilenceIdParams, SilenceInput, SilenceResponse, SilencesQuery, SilencesResponse, type SilenceJson } from '../../shared/api/alert-silences.js';
import type { Database } from '../../storage/database.js';
import { acknowledgeAlert, createSilence, expireSilence, silenceById, silencesEndingAfter, type StoredSilence, withdrawAck } from '../../storage/repos/alert-silences.repo.js';
import { alertStatesOf, firingAlerts, type StoredAlertEvent } from '../../storage/repos/alerts.repo.js';
import { errors, json, NoContent } from '../route-responses.js';

export interface AlertSilenceRoutesDeps {
  readonly db: Kysely<Database>;
  readonly registry: ClusterRegistry;
  readonly now: () => number;
}

const iso = (ms: number) => new Date(ms).toISOString();
const HOUR_MS = 3_600_000;

/** Who made a change: the signed-in user; `anonymous` when authentication is off and none signed in. */
const author = (request: FastifyRequest) => request.principal?.username ?? 'anonymous';

function silenceNotFound(id: number): StellarError {
  return new StellarError('STELLAR_ERR_ALERT_SILENCE_NOT_FOUND', `no alert silence has id ${id}`);
}

export const alertSilenceRoutes: FastifyPluginAsyncZod<{ deps: AlertSilenceRoutesDeps }> = async (app, { deps }) => {
  const { db, now } = deps;
  const tags = ['alerts'];

  const present = (silence: StoredSilence, firing: readonly StoredAlertEvent[], at: number): SilenceJson => ({
    id: silence.id,
    matchers: silence.matchers.map((m) => ({ ...m })),
    starts_at: iso(silence.startsAt),
    ends_at: iso(silence.endsAt),
    status: at < silence.startsAt ? 'pending' : at < silence.endsAt ? 'active' : 'expired',
    comment: silence.comment,
    created_by: silence.createdBy,
    created_at: iso(silence.createdAt),
    expired_by: silence.expiredBy,
    muting: firing.filter((e) => silenceMatches(silence, e.labels, at)).map((e) => ({ rule: e.ruleName, cluster_id: e.clusterId, cluster: e.labels.cluster ?? String(e.clusterId) })),
  });

  app.get(
    '/alerts/silences',
    {
      schema: {
        summary: 'Alert silences',
        description: 'Silences to come, running, and ended in the last `expired_hours` hours (24 unless given), newest first, each with the firing alerts it mutes now.',
        tags,
        querystring: SilencesQuery,
        response: { 200: json('The silences', SilencesResponse), ...errors(400, 401) },
      },
    },
    async (request) => {
      const at = now();
      const [silences, firing] = await Promise.all([silencesEndingAfter(db, at - request.query.expired_hours * HOUR_MS), firingAlerts(db)]);
      return { silences: silences.map((s) => present(s, firing, at)) };
    },
  );

  app.get(
    '/alerts/silences/:id',
    { schema: { summary: 'One alert silence', tags, params: SilenceIdParams, response: { 200: json('The silence', SilenceResponse), ...errors(400, 401, 404) } } },
    async (request) => {
      const silence = await silenceById(db, request.params.id);
      if (silence === undefined) throw silenceNotFound(request.params.id);
      return present(silence, await firingAlerts(db), now());
    },
  );

  app.post(
    '/alerts/silences',
    {
      schema: {
        summary: 'Make an alert silence',
        description: 'Mutes the notifications (Alertmanager, webhooks, Slack) of every alert whose labels match all the matchers, from starts_at (now when absent) to ends_at or for duration. The alerts still move and are still recorded in the history; one still firing when the silence ends is notified then. The author is the signed-in user.',
        tags,
        body: SilenceInput,
        response: { 201: json('The silence', SilenceResponse), ...errors(400, 401) },
      },
    },
    async (request, reply) => {
      const at = now();
      const period = silencePeriod(request.body, at);
      if ('field' in period) throw validationError([period]);
      const silence = await createSilence(db, { matchers: request.body.matchers, startsAt: period.startsAt, endsAt: period.endsAt, comment: request.body.comment, createdBy: author(request), createdAt: at });
      request.log.info({ user: author(request), silence_id: silence.id, matchers: silence.matchers, ends_at: iso(silence.endsAt) }, 'alert silence created');
      return reply.code(201).send(present(silence, await firingAlerts(db), at));
    },
  );

  app.delete(
    '/alerts/silences/:id',
    {
      schema: {
        summary: 'Expire an alert silence',
        description: 'Ends it now (it stays listed, as expired, with who expired it). What it held back and still fires is notified within 30 s; expiring one already ended changes nothing.',
        tags,
        params: SilenceIdParams,
        response: { 204: NoContent, ...errors(400, 401, 404) },
      },
    },
    async (request, reply) => {
      const { id } = request.params;
      if ((await silenceById(db, id)) === undefined) throw silenceNotFound(id);
      if (await expireSilence(db, id, now(), author(request))) request.log.info({ user: author(request), silence_id: id }, 'alert silence expired');
      return reply.code(204).send(null);
    },
  );

  /** The firing alert of a rule on a cluster (its fired_at), or 404 saying it does not fire. */
  const firingAt = async (rule: string, clusterId: number): Promise<number> => {
    const state = (await alertStatesOf(db, clusterId)).get(rule);
    if (state?.status !== 'firing' || state.firedAt === null) throw new StellarError('STELLAR_ERR_ALERT_NOT_FIRING', `the alert rule "${rule}" is not firing on the cluster with id ${clusterId}${state === undefined ? '' : ` (it is ${state.status})`}`);
    return state.firedAt;
  };

  app.post(
    '/alerts/firing/:rule/:cluster_id/ack',
    {
      schema: {
        summary: 'Acknowledge a firing alert',
        description: 'Records who acknowledged this firing of the rule on the cluster, when, and why; shown with the alert until it resolves, when the acknowledgement ends with it. Acknowledging again replaces it.',
        tags,
        params: FiringAlertParams,
        body: AckInput,
        response: { 200: json('The acknowledgement', AckResponse), ...errors(400, 401, 404) },
      },
    },
    async (request) => {
      const { rule, cluster_id: clusterId } = request.params;
      const firedAt = await firingAt(rule, clusterId);
      const ack = { ruleName: rule, clusterId, firedAt, by: author(request), at: now(), comment: request.body.comment };
      await acknowledgeAlert(db, ack);
      request.log.info({ user: ack.by, alert: rule, cluster_id: clusterId }, 'alert acknowledged');
      return { rule, cluster_id: clusterId, fired_at: iso(firedAt), acknowledged: { by: ack.by, at: iso(ack.at), comment: ack.comment } };
    },
  );

  app.delete(
    '/alerts/firing/:rule/:cluster_id/ack',
    {
      schema: { summary: 'Withdraw the acknowledgement of an alert', tags, params: FiringAlertParams, response: { 204: NoContent, ...errors(400, 401, 404) } },
    },
    async (request, reply) => {
      const { rule, cluster_id: clusterId } = request.params;
      await firingAt(rule, clusterId);
      if (!(await withdrawAck(db, rule, clusterId))) throw new StellarError('STELLAR_ERR_ALERT_NOT_FIRING', `nobody acknowledged the alert rule "${rule}" on the cluster with id ${clusterId}`);
      return reply.code(204).send(null);
    },
  );
};
