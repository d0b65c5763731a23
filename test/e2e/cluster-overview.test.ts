/**
 * The cluster overview in a browser, on a service collecting a simulated cluster: charts drawn
 * with data and legends with the server's statistics, the time range and the auto-refresh kept
 * in the URL and applied (the request goes out with the new range and the old one is aborted; a
 * 15 s refresh reloads, but not in a hidden tab), a failed refresh marked stale, restored on
 * reload, drag-to-zoom, and an unknown cluster.
 */
import type { Page, Request } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClusterOverviewJson } from '../../src/shared/api/overview.js';
import { formatChartValue } from '../../web/src/charts/chart-units.js';
import { chromiumSkipReason, E2E_SETUP_TIMEOUT_MS, skipNote, startE2E, type E2E } from './harness.js';

const CHART_IDS = ['chart-qps', 'chart-latency', 'chart-resources', 'chart-jvm', 'chart-network-io', 'chart-workload'];

/** Overview requests of a page, as URLs, in order. */
function recordOverviewRequests(page: Page): URL[] {
  const seen: URL[] = [];
  page.on('request', (request: Request) => {
    const url = new URL(request.url());
    if (/^\/api\/clusters\/\d+\/overview$/.test(url.pathname)) seen.push(url);
  });
  return seen;
}

const lastUpdated = (page: Page): Promise<string | null> => page.getByTestId('last-updated').getAttribute('data-timestamp');

/**
 * Counts, in the page, the overview requests it starts (`__overviewRequests`) and lists the
 * time ranges of those it aborts (`__abortedRanges`): counted when `fetch` is called, so a
 * test knows at once whether a timer sent one. A string: this file has no DOM types.
 */
const TRACK_OVERVIEW_FETCHES = `
  window.__overviewRequests = 0;
  window.__abortedRanges = [];
  const pageFetch = window.fetch.bind(window);
  window.fetch = (input, init) => {
    const url = new URL(String(input), location.href);
    if (url.pathname.endsWith('/overview')) {
      window.__overviewRequests++;
      init?.signal?.addEventListener('abort', () => window.__abortedRanges.push(url.searchParams.get('time_range')));
    }
    return pageFetch(input, init);
  };`;
const overviewRequestsStarted = (page: Page): Promise<number> => page.evaluate<number>('window.__overviewRequests');

/** What the browser does when the user switches to another tab, and back (headless pages are always visible). */
function setTabHidden(page: Page, hidden: boolean): Promise<void> {
  return page.evaluate(`
    Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => ${hidden ? "'hidden'" : "'visible'"} });
    Object.defineProperty(document, 'hidden', { configurable: true, get: () => ${hidden} });
    document.dispatchEvent(new Event('visibilitychange', { bubbles: true }));`);
}

/** The few browser types the pixel count needs (the tests compile without the DOM library). */
interface CanvasLike {
  width: number;
  height: number;
  getContext(kind: '2d'): { getImageData(x: number, y: number, w: number, h: number): { data: ArrayLike<number> } } | null;
}
interface BrowserGlobals {
  document: { documentElement: unknown };
  getComputedStyle(element: unknown): { getPropertyValue(name: string): string };
}

/**
 * Canvas pixels of a chart in the colour of its first series (`--chart-1` for QPS, CPU…): the
 * axes and the grid are grey, so these pixels are the series' line, fill or points.
 */
function seriesPixels(page: Page, testId: string): Promise<number> {
  return page.getByTestId(testId).locator('canvas').evaluate((canvas: CanvasLike) => {
    const browser = globalThis as unknown as BrowserGlobals;
    const hex = browser.getComputedStyle(browser.document.documentElement).getPropertyValue('--chart-1').trim();
    const [r, g, b] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));
    const context = canvas.getContext('2d');
    if (!context || r === undefined || g === undefined || b === undefined) return 0;
    const { data } = context.getImageData(0, 0, canvas.width, canvas.height);
    let matching = 0;
    for (let i = 0; i < data.length; i += 4) {
      const near = Math.abs((data[i] ?? 0) - r) < 40 && Math.abs((data[i + 1] ?? 0) - g) < 40 && Math.abs((data[i + 2] ?? 0) - b) < 40;
      if (near && (data[i + 3] ?? 0) > 160) matching++;
    }
    return matching;
  });
}

