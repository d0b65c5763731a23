/**
 * Silences as the notifier honours them, with real receivers: a local webhook and Debian's real
 * Alertmanager read back through its own API. A silenced firing alert is not delivered; it is
 * once the silence is expired if it still fires; what fired and resolved under a silence is never
 * sent; a resolution is sent after the silence when its firing had been. Stored on both dialects;
 * and two instances on one PostgreSQL database honour each other's silences.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AlertNotifier, type AlertDestinations, RESEND_EVERY_MS, SILENCE_CHECK_MS } from '../../src/alerts/alert-notifier.js';
import { ClusterRegistry } from '../../src/registry/cluster-registry.js';
import type { SilenceMatcher } from '../../src/shared/alerts/alert-silence.js';
import type { Database } from '../../src/storage/database.js';
import type { Storage } from '../../src/storage/dialect/dialect.js';
import { openPostgres } from '../../src/storage/dialect/postgres/postgres-dialect.js';
import { migrateToLatest } from '../../src/storage/migrate.js';
import { acknowledgeAlert, createSilence, expireSilence } from '../../src/storage/repos/alert-silences.repo.js';
import { type NewAlertEvent, recordAlertChanges } from '../../src/storage/repos/alerts.repo.js';
import { alertmanagerSkipReason, type RunningAlertmanager, startAlertmanager } from '../helpers/alertmanager.js';
import { DIALECTS, postgresSkipReason, postgresTestUrl } from '../helpers/dialects.js';
import { clusterBody, clusterFields, manualClock, randomSecretBox } from '../helpers/factories.js';
import { skipNote } from '../helpers/requirements.js';
import { createTestApp, loggerInto } from '../helpers/test-app.js';

const HOUR = 3_600_000;

async function startReceiver() {
  const received: { status: string; alertname: string }[] = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    req.on('end', () => {
      for (const alert of (JSON.parse(body) as { alerts: { status: string; labels: Record<string, string> }[] }).alerts) received.push({ status: alert.status, alertname: alert.labels.alertname! });
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { received, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

async function setUp(open: () => Promise<Storage>, clusterName = 'prod-olap') {
  const storage = await open();
  await migrateToLatest(storage);
  const registry = new ClusterRegistry({ db: storage.db, dialect: storage.dialect, secrets: randomSecretBox(), now: manualClock().now });
  const cluster = await registry.create(clusterFields({ name: clusterName }));
  return { storage, clusterId: cluster.id };
}

/** What the evaluator stores when `rule` fires or resolves on the cluster. */
async function alertChanges(db: Kysely<Database>, clusterId: number, cluster: string, rule: string, kind: 'fired' | 'resolved', at: number, firedAt: number, channels: string[]) {
  const labels = { alertname: rule, cluster, cluster_id: String(clusterId), severity: 'critical' };
  const event: NewAlertEvent = { ruleName: rule, clusterId, event: kind, severity: 'critical', at, activeSince: firedAt - 60_000, value: 1, labels, annotations: {}, channels };
  const state = kind === 'fired' ? ({ status: 'firing', activeSince: firedAt - 60_000, firedAt, value: 1, evaluatedAt: at } as const) : ({ status: 'inactive', activeSince: null, firedAt: null, value: 0, evaluatedAt: at } as const);
  await recordAlertChanges(db, { states: [{ ruleName: rule, clusterId, state }], events: [event] });
}

const silenceOf = (db: Kysely<Database>, matchers: SilenceMatcher[], startsAt: number, endsAt: number) =>
  createSilence(db, { matchers, startsAt, endsAt, comment: 'maintenance', createdBy: 'admin', createdAt: startsAt });

