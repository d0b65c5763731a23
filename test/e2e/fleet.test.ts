/**
 * The fleet page in a browser against a service fed by simulated clusters: every cluster with
 * its status, filters in the URL, a quiet stale marker when a refresh fails, the way into a
 * cluster's overview, the narrow layout and the empty fleet.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumSkipReason, DEFAULT_E2E_CLUSTERS, type E2E, E2E_SETUP_TIMEOUT_MS, skipNote, startE2E } from './harness.js';

describe.skipIf(chromiumSkipReason !== null)(`fleet page in a browser${skipNote()}`, () => {
  let e2e: E2E;

  beforeAll(async () => {
    // Five minutes of history give the overview's charts real lines; then two live collections.
    e2e = await startE2E({ clusters: DEFAULT_E2E_CLUSTERS, history: { minutes: 5 } });
    await e2e.waitForCollections(2);
  }, E2E_SETUP_TIMEOUT_MS);

  afterAll(async () => {
    await e2e?.close();
  });

  it('shows every cluster with its status, nodes alive and figures', async () => {
    const page = await e2e.newPage();
    await page.goto(e2e.url('/'));
    for (const cluster of e2e.clusters) {
      const card = page.getByRole('article', { name: cluster.name });
      await card.waitFor();
      expect(await card.locator('.status-badge').getAttribute('data-status'), cluster.name).toMatch(/^(healthy|warning|critical|unreachable)$/);
    }
    // e2e-staging runs with its BE 1 dead: not healthy, and its count says so.
    const staging = page.getByRole('article', { name: 'e2e-staging' });
    expect(await staging.getAttribute('data-status')).not.toBe('healthy');
    expect(await staging.textContent()).toContain('BE 2/3');
    const lakehouse = page.getByRole('article', { name: 'e2e-lakehouse' });
    expect(await lakehouse.textContent()).toContain('CN 3/3');
    expect(await lakehouse.getByRole('img', { name: /QPS over the last two hours: from/ }).count()).toBe(1);

    const counts = await page.getByRole('group', { name: 'Clusters per status' }).textContent();
    const total = [...(counts ?? '').matchAll(/(\d+)\s*(Critical|Unreachable|Warning|Pending|Healthy)/g)].reduce((sum, m) => sum + Number(m[1]), 0);
    expect(total).toBe(3);
    await page.context().close();
  });

  it('filters by tag and status, in the URL', async () => {
    const page = await e2e.newPage();
    await page.goto(e2e.url('/'));
    await page.getByRole('article').first().waitFor();
    await page.getByLabel('Tag', { exact: true }).selectOption('lake');
    await page.waitForURL((url) => url.searchParams.get('tag') === 'lake');
    await page.getByRole('article', { name: 'e2e-prod-olap' }).waitFor({ state: 'detached' });
    expect(await page.getByRole('article').count()).toBe(1);
    await page.getByText('1 of 3 clusters').waitFor();

    // The filter survives a reload and can be shared as a link.
    await page.reload();
    await page.getByRole('article', { name: 'e2e-lakehouse' }).waitFor();
    expect(await page.getByRole('article').count()).toBe(1);

    await page.goto(e2e.url('/?tag=prod&sort=name'));
    await page.getByRole('article', { name: 'e2e-lakehouse' }).waitFor();
    const names = await page.getByRole('article').evaluateAll((cards) => cards.map((c) => c.getAttribute('aria-label')));
    expect(names).toEqual(['e2e-lakehouse', 'e2e-prod-olap']);

    expect(await page.getByRole('article', { name: 'e2e-staging' }).count()).toBe(0);

    // Several tags, as the API reads them: a cluster must have every one.
    await page.goto(e2e.url('/?tag=prod,eu'));
    await page.getByText('1 of 3 clusters').waitFor();
    expect(await page.getByRole('article').evaluateAll((cards) => cards.map((c) => c.getAttribute('aria-label')))).toEqual(['e2e-prod-olap']);
    await page.goto(e2e.url('/?tag=prod&tag=lake'));
    await page.getByText('1 of 3 clusters').waitFor();
    expect(await page.getByRole('article').evaluateAll((cards) => cards.map((c) => c.getAttribute('aria-label')))).toEqual(['e2e-lakehouse']);

    // A status button narrows to that status.
    await page.goto(e2e.url('/'));
    const stagingStatus = await page.getByRole('article', { name: 'e2e-staging' }).getAttribute('data-status');
    const label = { critical: 'Critical', warning: 'Warning', unreachable: 'Unreachable', healthy: 'Healthy', pending: 'Pending' }[stagingStatus ?? 'pending'];
    await page.getByRole('group', { name: 'Clusters per status' }).getByRole('button', { name: new RegExp(label ?? '') }).click();
    await page.waitForURL((url) => url.searchParams.get('status') === stagingStatus);
    // The URL changes at the click; the cards once the filtered answer has come back.
    const shown = () => page.getByRole('article').evaluateAll((cards) => cards.map((c) => c.getAttribute('data-status')));
    await expect.poll(async () => new Set(await shown()), { timeout: 10_000 }).toEqual(new Set([stagingStatus]));
    await page.context().close();
  });

  it('marks the data stale, quietly, when a refresh fails', async () => {
    const page = await e2e.newPage();
    await page.goto(e2e.url('/'));
    await page.getByText(/^updated /).waitFor();
    // The request carries the page's filters and order in its query string.
    const fleetApi = (url: URL) => url.pathname === '/api/fleet/overview';
    await page.route(fleetApi, (route) => route.abort());
    await page.getByRole('button', { name: 'Refresh now' }).click();
    await page.getByText(/^stale since \d\d:\d\d$/).waitFor();
    // The cards stay, and no alert dialog came up.
    expect(await page.getByRole('article').count()).toBe(3);
    expect(await page.getByRole('alert').count()).toBe(0);
    await page.unroute(fleetApi);
    await page.getByRole('button', { name: 'Refresh now' }).click();
    await page.getByText(/^updated /).waitFor();
    await page.context().close();
  });

  it("opens a cluster's overview from its card, with charts drawn", async () => {
    const prod = e2e.clusters[0]!;
    const page = await e2e.newPage();
    await page.goto(e2e.url('/'));
    await page.getByRole('article', { name: prod.name }).click();
    await page.waitForURL((url) => url.pathname === `/clusters/${prod.id}`);
    const queries = page.getByRole('region', { name: 'Queries' });
    await queries.locator('canvas').first().waitFor();
    await e2e.waitFor(async () => Number(await queries.getAttribute('data-values')) > 0, 'points in the Queries chart', 15_000);
    // The overview belongs to the fleet in the header, not to the registry at /clusters.
    const nav = page.getByRole('navigation', { name: 'Main' });
    expect(await nav.getByRole('link', { name: 'Fleet' }).getAttribute('aria-current')).toBe('page');
    expect(await nav.getByRole('link', { name: 'Clusters' }).getAttribute('aria-current')).toBeNull();
    // Back to the fleet with the browser's back button: the router follows history.
    await page.goBack();
    await page.getByRole('article', { name: prod.name }).waitFor();
    await page.context().close();
  });

  it('fits a phone screen without sideways scrolling', async () => {
    const page = await e2e.newPage({ viewport: { width: 390, height: 844 } });
    await page.goto(e2e.url('/'));
    await page.getByRole('article').first().waitFor();
    expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);
    await page.getByRole('link', { name: 'Clusters' }).click();
    await page.getByRole('row', { name: 'e2e-staging' }).waitFor();
    expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);
    await page.context().close();
  });
});

describe.skipIf(chromiumSkipReason !== null)(`fleet page of an empty service${skipNote()}`, () => {
  let e2e: E2E;

  beforeAll(async () => {
    e2e = await startE2E({ clusters: [{ name: 'not-registered', register: false }] });
  }, E2E_SETUP_TIMEOUT_MS);

  afterAll(async () => {
    await e2e?.close();
  });

  it('says how to add a cluster, with a link to the clusters page', async () => {
    const page = await e2e.newPage();
    await page.goto(e2e.url('/'));
    await page.getByText('No clusters yet — add one, or run').waitFor();
    await page.getByRole('link', { name: 'add one' }).click();
    await page.waitForURL((url) => url.pathname === '/clusters');
    await page.getByRole('button', { name: 'Add cluster' }).first().waitFor();
    await page.context().close();
  });
});
