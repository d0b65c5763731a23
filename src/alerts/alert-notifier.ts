/**
 * Sends what the evaluator stored to each channel, as a job on the collection's runner (so only
 * the collecting instance sends, and a new leader picks up what the old one left): due
 * deliveries in one batch per channel; each firing alert again to Alertmanager about once a
 * minute with `endsAt` four intervals ahead, as Prometheus does, so that Alertmanager resolves
 * it by itself should Stellar stop. A failed delivery stays in the table with its error and is
 * tried again after 10 s, 20 s, 40 s… up to every 10 minutes, for as long as it takes: never
 * dropped. A channel's failures are logged when it starts and stops failing, not at each try.
 *
 * Silences (docs/alerts.md) are read from the database at each run, so every instance's count:
 * a delivery of an alert a silence mutes is held back until that silence ends (or is expired),
 * then sent if the alert still fires with that firing, or its resolution if the receiver was
 * told of the firing; otherwise dropped, as what happened under the silence. A muted alert is
 * not refreshed at Alertmanager either. An acknowledged firing alert is refreshed there with an
 * `acknowledged` annotation (who, when, why); acknowledging changes nothing else here, for
 * Stellar repeats no notification (docs/alerts.md).
 */
import { createHmac } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import { request } from 'undici';
import type { Database } from '../storage/database.js';
import { type SilenceWindow, silenceMatches } from '../shared/alerts/alert-silence.js';
import { type AlertAck, alertAcks, firingWasSent, holdDeliveries, skipDeliveries, unendedSilences } from '../storage/repos/alert-silences.repo.js';
import { claimDueDeliveries, type DueDelivery, firingAlerts, markDelivered, markFailed, nextDeliveryAt, type StoredAlertEvent } from '../storage/repos/alerts.repo.js';
import { AlertDeliveryError, type AlertmanagerAlert, postToAlertmanager } from './alertmanager-client.js';
import type { Webhook } from './alerts-file.js';

export const RESEND_EVERY_MS = 60_000;
const FIRST_RETRY_MS = 10_000;
const MAX_RETRY_MS = 10 * 60_000;
/** Deliveries sent per run; a run that fills it runs again at once. */
const BATCH = 500;
/** How long a claimed delivery is this instance's to send: past it (a crash), another sends it. Longer than a send's timeouts. */
const CLAIM_MS = 120_000;
const TIMEOUT_MS = 10_000;
/** While a silence is unended, runs are at most this far apart: one expired early on another instance releases what it held within it. */
export const SILENCE_CHECK_MS = 30_000;

/** The channel names deliveries carry. */
export function channelsOf(alertmanagerUrl: string, webhooks: readonly Webhook[]): string[] {
  return [...(alertmanagerUrl === '' ? [] : ['alertmanager']), ...webhooks.map((w) => `${w.kind === 'slack' ? 'slack' : 'webhook'} ${w.name}`)];
}

/** When a delivery that failed its `attempts`-th time (1 for the first) is tried again. */
export function retryDelayMs(attempts: number): number {
  return Math.min(MAX_RETRY_MS, FIRST_RETRY_MS * 2 ** Math.max(0, Math.min(attempts - 1, 20)));
}

export interface AlertDestinations {
  readonly alertmanagerUrl: string;
  readonly webhooks: readonly Webhook[];
}

export interface NotifierDeps {
  readonly db: Kysely<Database>;
  readonly logger: Logger;
  /** `[alerts] alertmanager_url` (empty for none) and the alerts file's webhooks, as configured now. */
  readonly destinations: () => AlertDestinations;
  /** `[metrics] interval_secs` in ms: firing alerts sent to Alertmanager end 4 × max(interval, 1 min) ahead unless sent again. */
  readonly intervalMs: number;
  /** Told of each failed attempt, by channel (Stellar's /metrics). */
  readonly failed?: (channel: string) => void;
}

export class AlertNotifier {
  #resendAt = 0;
  /** Channels whose last attempt failed, with the error logged: the next line is when they recover. */
  readonly #failing = new Map<string, string>();

  constructor(private readonly deps: NotifierDeps) {}

