/**
 * Notifications as the notifier job sends them, to real receivers: a local HTTP webhook that
 * checks the HMAC signature (and answers 500 when told to, to see the retries), and Debian's
 * real Alertmanager read back through its own API. Stored on both dialects.
 */
import { createHmac } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AlertNotifier, RESEND_EVERY_MS, retryDelayMs } from '../../src/alerts/alert-notifier.js';
import { ClusterRegistry } from '../../src/registry/cluster-registry.js';
import type { Storage } from '../../src/storage/dialect/dialect.js';
import { migrateToLatest } from '../../src/storage/migrate.js';
import { failingDeliveries, type NewAlertEvent, nextDeliveryAt, recordAlertChanges } from '../../src/storage/repos/alerts.repo.js';
import { alertmanagerSkipReason, type RunningAlertmanager, startAlertmanager } from '../helpers/alertmanager.js';
import { DIALECTS } from '../helpers/dialects.js';
import { clusterFields, manualClock, randomSecretBox } from '../helpers/factories.js';
import { skipNote } from '../helpers/requirements.js';
import { loggerInto } from '../helpers/test-app.js';

const SECRET = 'webhook-secret-of-the-test';

interface Received {
  readonly path: string;
  readonly body: string;
  readonly signature: string | undefined;
}

/** A webhook receiver on loopback: records each request; answers `status` (200 unless a test sets it). */
async function startReceiver() {
  const received: Received[] = [];
  const receiver = { received, status: 200, url: '' };
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    req.on('end', () => {
      received.push({ path: req.url ?? '', body, signature: req.headers['x-stellar-signature'] as string | undefined });
      res.statusCode = receiver.status;
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  receiver.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { receiver, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

async function setUp(open: () => Promise<Storage>) {
  const storage = await open();
  await migrateToLatest(storage);
  const registry = new ClusterRegistry({ db: storage.db, dialect: storage.dialect, secrets: randomSecretBox(), now: manualClock().now });
  const cluster = await registry.create(clusterFields({ name: 'prod-olap' }));
  return { storage, clusterId: cluster.id };
}

function event(clusterId: number, at: number, kind: 'fired' | 'resolved', channels: string[]): NewAlertEvent {
  return {
    ruleName: 'backend-down',
    clusterId,
    event: kind,
    severity: 'critical',
    at,
    activeSince: at - 60_000,
    value: 2,
    labels: { alertname: 'backend-down', cluster: 'prod-olap', cluster_id: String(clusterId), severity: 'critical' },
    annotations: { summary: 'prod-olap: 2 of 3 backends alive' },
    channels,
  };
}

describe('retries', () => {
  it('back off from 10 s, doubling, to at most 10 minutes', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 8, 20].map(retryDelayMs)).toEqual([10_000, 20_000, 40_000, 80_000, 160_000, 320_000, 600_000, 600_000, 600_000]);
  });
});

describe.each(DIALECTS)('webhooks, stored on $name', (dialect) => {
  let hook: Awaited<ReturnType<typeof startReceiver>>;
  beforeAll(async () => {
    hook = await startReceiver();
  });
  afterAll(async () => hook.close());

  it('posts Alertmanager-style JSON signed with HMAC-SHA256 and Slack text; retries after a 500 with backoff, logs the failure once, and never sends a delivered event again', async () => {
    const { storage, clusterId } = await setUp(() => dialect.open());
    const logs: string[] = [];
    const webhooks = [
      { name: 'ops', url: `${hook.receiver.url}/ops`, kind: 'generic' as const, secret: SECRET },
      { name: 'chat', url: `${hook.receiver.url}/chat`, kind: 'slack' as const, secret: null },
    ];
    const failures: string[] = [];
    const notifier = () => new AlertNotifier({ db: storage.db, logger: loggerInto(logs, 'info'), destinations: () => ({ alertmanagerUrl: '', webhooks }), intervalMs: 30_000, failed: (c) => failures.push(c) });
    const first = notifier();
    const T0 = Date.UTC(2026, 11, 3, 7);
    hook.receiver.received.length = 0;
    await recordAlertChanges(storage.db, { states: [], events: [event(clusterId, T0, 'fired', ['webhook ops', 'slack chat'])] });

    hook.receiver.status = 500;
    expect(await first.run(T0)).toBe(T0 + 10_000);
    expect(hook.receiver.received.map((r) => r.path)).toEqual(['/ops', '/chat']);
    expect((await failingDeliveries(storage.db)).map((d) => [d.channel, d.attempts, d.lastError])).toEqual([
      ['webhook ops', 1, expect.stringMatching(/the webhook "ops" at http:\/\/127\.0\.0\.1:\d+ answered HTTP 500/)],
      ['slack chat', 1, expect.stringMatching(/answered HTTP 500/)],
    ]);
    // Not due before its retry; then failing again, it waits twice as long.
    expect(await first.run(T0 + 9_999)).toBe(T0 + 10_000);
    expect(hook.receiver.received).toHaveLength(2);
    expect(await first.run(T0 + 10_000)).toBe(T0 + 30_000);
    expect(hook.receiver.received).toHaveLength(4);
    expect(failures).toEqual(['webhook ops', 'slack chat', 'webhook ops', 'slack chat']);
    const warnings = logs.filter((l) => l.includes('they are kept and retried'));
    expect(warnings).toHaveLength(2);

    hook.receiver.status = 200;
    expect(await first.run(T0 + 30_000)).toBeNull();
    expect(await failingDeliveries(storage.db)).toEqual([]);
    expect(logs.filter((l) => l.includes('delivered again'))).toHaveLength(2);
    const [ops, chat] = hook.receiver.received.slice(-2);
    expect(ops!.signature).toBe(`sha256=${createHmac('sha256', SECRET).update(ops!.body).digest('hex')}`);
    expect(JSON.parse(ops!.body)).toEqual({
      version: '4',
      receiver: 'ops',
      status: 'firing',
      alerts: [
        {
          status: 'firing',
          labels: { alertname: 'backend-down', cluster: 'prod-olap', cluster_id: String(clusterId), severity: 'critical' },
          annotations: { summary: 'prod-olap: 2 of 3 backends alive' },
          startsAt: new Date(T0 - 60_000).toISOString(),
          endsAt: '0001-01-01T00:00:00Z',
          value: 2,
        },
      ],
    });
    expect(chat!.signature).toBeUndefined();
    expect(JSON.parse(chat!.body)).toEqual({ text: '[FIRING] backend-down (critical) prod-olap: 2 of 3 backends alive' });

    // A restart: a new notifier finds nothing left to send.
    const sent = hook.receiver.received.length;
    expect(await notifier().run(T0 + 60_000)).toBeNull();
    expect(hook.receiver.received).toHaveLength(sent);
    expect(await nextDeliveryAt(storage.db)).toBeNull();
    await storage.close();
  });
});

describe.skipIf(alertmanagerSkipReason !== null)(`Alertmanager${skipNote(alertmanagerSkipReason)}`, () => {
  let am: RunningAlertmanager;
  beforeAll(async () => {
    am = await startAlertmanager();
  }, 30_000);
  afterAll(async () => am?.stop());

  describe.each(DIALECTS)('stored on $name', (dialect) => {
    it('receives the firing alert, again about once a minute with a later endsAt, and then its resolution', async () => {
      const { storage, clusterId } = await setUp(() => dialect.open());
      const notifier = new AlertNotifier({ db: storage.db, logger: loggerInto([], 'info'), destinations: () => ({ alertmanagerUrl: am.url, webhooks: [] }), intervalMs: 30_000 });
      // Alertmanager judges endsAt by its own clock: the test runs on the real one.
      const t = Date.now();
      // One Alertmanager for every dialect: each run's alert is its own (labels are its identity there).
      const labels = { alertname: 'backend-down', cluster: `prod-${dialect.name.replace(' ', '-')}`, cluster_id: String(clusterId), severity: 'critical' };
      const fired = (at: number, kind: 'fired' | 'resolved') => ({ ...event(clusterId, at, kind, ['alertmanager']), labels, activeSince: t - 60_000 });
      await recordAlertChanges(storage.db, {
        states: [{ ruleName: 'backend-down', clusterId, state: { status: 'firing', activeSince: t - 60_000, firedAt: t, value: 2, evaluatedAt: t } }],
        events: [fired(t, 'fired')],
      });
      expect(await notifier.run(t)).toBe(t + RESEND_EVERY_MS);
      const active = async () => (await am.alerts('?active=true')).filter((a) => a.labels.cluster === labels.cluster);
      let [firing] = await active();
      expect(firing).toMatchObject({ labels, annotations: { summary: 'prod-olap: 2 of 3 backends alive' }, status: { state: 'active' } });
      expect(Date.parse(firing!.startsAt)).toBe(t - 60_000);
      // Four times max(interval, 1 min) ahead.
      expect(Date.parse(firing!.endsAt)).toBe(t + 240_000);

      expect(await notifier.run(t + RESEND_EVERY_MS)).toBe(t + 2 * RESEND_EVERY_MS);
      [firing] = await active();
      expect(Date.parse(firing!.endsAt)).toBe(t + RESEND_EVERY_MS + 240_000);

      await recordAlertChanges(storage.db, {
        states: [{ ruleName: 'backend-down', clusterId, state: { status: 'inactive', activeSince: null, firedAt: null, value: 3, evaluatedAt: t + 1 } }],
        events: [fired(Date.now() - 1000, 'resolved')],
      });
      await notifier.run(t + RESEND_EVERY_MS + 1);
      expect(await active()).toEqual([]);
      await storage.close();
    });
  });
});