describe.each(DIALECTS)('a silence, stored on $name', (dialect) => {
  let hook: Awaited<ReturnType<typeof startReceiver>>;
  beforeAll(async () => {
    hook = await startReceiver();
  });
  afterAll(async () => hook.close());

  it('holds back a firing alert it matches, which is delivered once the silence is expired while it still fires', async () => {
    const { storage, clusterId } = await setUp(() => dialect.open());
    const destinations: AlertDestinations = { alertmanagerUrl: '', webhooks: [{ name: 'ops', url: hook.url, kind: 'generic', secret: null }] };
    const notifier = new AlertNotifier({ db: storage.db, logger: loggerInto([], 'info'), destinations: () => destinations, intervalMs: 30_000 });
    const T0 = Date.UTC(2026, 11, 3, 10);
    hook.received.length = 0;
    const silence = await silenceOf(storage.db, [{ name: 'alertname', value: 'backend-down', regex: false }], T0, T0 + 4 * HOUR);
    await alertChanges(storage.db, clusterId, 'prod-olap', 'backend-down', 'fired', T0 + 1000, T0 + 1000, ['webhook ops']);
    await alertChanges(storage.db, clusterId, 'prod-olap', 'fe-down', 'fired', T0 + 1000, T0 + 1000, ['webhook ops']);

    // The other alert is sent; the silenced one waits, and the notifier looks at the silences again within 30 s.
    expect(await notifier.run(T0 + 1000)).toBe(T0 + 1000 + SILENCE_CHECK_MS);
    expect(hook.received).toEqual([{ status: 'firing', alertname: 'fe-down' }]);
    const held = await storage.db.selectFrom('alert_deliveries').select(['silence_id', 'next_attempt_at', 'delivered_at', 'attempts']).where('silence_id', 'is not', null).execute();
    expect(held.map((d) => ({ ...d, next_attempt_at: Number(d.next_attempt_at) }))).toEqual([{ silence_id: silence.id, next_attempt_at: T0 + 4 * HOUR, delivered_at: null, attempts: 0 }]);
    expect(await notifier.run(T0 + HOUR)).toBe(T0 + HOUR + SILENCE_CHECK_MS);
    expect(hook.received).toHaveLength(1);

    // Expired early (by any instance: it is in the database): still firing, so it is sent now.
    await expireSilence(storage.db, silence.id, T0 + 2 * HOUR, 'admin');
    expect(await notifier.run(T0 + 2 * HOUR)).toBeNull();
    expect(hook.received).toEqual([
      { status: 'firing', alertname: 'fe-down' },
      { status: 'firing', alertname: 'backend-down' },
    ]);
    await storage.close();
  });

  it('drops what fired and resolved under it; sends, after it, the resolution of a firing that had been sent', async () => {
    const { storage, clusterId } = await setUp(() => dialect.open());
    const destinations: AlertDestinations = { alertmanagerUrl: '', webhooks: [{ name: 'ops', url: hook.url, kind: 'generic', secret: null }] };
    const notifier = new AlertNotifier({ db: storage.db, logger: loggerInto([], 'info'), destinations: () => destinations, intervalMs: 30_000 });
    const T0 = Date.UTC(2026, 11, 3, 10);
    hook.received.length = 0;
    // fe-down fired and was sent before the silence.
    await alertChanges(storage.db, clusterId, 'prod-olap', 'fe-down', 'fired', T0, T0, ['webhook ops']);
    expect(await notifier.run(T0)).toBeNull();
    await silenceOf(storage.db, [{ name: 'cluster', value: 'prod-.*', regex: true }], T0 + 1000, T0 + HOUR);
    // Under the silence: backend-down fires and resolves; fe-down resolves.
    await alertChanges(storage.db, clusterId, 'prod-olap', 'backend-down', 'fired', T0 + 2000, T0 + 2000, ['webhook ops']);
    await alertChanges(storage.db, clusterId, 'prod-olap', 'backend-down', 'resolved', T0 + 3000, T0 + 2000, ['webhook ops']);
    await alertChanges(storage.db, clusterId, 'prod-olap', 'fe-down', 'resolved', T0 + 3000, T0, ['webhook ops']);
    expect(await notifier.run(T0 + 3000)).toBe(T0 + 3000 + SILENCE_CHECK_MS);
    expect(hook.received).toEqual([{ status: 'firing', alertname: 'fe-down' }]);

    // The silence runs its course.
    expect(await notifier.run(T0 + HOUR)).toBeNull();
    expect(hook.received).toEqual([
      { status: 'firing', alertname: 'fe-down' },
      { status: 'resolved', alertname: 'fe-down' },
    ]);
    const skipped = await storage.db.selectFrom('alert_deliveries').select('skipped').where('skipped', 'is not', null).execute();
    expect(skipped).toEqual([{ skipped: 'silenced: the alert resolved before its silence ended' }, { skipped: 'silenced: the alert resolved before its silence ended' }]);
    await storage.close();
  });
});

