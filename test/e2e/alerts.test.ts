/**
 * The alerts page in a browser against a real service and simulator: a rule made through the API
 * fires on a dead backend and shows under Now (its webhook delivery failing) and then in History,
 * narrowed by cluster, and on the cluster's overview; a long history pages with "Older events"; an
 * alerts file's rule shows its origin; an admin
 * adds a rule through the form (the condition's and the taken name's messages next to their
 * fields) and deletes it; a viewer sees the rules without add or delete.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
