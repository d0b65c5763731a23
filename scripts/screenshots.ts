/**
 * `npm run screenshots`: the console's pictures for the README, taken from a demo-like setup —
 * four simulated clusters of varied health with an hour of history — at 1280×800 (and 390×844
 * for the narrow one), into docs/screenshots/. Needs Chromium at /usr/bin/chromium (or
 * CHROMIUM_PATH), like the e2e tests whose harness it uses.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { parseFaults } from '../src/simulator/faults.js';
import { chromiumSkipReason, startE2E } from '../test/e2e/harness.js';

const OUT = fileURLToPath(new URL('../docs/screenshots/', import.meta.url));
const WIDE = { width: 1280, height: 800 };
const NARROW = { width: 390, height: 844 };

async function main(): Promise<void> {
  if (chromiumSkipReason !== null) throw new Error(chromiumSkipReason);
  mkdirSync(OUT, { recursive: true });
  const started = Date.now();
  const e2e = await startE2E({
    clusters: [
      { name: 'prod-olap-eu', tags: ['prod', 'eu'], sim: { version: '3.5', fes: 3, bes: 12, latencyGauges: true, beMetrics: true } },
      { name: 'lakehouse', tags: ['prod', 'lake'], sim: { version: '3.3', mode: 'shared_data', fes: 3, bes: 4, latencyGauges: true } },
      { name: 'reports-legacy', tags: ['legacy'], sim: { version: '3.0', fes: 1, bes: 3 }, faults: 'be_dead@1' },
      { name: 'staging-us', tags: ['staging'], sim: { version: '3.3', fes: 1, bes: 3, latencyGauges: true } },
    ],
    intervalSecs: 5,
    history: { minutes: 60 },
  });
  try {
    await e2e.waitForCollections(1);
    // staging-us stops answering: its card turns unreachable, with its last figures kept.
    const staging = e2e.clusters[3];
    await staging?.sim.setFaults(parseFaults('fe_down@0'));
    await e2e.waitFor(async () => {
      const fleet = await e2e.api<{ clusters: { name: string; health: { status: string } }[] }>('GET', '/api/fleet/overview');
      return fleet.clusters.find((c) => c.name === 'staging-us')?.health.status === 'unreachable';
    }, 'staging-us to be unreachable', 60_000);

    const prod = e2e.clusters[0];
    if (prod?.id === null || prod === undefined) throw new Error('prod-olap-eu is not registered');

    const page = await e2e.newPage({ viewport: WIDE });
    await page.goto(e2e.url('/'));
    await page.getByRole('article', { name: 'staging-us' }).waitFor();
    await shoot(page, 'fleet.png');

    await page.goto(e2e.url('/clusters'));
    await page.getByRole('row', { name: 'prod-olap-eu' }).waitFor();
    await shoot(page, 'clusters.png');

    await page.goto(e2e.url(`/clusters/${prod.id}?range=1h`));
    await settleCharts(page);
    await shoot(page, 'cluster-overview.png');

    const dark = await e2e.newPage({ viewport: WIDE, colorScheme: 'dark' });
    await dark.goto(e2e.url(`/clusters/${prod.id}?range=1h`));
    await settleCharts(dark);
    await shoot(dark, 'cluster-overview-dark.png');

    const narrow = await e2e.newPage({ viewport: NARROW });
    await narrow.goto(e2e.url('/'));
    await narrow.getByRole('article', { name: 'staging-us' }).waitFor();
    await shoot(narrow, 'fleet-narrow.png');
  } finally {
    await e2e.close();
  }
  console.log(`screenshots written to ${OUT} in ${Math.round((Date.now() - started) / 1000)} s`);
}

/** Wait for the charts to draw (uPlot canvases) and the fonts to load; `shoot` then lets layout settle. */
async function settleCharts(page: Page): Promise<void> {
  await page.locator('canvas').first().waitFor();
  await page.waitForFunction('document.fonts.status === "loaded"');
}

/** Two animation frames (layout settled after any resize), then the picture. */
async function shoot(page: Page, name: string): Promise<void> {
  await page.evaluate('new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)))');
  await page.screenshot({ path: join(OUT, name) });
  console.log(`  ${name}`);
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