describe.skipIf(alertmanagerSkipReason !== null)(`Alertmanager and a silence${skipNote(alertmanagerSkipReason)}`, () => {
  let am: RunningAlertmanager;
  beforeAll(async () => {
    am = await startAlertmanager();
  }, 30_000);
  afterAll(async () => am?.stop());

  it('is not told of a silenced firing alert, neither at first nor at the minutely refresh; it is once the silence is expired', async () => {
    const { storage, clusterId } = await setUp(openFirst, 'prod-silenced');
    const notifier = new AlertNotifier({ db: storage.db, logger: loggerInto([], 'info'), destinations: () => ({ alertmanagerUrl: am.url, webhooks: [] }), intervalMs: 30_000 });
    // Alertmanager judges endsAt by its own clock: the test runs on the real one.
    const t = Date.now();
    const silence = await silenceOf(storage.db, [{ name: 'cluster', value: 'prod-silenced', regex: false }], t - 1000, t + HOUR);
    await alertChanges(storage.db, clusterId, 'prod-silenced', 'backend-down', 'fired', t, t, ['alertmanager']);
    const active = async () => (await am.alerts('?active=true')).filter((a) => a.labels.cluster === 'prod-silenced');
    await notifier.run(t);
    await notifier.run(t + 61_000);
    expect(await active()).toEqual([]);
    await expireSilence(storage.db, silence.id, t + 62_000, 'admin');
    await notifier.run(t + 62_000);
    expect((await active()).map((a) => a.labels.alertname)).toEqual(['backend-down']);
    await storage.close();
  });

  it('is told who acknowledged a firing alert, as an annotation of its minutely refresh', async () => {
    const { storage, clusterId } = await setUp(openFirst, 'prod-acked');
    const notifier = new AlertNotifier({ db: storage.db, logger: loggerInto([], 'info'), destinations: () => ({ alertmanagerUrl: am.url, webhooks: [] }), intervalMs: 30_000 });
    const t = Date.now();
    await alertChanges(storage.db, clusterId, 'prod-acked', 'backend-down', 'fired', t, t, ['alertmanager']);
    const active = async () => (await am.alerts('?active=true')).filter((a) => a.labels.cluster === 'prod-acked');
    await notifier.run(t);
    expect((await active())[0]?.annotations).toEqual({});
    await acknowledgeAlert(storage.db, { ruleName: 'backend-down', clusterId, firedAt: t, by: 'ann', at: t + 1000, comment: 'swapping the disk' });
    await notifier.run(t + RESEND_EVERY_MS);
    expect((await active())[0]?.annotations).toEqual({ acknowledged: `by ann at ${new Date(t + 1000).toISOString()}: swapping the disk` });
    await storage.close();
  });
});

/** The first dialect (SQLite in memory): one is enough where Alertmanager is what is tested. */
const openFirst = () => DIALECTS[0]!.open();

describe.skipIf(postgresSkipReason !== null)(`instances sharing PostgreSQL${skipNote(postgresSkipReason)}`, () => {
  it('honour each other’s silences: one made and expired through one instance’s API holds and releases what another instance’s notifier sends', async () => {
    const target = await postgresTestUrl();
    const api = await createTestApp({ storage: openPostgres({ url: target.url, poolSize: 2 }), tokenTtlMs: 1000 * HOUR });
    const collecting = openPostgres({ url: target.url, poolSize: 2 });
    const hook = await startReceiver();
    try {
      const clusterId = (await api.app.inject({ method: 'POST', url: '/api/clusters', headers: { authorization: api.auth }, payload: clusterBody({ name: 'shared-olap' }) })).json().id as number;
      const notifier = new AlertNotifier({ db: collecting.db, logger: loggerInto([], 'info'), destinations: () => ({ alertmanagerUrl: '', webhooks: [{ name: 'ops', url: hook.url, kind: 'generic', secret: null }] }), intervalMs: 30_000 });
      const made = await api.app.inject({ method: 'POST', url: '/api/alerts/silences', headers: { authorization: api.auth }, payload: { matchers: [{ name: 'cluster', value: 'shared-olap' }], duration: '1h', comment: 'shared' } });
      expect(made.statusCode).toBe(201);
      const T = api.clock.now();
      await alertChanges(collecting.db, clusterId, 'shared-olap', 'backend-down', 'fired', T + 1000, T + 1000, ['webhook ops']);
      expect(await notifier.run(T + 1000)).toBe(T + 1000 + SILENCE_CHECK_MS);
      expect(hook.received).toEqual([]);
      api.clock.advance(60_000);
      expect((await api.app.inject({ method: 'DELETE', url: `/api/alerts/silences/${made.json().id}`, headers: { authorization: api.auth } })).statusCode).toBe(204);
      // Its next run (at most SILENCE_CHECK_MS after the last while a silence was unended) sends what the silence held.
      expect(await notifier.run(T + 60_000)).toBeNull();
      expect(hook.received).toEqual([{ status: 'firing', alertname: 'backend-down' }]);
    } finally {
      await hook.close();
      await collecting.close();
      await api.close();
      await target.drop();
    }
  });
});
