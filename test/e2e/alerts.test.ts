/**
 * The alerts page in a browser against a real service and simulator: a rule made through the API
 * fires on a dead backend and shows under Now (its webhook delivery failing) and then in History,
 * narrowed by cluster, and on the cluster's overview; a long history pages with "Older events"; an
 * alerts file's rule shows its origin; an admin
 * adds a rule through the form (the condition's and the taken name's messages next to their
 * fields) and deletes it; silences a firing alert from its row, acknowledges it, expires the
 * silence and edits an API rule in place; a viewer sees the page without any of these buttons.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SilenceJson } from '../../src/shared/api/alert-silences.js';
import type { ActiveAlertsJson, AlertRulesJson } from '../../src/shared/api/alerts.js';
import { openStorage } from '../../src/storage/open-storage.js';
import { recordAlertChanges } from '../../src/storage/repos/alerts.repo.js';
import { chromiumSkipReason, type E2E, E2E_SETUP_TIMEOUT_MS, skipNote, startE2E } from './harness.js';

/** A local port nothing listens on: one the system gave and that was closed again. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe.skipIf(chromiumSkipReason !== null)(`alerts page in a browser${skipNote()}`, () => {
  let e2e: E2E;

  let dir: string;

  beforeAll(async () => {
    // An alerts file with a rule of its own and a webhook nobody listens on: its deliveries fail.
    dir = mkdtempSync(join(tmpdir(), 'stellar-e2e-alerts-'));
    const file = join(dir, 'alerts.toml');
    writeFileSync(
      file,
      ['[[rules]]', 'name = "e2e-file-rule"', 'condition = "avg_cpu_usage > 1000"', '', '[[webhooks]]', 'name = "nowhere"', `url = "http://127.0.0.1:${await closedPort()}/hook"`, 'secret = "e2e-webhook-secret-0123"', ''].join('\n'),
    );
    // The database at a known path, so a test can write a long history into it beside the service.
    e2e = await startE2E({ clusters: [{ name: 'e2e-alerts-sick', faults: 'be_dead@1' }, { name: 'e2e-alerts-well' }], env: { APP_ALERTS_FILE: file, APP_DATABASE_URL: join(dir, 'stellar.db') } });
    await e2e.api('POST', '/api/alert-rules', {
      name: 'e2e-backend-dead',
      condition: 'backend_alive < backend_total',
      for: 0,
      severity: 'critical',
      annotations: { summary: '{{ cluster }}: {{ value }} of {{ fields.backend_total }} backends alive' },
    });
  }, E2E_SETUP_TIMEOUT_MS);

  afterAll(async () => {
    await e2e?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('shows a rule firing on a dead backend under Now with its failing delivery, then in History, narrowed by cluster', async () => {
    const [sick, well] = e2e.clusters;
    // Fired at the sick cluster's first collection, its webhook delivery failed at once: the page shows both from its first load.
    await e2e.waitFor(async () => {
      const { alerts, failing_deliveries: failingDeliveries } = await e2e.api<ActiveAlertsJson>('GET', '/api/alerts');
      return alerts.some((a) => a.rule === 'e2e-backend-dead' && a.status === 'firing') && failingDeliveries.some((d) => d.rule === 'e2e-backend-dead') ? true : null;
    }, 'e2e-backend-dead firing, its delivery failing');
    const page = await e2e.newPage();
    await page.goto(e2e.url('/'));
    await page.getByRole('contentinfo').getByRole('link', { name: 'Alerts' }).click();
    await page.getByRole('heading', { name: 'Alerts', level: 1 }).waitFor();

    const now = page.getByRole('region', { name: 'Now' });
    const active = now.getByRole('table', { name: 'Firing and pending' });
    const firing = active.getByRole('row').filter({ hasText: 'e2e-backend-dead' });
    await firing.getByText('firing').waitFor();
    await firing.getByText('e2e-alerts-sick: 2 of 3 backends alive').waitFor();
    expect(await firing.getByRole('link', { name: 'e2e-alerts-sick' }).getAttribute('href')).toBe(`/clusters/${sick?.id}`);

    // The webhook refuses connections: the delivery of the fired event is listed as failing.
    const failing = now.getByRole('table', { name: 'Failing deliveries' }).getByRole('row').filter({ hasText: 'webhook nowhere' });
    await failing.getByText('e2e-backend-dead fired').waitFor();
    expect(await failing.getByRole('cell').nth(3).textContent()).not.toBe('—');

    const history = page.getByRole('region', { name: 'History' });
    await history.getByRole('row').filter({ hasText: 'e2e-backend-dead' }).getByText('fired').waitFor();

    await page.getByLabel('Cluster').selectOption({ label: 'e2e-alerts-well' });
    await page.waitForURL((url) => url.searchParams.get('cluster_id') === String(well?.id));
    await now.getByText('Nothing is firing or pending').waitFor();
    await history.getByText('Nothing has fired yet').waitFor();

    // The sick cluster's overview names what fires on it and links to its alerts only.
    await page.goto(e2e.url(`/clusters/${sick?.id}`));
    const line = page.getByRole('status').filter({ hasText: /alerts? firing/ });
    await line.getByText('e2e-backend-dead').waitFor();
    await line.getByRole('link').click();
    await page.waitForURL((url) => url.pathname === '/alerts' && url.searchParams.get('cluster_id') === String(sick?.id));
    await active.getByRole('row').filter({ hasText: 'e2e-backend-dead' }).waitFor();
    await page.goto(e2e.url(`/clusters/${well?.id}`));
    await page.getByRole('status').getByRole('link', { name: 'No alert firing' }).waitFor();
    await page.context().close();
  });

  it('pages through a long history with "Older events"', async () => {
    const well = e2e.clusters[1]!;
    // 60 events of a rule that flapped yesterday: more than a page (50).
    const storage = openStorage({ url: join(dir, 'stellar.db'), dataDir: dir });
    try {
      const start = Date.now() - 86_400_000;
      const events = Array.from({ length: 60 }, (_, i) => ({
        ruleName: 'e2e-flapping',
        clusterId: well.id!,
        event: i % 2 === 0 ? ('fired' as const) : ('resolved' as const),
        severity: 'warning',
        at: start + i * 60_000,
        activeSince: start + (i - (i % 2)) * 60_000,
        value: i,
        labels: {},
        annotations: { summary: `flap ${i}` },
        channels: [],
      }));
      await recordAlertChanges(storage.db, { states: [], events });
    } finally {
      await storage.close();
    }

    const page = await e2e.newPage();
    await page.goto(e2e.url(`/alerts?cluster_id=${well.id}`));
    const history = page.getByRole('region', { name: 'History' });
    // Newest first: the last event written heads the first page, the 50th newest ends it.
    await history.getByRole('row').filter({ hasText: 'flap 59' }).waitFor();
    const rows = history.getByRole('row').filter({ hasText: 'e2e-flapping' });
    expect(await rows.count()).toBe(50);
    expect(await rows.last().textContent()).toContain('flap 10');
    await history.getByRole('button', { name: 'Older events' }).click();
    await history.getByRole('row').filter({ hasText: 'flap 0' }).waitFor();
    expect(await rows.count()).toBe(60);
    await history.getByRole('button', { name: 'Older events' }).waitFor({ state: 'detached' });
    await page.context().close();
  });

  it('lets an admin add a rule through the form, with the server’s words next to the fields, and delete it', async () => {
    const page = await e2e.newPage();
    await page.goto(e2e.url('/alerts'));
    const rules = page.getByRole('region', { name: 'Rules' });
    await rules.getByRole('row').filter({ hasText: 'backend-down' }).first().waitFor();
    expect(await rules.getByRole('row').filter({ hasText: 'e2e-file-rule' }).getByRole('cell').nth(1).textContent()).toBe('alerts file');
    await rules.getByRole('button', { name: 'Add rule' }).click();

    const dialog = page.getByRole('dialog', { name: 'Add an alert rule' });
    await dialog.getByLabel('Name').fill('backend-down');
    await dialog.getByLabel('Condition').fill('backend_alive <');
    await dialog.getByRole('button', { name: 'Add rule' }).click();
    expect(await dialog.getByLabel('Condition').getAttribute('aria-invalid')).toBe('true');
    await dialog.getByText(/expected a field, a number/).waitFor();

    // A valid rule under a shipped rule's name: the server's 409, next to the name.
    await dialog.getByLabel('Condition').fill('frontend_alive < frontend_total');
    await dialog.getByRole('button', { name: 'Add rule' }).click();
    await dialog.getByText('is a default or alerts-file rule', { exact: true }).waitFor();
    await dialog.getByRole('alert').getByText(/change it in the alerts file/).waitFor();
    expect(await dialog.getByLabel('Name').getAttribute('aria-invalid')).toBe('true');

    await dialog.getByLabel('Name').fill('e2e-frontend-check');
    await dialog.getByLabel('For').fill('5m');
    await dialog.getByLabel('Severity').selectOption('info');
    await dialog.getByRole('button', { name: 'Add rule' }).click();
    await dialog.waitFor({ state: 'detached' });
    const added = rules.getByRole('row').filter({ hasText: 'e2e-frontend-check' });
    await added.getByText('5m').waitFor();
    expect(await added.getByRole('cell').nth(1).textContent()).toBe('API');
    const stored = await e2e.api<AlertRulesJson>('GET', '/api/alert-rules');
    expect(stored.rules.find((r) => r.name === 'e2e-frontend-check')).toMatchObject({ origin: 'api', for_seconds: 300, severity: 'info' });

    // Only rules made through the API can be deleted here.
    expect(await rules.getByRole('row').filter({ hasText: 'cpu-busy' }).getByRole('button').count()).toBe(0);
    await rules.getByRole('button', { name: 'Delete e2e-frontend-check' }).click();
    await page.getByRole('dialog', { name: 'Delete e2e-frontend-check?' }).getByRole('button', { name: 'Delete rule' }).click();
    await added.waitFor({ state: 'detached' });
    expect((await e2e.api<AlertRulesJson>('GET', '/api/alert-rules')).rules.map((r) => r.name)).not.toContain('e2e-frontend-check');
    await page.context().close();
  });

  it('lets an admin silence a firing alert from its row, acknowledge it, expire the silence, and edit an API rule in place', async () => {
    const sick = e2e.clusters[0]!;
    const page = await e2e.newPage();
    await page.goto(e2e.url('/alerts'));
    const firing = page.getByRole('table', { name: 'Firing and pending' }).getByRole('row').filter({ hasText: 'e2e-backend-dead' });
    await firing.getByText('firing').waitFor();

    // Silence it from its row: the form comes filled in with its rule and cluster.
    await firing.getByRole('button', { name: 'Silence e2e-backend-dead on e2e-alerts-sick' }).click();
    const form = page.getByRole('dialog', { name: 'Silence alerts' });
    expect(await form.getByLabel('Value', { exact: true }).nth(0).inputValue()).toBe('e2e-backend-dead');
    expect(await form.getByLabel('Label', { exact: true }).nth(1).inputValue()).toBe('cluster_id');
    expect(await form.getByLabel('Value', { exact: true }).nth(1).inputValue()).toBe(String(sick.id));
    await form.getByLabel('For', { exact: true }).selectOption('4h');
    await form.getByRole('button', { name: 'Silence', exact: true }).click();
    // No comment: the server's schema says so next to the field, before anything is sent.
    expect(await form.getByLabel('Comment').getAttribute('aria-invalid')).toBe('true');
    await form.getByLabel('Comment').fill('e2e: replacing the backend');
    await form.getByRole('button', { name: 'Silence', exact: true }).click();
    await form.waitFor({ state: 'detached' });

    const silences = page.getByRole('region', { name: 'Silences' });
    const silenceRow = silences.getByRole('row').filter({ hasText: 'alertname="e2e-backend-dead"' });
    await silenceRow.getByText('e2e-backend-dead on e2e-alerts-sick').waitFor();
    expect(await silenceRow.getByRole('cell').first().textContent()).toBe('active');
    await firing.getByText(/^silenced \(#\d+\)$/).waitFor();
    const silenced = (await e2e.api<ActiveAlertsJson>('GET', `/api/alerts?cluster_id=${sick.id}`)).alerts.find((a) => a.rule === 'e2e-backend-dead')!;
    expect(silenced.silenced_by).toHaveLength(1);
    const silence = await e2e.api<SilenceJson>('GET', `/api/alerts/silences/${silenced.silenced_by[0]}`);
    expect(silence).toMatchObject({ created_by: 'admin', comment: 'e2e: replacing the backend' });
    expect(Date.parse(silence.ends_at) - Date.parse(silence.starts_at)).toBe(4 * 3_600_000);

    // Acknowledge it: who and why show on its row.
    await firing.getByRole('button', { name: 'Acknowledge e2e-backend-dead on e2e-alerts-sick' }).click();
    const ack = page.getByRole('dialog', { name: 'Acknowledge e2e-backend-dead on e2e-alerts-sick' });
    await ack.getByLabel('Comment').fill('on it');
    await ack.getByRole('button', { name: 'Acknowledge', exact: true }).click();
    await ack.waitFor({ state: 'detached' });
    await firing.getByText(/acknowledged by admin .*: on it/).waitFor();
    expect(await firing.getByRole('button', { name: /^Acknowledge/ }).count()).toBe(0);
    // Withdrawn and acknowledged again: the row follows.
    await firing.getByRole('button', { name: 'Withdraw the acknowledgement of e2e-backend-dead on e2e-alerts-sick' }).click();
    await firing.getByText(/acknowledged by/).waitFor({ state: 'detached' });
    await firing.getByRole('button', { name: 'Acknowledge e2e-backend-dead on e2e-alerts-sick' }).click();
    await page.getByRole('dialog', { name: 'Acknowledge e2e-backend-dead on e2e-alerts-sick' }).getByRole('button', { name: 'Acknowledge', exact: true }).click();
    await firing.getByText(/^acknowledged by admin/).waitFor();
    const acked = (await e2e.api<ActiveAlertsJson>('GET', `/api/alerts?cluster_id=${sick.id}`)).alerts.find((a) => a.rule === 'e2e-backend-dead')!;
    expect(acked.acknowledged).toMatchObject({ by: 'admin', comment: '' });

    // Expire the silence: it stays listed, expired, and the alert is no longer silenced.
    await silenceRow.getByRole('button', { name: `Expire silence ${silence.id}` }).click();
    await page.getByRole('dialog', { name: 'Expire this silence?' }).getByRole('button', { name: 'Expire silence' }).click();
    await silenceRow.getByText('(expired by admin)').waitFor();
    expect(await silenceRow.getByRole('cell').first().textContent()).toBe('expired');
    await firing.getByText(/^silenced/).waitFor({ state: 'detached' });

    // Edit an API rule in place; a rule of the alerts file says why it is read-only.
    await e2e.api('POST', '/api/alert-rules', { name: 'e2e-edit-me', condition: 'qps > 100000', for: '1m', labels: { team: 'e2e' } });
    await page.reload();
    const rules = page.getByRole('region', { name: 'Rules' });
    const fileRule = rules.getByRole('row').filter({ hasText: 'e2e-file-rule' });
    expect(await fileRule.getByText(/read-only/).getAttribute('title')).toContain('alerts file');
    await rules.getByRole('button', { name: 'Edit e2e-edit-me' }).click();
    const edit = page.getByRole('dialog', { name: 'Edit e2e-edit-me' });
    expect(await edit.getByLabel('Name').getAttribute('readonly')).not.toBeNull();
    expect(await edit.getByLabel('For').inputValue()).toBe('1m');
    await edit.getByLabel('Condition').fill('qps > 200000');
    await edit.getByLabel('For').fill('10m');
    await edit.getByRole('button', { name: 'Save rule' }).click();
    await edit.waitFor({ state: 'detached' });
    await rules.getByRole('row').filter({ hasText: 'e2e-edit-me' }).getByText('10m').waitFor();
    const edited = (await e2e.api<AlertRulesJson>('GET', '/api/alert-rules')).rules.find((r) => r.name === 'e2e-edit-me');
    expect(edited).toMatchObject({ condition: 'qps > 200000', for_seconds: 600, labels: { team: 'e2e' } });
    await page.context().close();
  });

  it('shows a viewer the rules read-only', async () => {
    await e2e.api('POST', '/api/users', { username: 'ada', password: 'ada-password', role: 'viewer' });
    const page = await e2e.newPage({ loggedIn: false });
    await page.goto(e2e.url('/login?next=/alerts'));
    await page.getByLabel('User name', { exact: true }).fill('ada');
    await page.getByLabel('Password', { exact: true }).fill('ada-password');
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.waitForURL((url) => url.pathname === '/alerts');
    const rules = page.getByRole('region', { name: 'Rules' });
    await rules.getByRole('row').filter({ hasText: 'e2e-backend-dead' }).waitFor();
    expect(await rules.getByRole('button', { name: 'Add rule' }).count()).toBe(0);
    expect(await rules.getByRole('button', { name: /^Delete/ }).count()).toBe(0);
    expect(await rules.getByRole('button', { name: /^Edit/ }).count()).toBe(0);
    // Firing alerts and silences read-only too: no silencing, acknowledging or expiring.
    const firing = page.getByRole('table', { name: 'Firing and pending' }).getByRole('row').filter({ hasText: 'e2e-backend-dead' });
    await firing.getByText(/^acknowledged by admin/).waitFor();
    expect(await firing.getByRole('button').count()).toBe(0);
    const silences = page.getByRole('region', { name: 'Silences' });
    await silences.getByRole('row').filter({ hasText: 'e2e-backend-dead' }).waitFor();
    expect(await silences.getByRole('button').count()).toBe(0);
    await page.context().close();
  });

  it('fits a phone screen without sideways scrolling', async () => {
    const page = await e2e.newPage({ viewport: { width: 390, height: 844 } });
    await page.goto(e2e.url('/alerts'));
    await page.getByRole('table', { name: 'Firing and pending' }).getByRole('row').filter({ hasText: 'e2e-backend-dead' }).waitFor();
    expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);
    await page.context().close();
  });
});