  /** One run: sends what is due; gives when the next run is due, or null when nothing waits. */
  async run(now: number): Promise<number | null> {
    const silences = await unendedSilences(this.deps.db, now);
    const claimed = await claimDueDeliveries(this.deps.db, now, CLAIM_MS, BATCH);
    const due = await this.unmuted(claimed, silences, now);
    const byChannel = new Map<string, DueDelivery[]>();
    for (const delivery of due) byChannel.set(delivery.channel, [...(byChannel.get(delivery.channel) ?? []), delivery]);
    const { alertmanagerUrl } = this.deps.destinations();
    const resend = alertmanagerUrl !== '' && now >= this.#resendAt;
    if (resend && !byChannel.has('alertmanager')) byChannel.set('alertmanager', []);
    for (const [channel, deliveries] of byChannel) {
      try {
        await this.send(channel, deliveries, now, resend, silences);
        await markDelivered(this.deps.db, deliveries.map((d) => d.id), now);
        this.recovered(channel);
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        this.deps.failed?.(channel);
        this.failing(channel, message, deliveries.length);
        for (const [attempts, ids] of groupByAttempts(deliveries)) await markFailed(this.deps.db, ids, message, now + retryDelayMs(attempts + 1));
      }
    }
    if (resend) this.#resendAt = now + RESEND_EVERY_MS;
    if (claimed.length === BATCH) return now;
    const times = [await nextDeliveryAt(this.deps.db), alertmanagerUrl === '' ? null : this.#resendAt, silences.length > 0 ? now + SILENCE_CHECK_MS : null].filter((t) => t !== null);
    return times.length === 0 ? null : Math.min(...times);
  }

  /**
   * The claimed deliveries to send now: those of muted alerts are held until the longest silence
   * muting them ends; those a silence held and released are sent if still worth telling (the
   * firing still on; the resolution of a firing the receiver was told of), dropped otherwise.
   */
  private async unmuted(claimed: readonly DueDelivery[], silences: readonly SilenceWindow[], now: number): Promise<DueDelivery[]> {
    const send: DueDelivery[] = [];
    const held = new Map<SilenceWindow, number[]>();
    const dropped: number[] = [];
    let firing: Set<number> | null = null;
    for (const delivery of claimed) {
      const muting = silences.filter((s) => silenceMatches(s, delivery.event.labels, now));
      if (muting.length > 0) {
        const longest = muting.reduce((a, b) => (b.endsAt > a.endsAt ? b : a));
        held.set(longest, [...(held.get(longest) ?? []), delivery.id]);
      } else if (delivery.silenceId === null) {
        send.push(delivery);
      } else if (delivery.event.event === 'fired') {
        firing ??= new Set((await firingAlerts(this.deps.db)).map((e) => e.id));
        if (firing.has(delivery.event.id)) send.push(delivery);
        else dropped.push(delivery.id);
      } else {
        const { channel, event } = delivery;
        if (await firingWasSent(this.deps.db, channel, event.ruleName, event.clusterId, event.activeSince)) send.push(delivery);
        else dropped.push(delivery.id);
      }
    }
    for (const [silence, ids] of held) await holdDeliveries(this.deps.db, ids, silence);
    await skipDeliveries(this.deps.db, dropped, 'silenced: the alert resolved before its silence ended', now);
    return send;
  }

  private async send(channel: string, deliveries: readonly DueDelivery[], now: number, resend: boolean, silences: readonly SilenceWindow[]): Promise<void> {
    const events = deliveries.map((d) => d.event);
    const { alertmanagerUrl, webhooks } = this.deps.destinations();
    if (channel === 'alertmanager') {
      if (alertmanagerUrl === '') throw new AlertDeliveryError('no Alertmanager is configured any more ([alerts] alertmanager_url is empty)');
      const endsAt = now + 4 * Math.max(this.deps.intervalMs, 60_000);
      // Every firing alert again, so Alertmanager keeps it active; those of this batch once.
      const inBatch = new Set(events.map((e) => e.id));
      const again = resend ? (await firingAlerts(this.deps.db)).filter((e) => !inBatch.has(e.id) && !silences.some((s) => silenceMatches(s, e.labels, now))) : [];
      const batch = [...events, ...again];
      // Who acknowledged a firing rides along as an annotation: Alertmanager's own repeats then say who is on it.
      const acks = batch.some((e) => e.event === 'fired') ? await alertAcks(this.deps.db) : new Map<string, AlertAck>();
      const alerts = batch.map((e) => toAlertmanager(withAck(e, acks), endsAt));
      await postToAlertmanager(alertmanagerUrl, alerts, { timeoutMs: TIMEOUT_MS });
      return;
    }
    if (events.length === 0) return;
    const [kind, name] = channel.split(' ') as [string, string];
    const webhook = webhooks.find((w) => w.name === name && (w.kind === 'slack') === (kind === 'slack'));
    if (webhook === undefined) throw new AlertDeliveryError(`the ${kind} "${name}" is no longer in the alerts file`);
    const body = webhook.kind === 'slack' ? JSON.stringify({ text: events.map(slackLine).join('\n') }) : JSON.stringify(webhookBody(webhook.name, events));
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (webhook.secret !== null) headers['x-stellar-signature'] = `sha256=${createHmac('sha256', webhook.secret).update(body).digest('hex')}`;
    await postJson(webhook.url, body, headers, `the ${kind} "${name}"`);
  }

  private failing(channel: string, message: string, waiting: number): void {
    if (this.#failing.get(channel) === message) return;
    this.#failing.set(channel, message);
    this.deps.logger.warn({ channel, error: message, waiting }, 'alert notifications to this channel fail; they are kept and retried');
  }

  private recovered(channel: string): void {
    if (!this.#failing.delete(channel)) return;
    this.deps.logger.info({ channel }, 'alert notifications to this channel are delivered again');
  }
}

function groupByAttempts(deliveries: readonly DueDelivery[]): Map<number, number[]> {
  const groups = new Map<number, number[]>();
  for (const d of deliveries) groups.set(d.attempts, [...(groups.get(d.attempts) ?? []), d.id]);
  return groups;
}

const iso = (ms: number) => new Date(ms).toISOString();

/** A firing event with the acknowledgement of that firing (if any) as the `acknowledged` annotation. */
function withAck(event: StoredAlertEvent, acks: ReadonlyMap<string, AlertAck>): StoredAlertEvent {
  const ack = acks.get(`${event.ruleName}@${event.clusterId}`);
  if (event.event !== 'fired' || ack === undefined || ack.firedAt !== event.at) return event;
  const text = `by ${ack.by} at ${iso(ack.at)}${ack.comment === '' ? '' : `: ${ack.comment}`}`;
  return { ...event, annotations: { ...event.annotations, acknowledged: text } };
}

function toAlertmanager(event: StoredAlertEvent, firingEndsAt: number): AlertmanagerAlert {
  return { labels: event.labels, annotations: event.annotations, startsAt: iso(event.activeSince), endsAt: iso(event.event === 'resolved' ? event.at : firingEndsAt) };
}

/** Alertmanager's webhook format (version 4), the shape receivers of it already read. */
function webhookBody(receiver: string, events: readonly StoredAlertEvent[]) {
  return {
    version: '4',
    receiver,
    status: events.some((e) => e.event === 'fired') ? 'firing' : 'resolved',
    alerts: events.map((e) => ({
      status: e.event === 'fired' ? 'firing' : 'resolved',
      labels: e.labels,
      annotations: e.annotations,
      startsAt: iso(e.activeSince),
      endsAt: e.event === 'resolved' ? iso(e.at) : '0001-01-01T00:00:00Z',
      value: e.value,
    })),
  };
}

function slackLine(event: StoredAlertEvent): string {
  const what = event.annotations.summary ?? `${event.labels.alertname} on ${event.labels.cluster}`;
  return `${event.event === 'fired' ? '[FIRING]' : '[RESOLVED]'} ${event.labels.alertname} (${event.severity}) ${what}`;
}

async function postJson(url: string, body: string, headers: Record<string, string>, what: string): Promise<void> {
  let answer;
  try {
    answer = await request(url, { method: 'POST', headers, body, headersTimeout: TIMEOUT_MS, bodyTimeout: TIMEOUT_MS });
  } catch (error) {
    throw new AlertDeliveryError(`${what} at ${new URL(url).origin} could not be reached: ${(error as Error).message}`);
  }
  await answer.body.dump();
  if (answer.statusCode >= 300) throw new AlertDeliveryError(`${what} at ${new URL(url).origin} answered HTTP ${answer.statusCode}`);
}