describe.skipIf(chromiumSkipReason !== null)(`cluster overview${skipNote()}`, () => {
  let e2e: E2E;
  let clusterId: number;

  beforeAll(async () => {
    // Ten minutes of history: the default hour then shows lines, not the few points of a fresh start.
    e2e = await startE2E({ clusters: [{ name: 'e2e-overview', tags: ['prod'], sim: { version: '3.3', fes: 2, bes: 3, latencyGauges: true } }], history: { minutes: 10 } });
    clusterId = e2e.clusters[0]?.id ?? Number.NaN;
    await e2e.waitForCollections(2);
  }, E2E_SETUP_TIMEOUT_MS);
  afterAll(() => e2e?.close());

  it('shows the cluster with health cards and drawn charts', async () => {
    const page = await e2e.newPage();
    await page.goto(e2e.url(`/clusters/${clusterId}`));
    await page.getByRole('heading', { name: 'e2e-overview' }).waitFor();
    await page.getByTestId('health-cards').waitFor();
    expect(await page.getByTestId('health-cards').locator('li').count()).toBeGreaterThan(8);

    for (const id of CHART_IDS) await page.getByTestId(id).waitFor();
    // BE scraping is off in the harness: the IO chart says how to turn it on instead of staying empty.
    await expect(page.getByTestId('chart-network-io').textContent()).resolves.toContain('scrape_backends = true');

    await e2e.waitFor(async () => Number(await page.getByTestId('chart-qps').getAttribute('data-values')) > 0, 'QPS values on the chart');
    const qpsLast = page.getByTestId('chart-qps').locator('tbody tr').first().locator('td').first();
    expect(await qpsLast.textContent()).not.toBe('—');
    // Ten minutes of an hour: a line about a sixth of the plot wide, so a few hundred pixels.
    for (const id of ['chart-qps', 'chart-resources']) {
      expect(await seriesPixels(page, id), `${id}: pixels of its first series`).toBeGreaterThan(100);
    }
  });

  it("shows in the legends the server's statistics of the window, not figures of the plotted buckets", async () => {
    const page = await e2e.newPage();
    const answer = page.waitForResponse((response) => /^\/api\/clusters\/\d+\/overview$/.test(new URL(response.url()).pathname));
    await page.goto(e2e.url(`/clusters/${clusterId}?refresh=off`));
    const body = (await (await answer).json()) as ClusterOverviewJson;
    const qps = body.statistics.performance_trends.qps;
    expect(qps.max).not.toBeNull();
    const row = page.getByTestId('chart-qps').locator('tbody tr').first();
    await row.waitFor();
    expect(await row.locator('td').allTextContents()).toEqual([qps.last, qps.mean, qps.max].map((v) => formatChartValue('per_second', v)));
  });

  it('switches the time range through the URL and loads the new window', async () => {
    const page = await e2e.newPage();
    const requests = recordOverviewRequests(page);
    await page.goto(e2e.url(`/clusters/${clusterId}`));
    await page.getByTestId('chart-qps').waitFor();
    expect(requests.at(-1)?.searchParams.get('time_range')).toBe('1h');
    const before = await lastUpdated(page);

    await page.getByLabel('Time range', { exact: true }).selectOption('6h');
    await e2e.waitFor(() => new URL(page.url()).searchParams.get('range') === '6h', 'range=6h in the URL');
    await e2e.waitFor(() => requests.some((r) => r.searchParams.get('time_range') === '6h'), 'a request for 6h');
    await e2e.waitFor(async () => (await lastUpdated(page)) !== before, 'the 6h data on screen');
  });

  it('refreshes every 15 s once asked, and restores range and refresh on reload', async () => {
    const page = await e2e.newPage();
    const requests = recordOverviewRequests(page);
    await page.goto(e2e.url(`/clusters/${clusterId}?range=15m`));
    await page.getByTestId('chart-qps').waitFor();

    await page.getByLabel('Auto-refresh').selectOption('15s');
    await e2e.waitFor(() => new URL(page.url()).searchParams.get('refresh') === '15s', 'refresh=15s in the URL');
    const shown = await lastUpdated(page);
    const sent = requests.length;
    await e2e.waitFor(async () => (await lastUpdated(page)) !== shown, 'a background refresh', 20_000);
    expect(requests.length).toBeGreaterThan(sent);
    expect(requests.at(-1)?.searchParams.get('time_range')).toBe('15m');
    await expect(page.getByTestId('stale-marker').count()).resolves.toBe(0);

    await page.reload();
    await page.getByTestId('chart-qps').waitFor();
    expect(await page.getByLabel('Time range', { exact: true }).inputValue()).toBe('15m');
    expect(await page.getByLabel('Auto-refresh').inputValue()).toBe('15s');
    expect(requests.at(-1)?.searchParams.get('time_range')).toBe('15m');
  }, 60_000);

  it('aborts the request of a range no longer wanted', async () => {
    const page = await e2e.newPage();
    await page.addInitScript(TRACK_OVERVIEW_FETCHES);
    const requests = recordOverviewRequests(page);
    await page.goto(e2e.url(`/clusters/${clusterId}?range=15m`));
    await page.getByTestId('chart-qps').waitFor();
    const before = await lastUpdated(page);
    // The 6h answer is held back, so it is still on its way when the range changes again.
    await page.route(/\/overview\?.*time_range=6h/, () => {});

    await page.getByLabel('Time range', { exact: true }).selectOption('6h');
    await e2e.waitFor(() => requests.some((r) => r.searchParams.get('time_range') === '6h'), 'a request for 6h');
    // Meanwhile the 15 minutes stay on screen, dimmed.
    expect(await page.locator('.overview-loading').count()).toBe(1);
    expect(await lastUpdated(page)).toBe(before);

    await page.getByLabel('Time range', { exact: true }).selectOption('24h');
    await e2e.waitFor(async () => (await page.evaluate<string[]>('window.__abortedRanges')).includes('6h'), 'the 6h request aborted');
    await e2e.waitFor(() => requests.some((r) => r.searchParams.get('time_range') === '24h'), 'a request for 24h');
    await e2e.waitFor(async () => (await lastUpdated(page)) !== before, 'the 24h data on screen');
    expect(await page.locator('.overview-loading').count()).toBe(0);
    expect(await page.evaluate<string[]>('window.__abortedRanges')).not.toContain('24h');
  });

  it('keeps the charts when a refresh fails, marked stale, until a refresh succeeds', async () => {
    const page = await e2e.newPage();
    await page.goto(e2e.url(`/clusters/${clusterId}?range=15m&refresh=off`));
    await page.getByTestId('chart-qps').waitFor();
    const shown = await lastUpdated(page);
    const overview = /\/api\/clusters\/\d+\/overview\?/;
    await page.route(overview, (route) => route.abort());

    await page.getByRole('button', { name: 'Refresh now' }).click();
    const stale = page.getByTestId('stale-marker');
    await stale.waitFor();
    expect(await stale.getAttribute('title')).toMatch(/^The last refresh failed: Stellar did not answer/);
    expect(await lastUpdated(page)).toBe(shown);
    for (const id of CHART_IDS) expect(await page.getByTestId(id).count(), id).toBe(1);
    expect(await page.getByRole('alert').count()).toBe(0);

    await page.unroute(overview);
    await page.getByRole('button', { name: 'Refresh now' }).click();
    await stale.waitFor({ state: 'detached' });
    expect(await lastUpdated(page)).not.toBe(shown);
  });

  it('does not refresh while the tab is hidden, and refreshes at once on return when one fell due', async () => {
    const page = await e2e.newPage();
    await page.addInitScript(TRACK_OVERVIEW_FETCHES);
    // The page's timers run on Playwright's clock: minutes pass in an instant.
    await page.clock.install();
    await page.goto(e2e.url(`/clusters/${clusterId}?range=15m&refresh=15s`));
    await page.getByTestId('chart-qps').waitFor();
    await page.clock.pauseAt((await page.evaluate<number>('Date.now()')) + 1_000);
    const loaded = await overviewRequestsStarted(page);

    await setTabHidden(page, true);
    await page.clock.runFor(60_000);
    expect(await overviewRequestsStarted(page), 'requests while hidden for four refresh intervals').toBe(loaded);

    await setTabHidden(page, false);
    await e2e.waitFor(async () => (await overviewRequestsStarted(page)) === loaded + 1, 'a refresh on return');

    // Visible, it refreshes every 15 s again (one second of page time at a time, while the answer arrives).
    await e2e.waitFor(async () => {
      await page.clock.runFor(1_000);
      return (await overviewRequestsStarted(page)) === loaded + 2;
    }, 'the next refresh while visible');
  });

  it('turns a drag across a chart into a custom range', async () => {
    const page = await e2e.newPage();
    const requests = recordOverviewRequests(page);
    await page.goto(e2e.url(`/clusters/${clusterId}?range=15m`));
    await page.getByTestId('chart-qps').locator('canvas').waitFor();
    const over = await page.getByTestId('chart-qps').locator('.u-over').boundingBox();
    if (over === null) throw new Error('the QPS chart has no plotting area');

    await page.mouse.move(over.x + over.width * 0.5, over.y + over.height / 2);
    await page.mouse.down();
    await page.mouse.move(over.x + over.width * 0.9, over.y + over.height / 2, { steps: 6 });
    await page.mouse.up();

    await e2e.waitFor(() => new URL(page.url()).searchParams.get('from') !== null, 'from/to in the URL');
    const url = new URL(page.url());
    expect(url.searchParams.get('range')).toBeNull();
    expect(Number(url.searchParams.get('to'))).toBeGreaterThan(Number(url.searchParams.get('from')));
    expect(await page.getByLabel('Time range', { exact: true }).inputValue()).toBe('custom');
    await e2e.waitFor(() => requests.some((r) => r.searchParams.get('from') !== null), 'a request for the custom window');
  });

  it('says so when the cluster does not exist, with a way back to the fleet', async () => {
    const page = await e2e.newPage();
    await page.goto(e2e.url('/clusters/999999'));
    await page.getByText('There is no cluster 999999').waitFor();
    expect(await page.getByRole('link', { name: 'fleet', exact: true }).getAttribute('href')).toBe('/');
  });

  it('says the cluster’s own sources leave the BEs out when it has a list of its own without be_metrics', async () => {
    await e2e.api('PUT', `/api/clusters/${clusterId}`, { sources: ['follower_metrics'] });
    const page = await e2e.newPage();
    await page.goto(e2e.url(`/clusters/${clusterId}`));
    await page.getByTestId('chart-network-io').waitFor();
    const note = await page.getByTestId('chart-network-io').textContent();
    expect(note).toContain('this cluster\'s own sources leave out');
    expect(note).not.toContain('scrape_backends');
    await e2e.api('PUT', `/api/clusters/${clusterId}`, { sources: null });
    await page.context().close();
  });

  it('drew every chart above under the Content-Security-Policy without a blocked script or style', () => {
    expect(e2e.cspViolations).toEqual([]);
  });
});
